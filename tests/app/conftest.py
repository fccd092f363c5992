"""Fixtures of the page tests (AppTest)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.runtime.pages_manager import PagesManager


@pytest.fixture(autouse=True)
def served(monkeypatch):
    """Every AppTest run goes through app.py (its sidebar, then the page), as on the server.

    With ``pages/`` beside app.py, Streamlit's legacy pages-folder flag (``PagesManager.uses_pages_directory``)
    makes a run of a page's URL run the page file alone. serve.py clears the flag once at server start; AppTest
    sets it back to None before every run and the PagesManager it then builds sets it from the folder, so each
    run after the first (``at.run()`` again, ``switch_page``, a click) skipped app.py and the sidebar. Cleared
    here after each of those resets (test_served_runs.py fails without it).
    """
    init = PagesManager.__init__

    def clear_flag(self, *args, **kwargs):
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", clear_flag)


@pytest.fixture(autouse=True)
def main_module_kept():
    """The test process's ``__main__`` as it was after every AppTest.

    Streamlit runs a page as the module ``__main__`` and leaves it in ``sys.modules``. A later test in the same
    process that starts worker processes the ``spawn`` way (render_cache's drawers) made each worker run
    app.py first, as the parent's main script; it failed there and the pool broke (BrokenProcessPool in a CI
    run, after the test order changed). The server starts no such workers: its charts are drawn by a plain
    child process (:func:`kamiplan.outputs.static_charts.render_in_child`).
    """
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main


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


class _TableReader(HTMLParser):
    """The cells of an HTML table as text (th of the head, td of the body)."""

    def __init__(self) -> None:
        super().__init__()
        self.head: list[str] = []
        self.rows: list[list[str]] = []
        self.sort_keys: list[dict[int, str]] = []
        self._cell: list[str] | None = None
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
            self.sort_keys.append({})
        elif tag in ("th", "td"):
            self._cell = []
            if tag == "td" and "data-v" in dict(attrs):
                self.sort_keys[-1][len(self.rows[-1])] = dict(attrs)["data-v"]

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            text = "".join(self._cell).strip()
            (self.rows[-1] if tag == "td" and self._in_body else self.head).append(text)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def read_table_html(html: str) -> pd.DataFrame:
    """A table drawn by ``ui.static_table`` as text cells (numbers as shown: 「2,020」, missing 「—」)."""
    reader = _TableReader()
    reader.feed(html)
    return pd.DataFrame(reader.rows, columns=reader.head, dtype=object)


def static_tables(at) -> list[pd.DataFrame]:
    """Every table the page shows as plain HTML (``ui.static_table``), in page order."""
    from kamiplan.app import ui

    return [
        read_table_html(json.loads(e.proto.json)["html"])
        for e in at.get("bidi_component")
        if e.proto.component_name.endswith(ui.TABLE_COMPONENT)
    ]


# A Markdown heading (「#### 見出し」): Streamlit gives it a 「Link to heading」 anchor, and st.markdown has no anchor=False.
_MARKDOWN_HEADING = re.compile(r"^ {0,3}#{1,6}\s", re.M)


def streamlit_english(at) -> list[str]:
    """The page's elements whose settings let Streamlit show English of its own, each as 「kind: label」.

    - a selectbox or multiselect one can type into: 「No results」 after a word that matches nothing (and a
      multiselect's 「Select all」 unless ``select_all`` is off);
    - a heading (st.title, st.header, st.subheader) with its 「Link to heading」 anchor, a Markdown heading;
    - a file uploader limited to some kinds of file: Streamlit refuses the others itself, in English
      (「application/pdf files are not allowed.」), before kamiplan's reader can say why in Japanese.

    Raw HTML headings in st.markdown (the slides' titles) have no setting: CSS hides their anchor (ui.chrome_css),
    checked in the browser tests.
    """
    from streamlit.proto.SelectWidgetFilterMode_pb2 import FILTER_MODE_NONE

    found = [f"selectbox: {s.label}" for s in at.selectbox if s.proto.filter_mode != FILTER_MODE_NONE]
    found += [
        f"multiselect: {m.label}"
        for m in at.multiselect
        if m.proto.select_all != 0 or m.proto.filter_mode != FILTER_MODE_NONE
    ]
    for kind in ("title", "header", "subheader"):
        found += [f"{kind}: {h.value}" for h in getattr(at, kind) if not h.proto.hide_anchor]
    found += [f"markdown heading: {m.value[:40]}" for m in at.markdown if _MARKDOWN_HEADING.search(m.value)]
    found += [f"file_uploader: {u.label}" for u in at.file_uploader if list(u.proto.type)]
    return found
