"""Start the dashboard: ``python -m kamiplan serve`` (what ``scripts/dashboard.sh`` does), or ``streamlit run serve.py``.

Streamlit 1.67 has a legacy behaviour: when a folder named ``pages/`` sits next to the main script,
the first session after a server start decides "pages-folder mode" (``PagesManager.
uses_pages_directory``). If that first session opens a deep link such as ``/edit``, the page file
runs on its own (``app.py`` skipped, a file-name menu). The flag is cleared for good the moment any
session calls ``st.navigation``, which every run of ``app.py`` does. Clearing it once at server start,
in the ASGI app's lifespan, makes deep links work from the first request. A browser test
(``tests/browser``) opens every page by URL on a freshly started server to prove it.
"""

import ctypes
import sys
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from streamlit import config
from streamlit.runtime.pages_manager import PagesManager

M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)


def _limit_malloc_arenas(arenas: int = 2) -> None:
    """Fewer glibc heaps: Streamlit runs every session in its own thread and glibc gives busy threads
    heaps of their own, whose freed memory is seldom returned. With 10 sessions on the 1,000-indicator
    benchmark plan this kept ~50 MB less resident (BENCHMARKS.md). Same as ``MALLOC_ARENA_MAX=2``."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, arenas)
    except (OSError, AttributeError):
        pass  # not glibc (e.g. musl): nothing to tune


# What the pages import (directly or inside their functions): imported and frozen at server start.
PAGE_MODULES = (
    "kamiplan.app.ui",
    "kamiplan.model.narrative",
    "kamiplan.model.project_views",
    "kamiplan.outputs.htmlparts",
    "kamiplan.outputs.project_charts",
    "kamiplan.outputs.slides",
)


@asynccontextmanager
async def _lifespan(app):
    # app.py uses st.navigation: never treat pages/ as the legacy pages folder.
    PagesManager.uses_pages_directory = False
    # Where to open the browser, in Japanese, once the port is final (``python -m kamiplan serve`` hides
    # Streamlit's English welcome). Imported here: nothing of kamiplan before the malloc tuning above.
    from kamiplan.app.memory import arrow_in_system_heap, freeze_imports
    from kamiplan.app.server import open_message
    from kamiplan.outputs.charts import unchecked_building

    arrow_in_system_heap()  # before any session: what page threads free is trimmed with the rest
    freeze_imports(PAGE_MODULES)  # before any session: the modules every page run imports

    print(open_message(config.get_option("server.address"), config.get_option("server.port")), flush=True)
    with unchecked_building():  # the charts' specs, not checked part by part again (the tests check them)
        yield


_limit_malloc_arenas()  # as early as possible: before the session threads start


app = st.App(Path(__file__).resolve().parent / "app.py", lifespan=_lifespan)
