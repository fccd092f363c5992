"""Atomic file replacement: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

TEMP_PREFIX = ".kamiplan-tmp-"


def parquet_bytes(table: pa.Table) -> bytes:
    """Serialise a table to parquet bytes; the same table gives the same bytes (byte-stable builds)."""
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", write_statistics=True, store_schema=True)
    return buf.getvalue()


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a directory for fsync; os.replace is atomic there too.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _mode_for(path: Path) -> int:
    """Keep the mode of the file being replaced; a new file gets the usual 0666 minus umask."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_temp(path: Path, data: bytes) -> Path:
    """Write ``data`` to a fsync'ed temporary file in ``path``'s folder and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=path.parent)
    try:
        os.chmod(name, _mode_for(path))  # mkstemp makes 0600 files
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


REPLACE_TRIES = 20  # × 0.05 s: how long a rename waits for a reader on Windows
REPLACE_WAIT_S = 0.05
RETRY_REFUSED_RENAME = os.name == "nt"  # POSIX renames over open files; a refusal there is real


def _replace(temp: Path, path: Path, tries: int = REPLACE_TRIES) -> None:
    """``os.replace``, tried again for about a second when Windows refuses it because another process has
    the file open at that moment (a virus scanner, a backup tool, a reader of the same parquet file):
    there a rename over an open file raises ``PermissionError``. On POSIX the first try succeeds."""
    import time

    for attempt in range(tries):
        try:
            os.replace(temp, path)
            return
        except PermissionError:
            if not RETRY_REFUSED_RENAME or attempt == tries - 1:
                raise
            time.sleep(REPLACE_WAIT_S)


def replace_all(files: dict[Path, bytes]) -> None:
    """Replace several files: every temp file is written first, then each is renamed into place.

    If writing any temp file fails, nothing is replaced and no temp file is left behind.
    """
    temps: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            temps.append((write_temp(path, data), path))
        for temp, path in temps:
            _replace(temp, path)
    finally:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
    for directory in {path.parent for path in files}:
        _fsync_dir(directory)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace one file atomically (temp file in the same folder, fsync, ``os.replace``)."""
    replace_all({path: data})


STALE_TEMP_AGE_S = 3600.0


def remove_stale_temps(directory: Path, older_than_s: float = STALE_TEMP_AGE_S) -> list[Path]:
    """Remove temp files a process left when it was killed while writing (``.kamiplan-tmp-*.part``).

    A writer renames or removes its temp file within seconds; one older than ``older_than_s`` (an hour)
    belongs to nobody. The data itself never depends on them (the renames are atomic).

    Returns
    -------
    list of Path
        The files removed (those that could not be removed are left, silently: a later save tries again).
    """
    import time

    removed = []
    now = time.time()
    for path in Path(directory).glob(f"{TEMP_PREFIX}*.part"):
        try:
            if now - path.stat().st_mtime > older_than_s:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed
