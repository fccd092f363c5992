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


def test_a_save_removes_temp_files_a_killed_process_left(tmp_path):
    """A process killed while writing leaves .kamiplan-tmp-*.part; the next save removes those an hour old."""
    import os
    import time

    from kamiplan.records.actuals_store import ActualsStore, Cell, Change

    old = tmp_path / ".kamiplan-tmp-dead.part"
    old.write_bytes(b"half a file")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    fresh = tmp_path / ".kamiplan-tmp-busy.part"  # another writer's, still in use
    fresh.write_bytes(b"being written")
    other = tmp_path / "notes.part"
    other.write_bytes(b"not ours")
    os.utime(other, (time.time() - 7200, time.time() - 7200))
    ActualsStore(tmp_path).save([Change("0-V1", 2025, Cell(2380.0), Cell())], by="テスト", how="form")
    assert not old.exists() and fresh.exists() and other.exists()
    assert ActualsStore(tmp_path).cells()[("0-V1", 2025)].value == 2380.0
