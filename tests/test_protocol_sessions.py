"""The page benchmark's protocol-level Streamlit client (benchmarks/protocol_sessions.py) against real servers."""

from __future__ import annotations

import asyncio
import textwrap
from concurrent.futures import ThreadPoolExecutor

import pytest

from benchmarks.bench_pages import Server
from benchmarks.protocol_sessions import ProtocolSession, SessionError, concurrent_sessions
from kamiplan.app.site import page_specs
from kamiplan.plan import queries
from kamiplan.plan.db import PlanDB
from tests.conftest import DATA
from tests.synthetic import plan_folder


def run_sessions(coro):
    """``asyncio.run`` on a thread of its own: a browser test before this one in the same test process
    leaves Playwright's event loop running on the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@pytest.fixture(scope="module")
def kamiplan_server(tmp_path_factory):
    """kamiplan (``serve.py``) on the committed plan tables, no actuals; with its pages."""
    tmp = tmp_path_factory.mktemp("protocol")
    folder = plan_folder(tmp / "data", DATA)
    server = Server("serve.py", {"KAMIPLAN_DATA_DIR": str(folder)}, tmp / "kamiplan.log")
    yield server, page_specs(queries.pillars(PlanDB(folder).cursor()))
    server.stop()


def test_sessions_run_every_kamiplan_page(kamiplan_server):
    """Two sessions open the overview by URL and every other page through the menu: the server finishes
    each run, runs the page asked for, and the menu lists every page by its title."""
    server, specs = kamiplan_server
    shown = [s for s in specs if not s.editing]
    paths = [s.url_path for s in shown]

    async def run() -> list[ProtocolSession]:
        async with concurrent_sessions(server.url, paths, sessions=2, timeout=120) as opened:
            assert all(s._ws is not None and s._ws.state.name == "OPEN" for s in opened)  # held open
            return opened

    for session in run_sessions(run()):
        assert session.finished == len(paths)
        assert [r.url_pathname for r in session.runs] == paths
        assert [r.title for r in session.runs] == [s.title for s in shown]
        assert [p.page_name for p in session.pages] == [s.title for s in specs]  # with the edit page
        assert all(r.messages > 0 for r in session.runs)


def test_unknown_page_fails(kamiplan_server):
    """A page missing from the menu fails before asking the server; a URL of no page fails on its answer: kamiplan
    runs its 概要 there (with a Japanese line, not Streamlit's "page not found"), another page than asked."""
    server, _ = kamiplan_server

    async def run() -> None:
        async with ProtocolSession(server.url, "probe") as session:
            await session.open("pillar1", timeout=120)
            with pytest.raises(SessionError, match="no page 'nowhere' in the menu"):
                await session.navigate("nowhere")
            with pytest.raises(SessionError, match=r"probe: opened /nowhere but the server ran the page ''"):
                await session.open("nowhere", timeout=120)
            assert session.finished == 2

    run_sessions(run())


def test_script_errors_fail_with_page_and_message(tmp_path):
    """A page that raises, or shows an error box, fails its run with the session, the page and the message."""
    (tmp_path / "ok.py").write_text('import streamlit as st\nst.write("fine")\n', encoding="utf-8")
    (tmp_path / "boom.py").write_text('raise ValueError("合成の失敗")\n', encoding="utf-8")
    (tmp_path / "alert.py").write_text('import streamlit as st\nst.error("読めません")\n', encoding="utf-8")
    app = tmp_path / "app.py"
    app.write_text(
        textwrap.dedent(
            """\
            import streamlit as st

            st.navigation([st.Page("ok.py", title="OK"), st.Page("boom.py"), st.Page("alert.py")]).run()
            """
        ),
        encoding="utf-8",
    )
    server = Server(str(app), {}, tmp_path / "server.log")

    async def run() -> None:
        async with ProtocolSession(server.url, "session 7") as session:
            assert (await session.open("", timeout=60)).title == "OK"
            # The exception's details are withheld from clients (.streamlit/config.toml: showErrorDetails none).
            with pytest.raises(SessionError, match=r"session 7: boom \(menu\): the script raised an exception"):
                await session.navigate("boom", timeout=60)
            with pytest.raises(SessionError, match=r"session 7: /alert: the page shows an error: 読めません"):
                await session.open("alert", timeout=60)
            with pytest.raises(SessionError, match=r"session 7: /nowhere: page not found"):  # Streamlit's answer
                await session.open("nowhere", timeout=60)

    try:
        run_sessions(run())
    finally:
        server.stop()
