"""Fixtures of the page tests (AppTest)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage


@dataclass
class Downloads:
    """What the pages offered for download, by file name: ``made`` when the page ran (bytes, with their
    MIME type in ``types``), ``on_click`` as the callable a click runs (nothing made before)."""

    made: dict[str, bytes] = field(default_factory=dict)
    types: list[str] = field(default_factory=list)
    on_click: dict[str, Callable[[], bytes]] = field(default_factory=dict)

    def data(self, name: str) -> bytes:
        """The file's bytes, made as a click would make them if the page deferred it."""
        return self.made[name] if name in self.made else self.on_click[name]()

    def names(self) -> list[str]:
        return [*self.made, *self.on_click]


@pytest.fixture
def downloads(monkeypatch) -> Downloads:
    """Records every download button's file as the pages register it (stored at once, or a callable)."""
    seen = Downloads()
    stored, deferred = MemoryMediaFileStorage.load_and_get_id, MediaFileManager.add_deferred

    def store(self, path_or_data, mimetype, kind, filename=None):
        seen.types.append(mimetype)
        if filename:
            seen.made[filename] = path_or_data
        return stored(self, path_or_data, mimetype, kind, filename)

    def defer(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        seen.on_click[file_name] = data_callable
        return deferred(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", store)
    monkeypatch.setattr(MediaFileManager, "add_deferred", defer)
    return seen
