"""Give the memory a page run freed back to the system (Streamlit-free; called at the end of every run).

Streamlit runs each session's page in a thread of its own. Two allocators keep what such a thread freed:

- **Arrow's memory pool** (mimalloc in the pyarrow wheels), used by every ``st.dataframe`` (pandas →
  Arrow) and by DuckDB's results (``.df()``): its heaps are per thread and keep their freed pages. Measured
  in process on the 1,000-indicator plan: 10 threads building the 4,240-row 実施計画 table grew the process
  by ~130 MB, of which ~85 MB came back only through :func:`pyarrow.MemoryPool.release_unused`.
- **glibc malloc** keeps freed memory inside its heaps unless asked (``malloc_trim``), even with the two
  arenas ``serve.py`` allows.

Both calls take milliseconds and change nothing a page shows.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import importlib
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


@functools.cache
def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018 - not glibc (musl): no malloc_trim
    except (OSError, AttributeError):
        return None
    return libc


def release_unused() -> None:
    """Return the freed memory of Arrow's pool and of glibc's heaps to the system.

    Safe from any thread at any time (both allocators lock what they trim); a no-op where neither
    applies (no pyarrow, not glibc).
    """
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - Streamlit depends on pyarrow
        pa = None
    if pa is not None:
        pa.default_memory_pool().release_unused()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def arrow_in_system_heap() -> str:
    """Let Arrow allocate from the system's allocator (glibc malloc) instead of its own pool; return the
    pool's name now in use.

    Arrow's default pool in the pyarrow wheels (mimalloc) keeps heaps per thread, and Streamlit runs every
    session's page in a thread of its own: what those threads freed stayed resident until
    :func:`release_unused`, and part of it after. In glibc's heaps the same memory is trimmed with the rest
    by ``malloc_trim``. Measured on the 1,000-indicator plan, 10 sessions × 6 pages, once the drawing had
    finished: 432 → 420 MB (single readings; they vary by ±15 MB, BENCHMARKS.md). Call at server start,
    before any session (what the old pool holds stays there).

    Returns
    -------
    str
        ``"system"``; the old pool's name where pyarrow is missing or cannot switch (nothing changed).
    """
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - Streamlit depends on pyarrow
        return ""
    try:
        pa.set_memory_pool(pa.system_memory_pool())
    except (AttributeError, NotImplementedError):  # pragma: no cover - an Arrow without the switch
        pass
    return pa.default_memory_pool().backend_name


def freeze_imports(modules: Iterable[str]) -> int:
    """Import ``modules`` and move every object alive now out of the garbage collector's reach
    (:func:`gc.freeze`); return how many objects were frozen.

    Streamlit runs a full collection (``gc.collect(2)``) after every page run, filter change and slide
    (``runner.postScriptGC``). A full collection visits every container object of the process, and
    ~120,000 of them are the modules (Streamlit, pandas, Altair's schema, DuckDB, pyarrow): ~70 ms per
    collection on this machine, more than the page's own run. They live as long as the server, so frozen
    at its start they are never visited again; what a page run leaves is still collected after it.
    Measured: a 大綱1 open, 221 → 103 ms of server time (BENCHMARKS.md).

    Call once, at server start, before any session runs (nothing of a session is frozen with them).
    """
    for name in modules:
        importlib.import_module(name)
    gc.collect()
    frozen = len(gc.get_objects())
    gc.freeze()
    return frozen


PAGE_RUNS_AT_ONCE = 2  # the machine's cores: Python runs one thread at a time, DuckDB and Arrow the second
PAGE_RUN_WAIT_S = 2.0  # a run waits at most this long for its turn, then goes ahead anyway
_page_runs = threading.BoundedSemaphore(PAGE_RUNS_AT_ONCE)


@contextmanager
def page_run_turn(slots: threading.BoundedSemaphore | None = None, wait_s: float = PAGE_RUN_WAIT_S) -> Iterator[bool]:
    """Run a page in turn: at most :data:`PAGE_RUNS_AT_ONCE` page runs at once; yields whether it got a turn.

    Ten people opening pages at the same moment made ten runs share two cores (Python runs one thread
    at a time): none finished sooner, and the ten runs' tables and chart messages were in memory together,
    which left the server's heaps fragmented for good (the 1,000-indicator plan: peak ~560 MB). In turn,
    the first page is ready first and the memory of one run is freed before the next starts.

    A run waits at most ``wait_s`` seconds and then goes ahead (a long run, such as an import being checked,
    never holds up the others for longer than that).
    """
    slots = _page_runs if slots is None else slots
    turn = slots.acquire(timeout=wait_s)
    try:
        yield turn
    finally:
        if turn:
            slots.release()
