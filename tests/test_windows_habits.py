"""What differs on Windows, checked here: redirected output in cp932, a rename refused while a file is open."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kamiplan import storage
from tests.conftest import PROJECT


def test_report_redirected_with_a_cp932_console_writes_utf8(tmp_path, plan_copy):
    """As on Windows: Python's output encoding is cp932 and the plan's texts have 「—」 (not in cp932)."""
    env = os.environ | {"PYTHONIOENCODING": "cp932"}
    out = tmp_path / "進捗.txt"
    with open(out, "wb") as f:
        done = subprocess.run(
            [sys.executable, "-m", "kamiplan", "report", "--year", "R7", "--data-dir", str(plan_copy)],
            cwd=PROJECT,
            env=env,
            stdout=f,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    text = out.read_bytes().decode("utf-8")  # strict: every byte is UTF-8
    assert "人口" in text


def test_a_refused_rename_is_tried_again_on_windows(tmp_path, monkeypatch):
    target = tmp_path / "actuals.parquet"
    target.write_bytes(b"old")
    calls = []
    real = os.replace

    def busy_twice(src, dst):
        calls.append(dst)
        if len(calls) <= 2:
            raise PermissionError(13, "別のプロセスが使用中")
        real(src, dst)

    monkeypatch.setattr(os, "replace", busy_twice)
    monkeypatch.setattr(storage, "RETRY_REFUSED_RENAME", True)
    monkeypatch.setattr(storage, "REPLACE_WAIT_S", 0.0)
    storage.atomic_write(target, b"new")
    assert target.read_bytes() == b"new" and len(calls) == 3


def test_a_rename_refused_for_good_fails_and_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "actuals.parquet"
    target.write_bytes(b"old")

    def busy(src, dst):
        raise PermissionError(13, "別のプロセスが使用中")

    monkeypatch.setattr(os, "replace", busy)
    monkeypatch.setattr(storage, "RETRY_REFUSED_RENAME", True)
    monkeypatch.setattr(storage, "REPLACE_WAIT_S", 0.0)
    with pytest.raises(PermissionError):
        storage.atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["actuals.parquet"]  # no temp file left


def test_on_posix_a_refused_rename_is_not_tried_again(tmp_path, monkeypatch):
    target = tmp_path / "actuals.parquet"
    calls = []

    def busy(src, dst):
        calls.append(dst)
        raise PermissionError(13, "denied")

    monkeypatch.setattr(os, "replace", busy)
    monkeypatch.setattr(storage, "RETRY_REFUSED_RENAME", False)
    with pytest.raises(PermissionError):
        storage.atomic_write(target, b"new")
    assert len(calls) == 1
