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
from collections.abc import Iterable


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


def freeze_imports(modules: Iterable[str]) -> int:
    """Import ``modules`` and move every object alive now out of the garbage collector's reach
    (:func:`gc.freeze`); return how many objects were frozen.

    Streamlit runs a full collection (``gc.collect(2)``) after every page run, filter change and slide
    (``runner.postScriptGC``). A full collection visits every container object of the process, and
    ~120,000 of them are the modules (Streamlit, pandas, Altair's schema, DuckDB, pyarrow): ~70 ms per
    collection on this machine, more than the page's own run. They live as long as the server, so frozen
    at its start they are never visited again; what a page run leaves is still collected after it.
    Measured: a 大綱1 open, 221 → … ms of server time (BENCHMARKS.md).

    Call once, at server start, before any session runs (nothing of a session is frozen with them).
    """
    for name in modules:
        importlib.import_module(name)
    gc.collect()
    frozen = len(gc.get_objects())
    gc.freeze()
    return frozen
