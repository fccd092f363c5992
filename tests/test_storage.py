"""Atomic replacement: a failure before the rename leaves the old file and no temp file."""

from __future__ import annotations

import os

import pytest

from kamiplan import storage


def test_atomic_write_replaces(tmp_path):
    target = tmp_path / "x.parquet"
    target.write_bytes(b"old")
    storage.atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["x.parquet"]


def test_failure_between_temp_and_replace_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "x.parquet"
    target.write_bytes(b"old")

    def boom(src, dst):
        raise OSError("injected failure before rename")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="injected"):
        storage.atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.parquet"]


def test_failure_while_writing_temps_replaces_nothing(tmp_path, monkeypatch):
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"A")
    b.write_bytes(b"B")
    real = storage.write_temp
    calls = []

    def flaky(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(path, data)

    monkeypatch.setattr(storage, "write_temp", flaky)
    with pytest.raises(OSError, match="disk full"):
        storage.replace_all({a: b"A2", b: b"B2"})
    assert (a.read_bytes(), b.read_bytes()) == (b"A", b"B")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]
