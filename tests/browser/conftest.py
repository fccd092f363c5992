"""Headless Debian chromium (Playwright) against a freshly started server.

Each server is started with ``streamlit run serve.py`` (the server start ``python -m kamiplan serve`` and
``scripts/dashboard.sh`` make; test_serve_in_browser.py starts that command itself), on a free port, bound to
127.0.0.1, with a temporary data folder of invented test actuals.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from kamiplan.plan.db import PlanDB
from kamiplan.plan.queries import indicators
from tests.conftest import DATA, PROJECT
from tests.synthetic import plan_folder, populate, populate_projects, populated_folder

PROJECT_YEARS = (2025, 2026)  # テスト用の架空データ of 事業の評価 in project_test_data (事業の実施状況 slides)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = PROJECT / "test-output" / "screenshots"
READY = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(proc: subprocess.Popen, url: str, timeout: float = 60) -> bool:
    """True once the server at ``url`` answers its health check; False if ``proc`` ended or time ran out."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return True
        except OSError:
            if proc.poll() is not None:
                return False
            time.sleep(0.2)
    return False


class Server:
    def __init__(self, data_dir: Path, secrets: Path | None = None, env: dict | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [
            sys.executable, "-m", "streamlit", "run", "serve.py",
            "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(self.port),
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        ]  # fmt: skip
        if secrets is not None:
            cmd += ["--secrets.files", str(secrets)]
        # Charts drawn on the server are off here, but in test_static_charts_in_browser.py: a fresh server shows
        # the interactive chart at the first visit anyway, and its background drawing only slowed the others.
        environment = os.environ | {"KAMIPLAN_DATA_DIR": str(data_dir), "KAMIPLAN_STATIC_CHARTS": "0"} | (env or {})
        environment.pop("KAMIPLAN_READONLY", None) if "KAMIPLAN_READONLY" not in (env or {}) else None
        self.proc = subprocess.Popen(
            cmd, cwd=PROJECT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        if not wait_healthy(self.proc, self.url):
            self.stop()
            raise RuntimeError("streamlit server did not start: " + self.output())

    def wait_drawn(self, deadline: float) -> None:
        """After a page showed interactive charts: wait while the server draws their SVGs (issue 14) — its
        thread builds the specs, then a child process (:mod:`kamiplan.outputs.static_charts`, at a lower
        priority than the pages) draws them, batch after batch — until neither has run for ~1 s, or until
        ``deadline`` (a ``time.monotonic()``). Linux only (/proc); elsewhere it returns at once."""
        quiet, cpu = 0, _cpu_seconds(self.proc.pid)
        while quiet < 4 and time.monotonic() < deadline and cpu is not None:
            time.sleep(0.25)
            now = _cpu_seconds(self.proc.pid)
            busy = now is None or now - cpu > 0.05 or bool(drawing_children(self.proc.pid))
            quiet, cpu = (0 if busy else quiet + 1), now

    def output(self) -> str:
        return (
            self.proc.stdout.read().decode(errors="replace")
            if self.proc.stdout and self.proc.poll() is not None
            else ""
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def drawing_children(pid: int) -> list[int]:
    """The SVG drawing processes (``python -m kamiplan.outputs.static_charts``) process ``pid`` started
    (Linux /proc; elsewhere none are seen)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if parent == pid and b"kamiplan.outputs.static_charts" in (stat.parent / "cmdline").read_bytes():
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):  # the process ended meanwhile
            continue
    return found


def _cpu_seconds(pid: int) -> float | None:
    """CPU seconds process ``pid`` (all its threads) has used so far; None without /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.fixture(scope="session")
def test_data(tmp_path_factory) -> Path:
    return populated_folder(tmp_path_factory.mktemp("browser") / "data", DATA)


@pytest.fixture(scope="session")
def project_test_data(tmp_path_factory) -> Path:
    """:func:`test_data` with project records too (the presentation's 事業の実施状況 slides)."""
    return populated_folder(tmp_path_factory.mktemp("browser_projects") / "data", DATA, PROJECT_YEARS)


def browser_deck(with_projects: bool = False) -> list:
    """The slides 発表モード shows for the browser tests' data (:func:`test_data`, or with ``with_projects``
    :func:`project_test_data`), built as the page builds them (ui._deck)."""
    import tempfile

    from kamiplan.model import dashboard, project_rollup
    from kamiplan.outputs import slides
    from kamiplan.plan import queries
    from kamiplan.records.actuals_store import ActualsStore
    from kamiplan.records.projects import ProjectStore

    with tempfile.TemporaryDirectory() as tmp:
        folder = plan_folder(Path(tmp) / "data", DATA)
        con = PlanDB(folder).cursor()
        populate(folder, indicators(con))
        if with_projects:
            populate_projects(folder, queries.actions(con), years=PROJECT_YEARS)
        info = queries.plan_info(con)
        current = ActualsStore(folder).current()
        year = dashboard.default_year(
            current, queries.indicators(con), int(info["start_year"]), int(info["end_year"])
        ).year
        trajs = dashboard.trajectories(
            queries.indicators(con), dashboard.series_cells(current), year, int(info["start_year"])
        )
        projects = project_rollup.project_table(queries.actions(con), ProjectStore(folder).current(), year)
        return slides.build_deck(queries.pillars(con), trajs, info, projects)


@pytest.fixture(scope="session")
def shared_server(test_data) -> Iterator[Server]:
    """One server on :func:`test_data` for the tests that only read it, each in sessions of its own: a server
    start and its first page runs (~5 s on 2 cores) once, not for every test. A test that needs the first
    visitors of a fresh server, stops its server, needs a password or writes to its data folder starts its own
    (:func:`fresh_server`)."""
    server = Server(test_data)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def shared_project_server(project_test_data) -> Iterator[Server]:
    """:func:`shared_server` on :func:`project_test_data` (the 事業の実施状況 views and 発表モード)."""
    server = Server(project_test_data)
    yield server
    server.stop()


# The pages test_static_charts_in_browser.py checks once the server has drawn their charts as SVG (issue 14),
# for each of its two servers (one per data folder).
STATIC_PAGES = {"test_data": ("pillar1",), "project_test_data": ("present?slide=2", "present?slide=8")}


class DrawingServers:
    """Servers drawing charts as SVG (``KAMIPLAN_STATIC_CHARTS=1``), started on a thread of their own, each with
    its :data:`STATIC_PAGES` opened once (a protocol-level session, no browser): the server draws their SVGs in
    the background (a child process at a lower priority) while other browser tests run.

    Opened first by the test itself, ~30 charts drawn at the lower priority, beside the other test process,
    took ~30 s a test in the suite, most of it waiting."""

    def __init__(self, folders: dict[str, Path]) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(1, thread_name_prefix="drawing-servers")
        self._servers: dict[str, Server] = {}
        self._ready = self._pool.submit(self._start, folders)

    def _start(self, folders: dict[str, Path]) -> None:
        import asyncio

        from benchmarks.protocol_sessions import ProtocolSession

        async def visit(server: Server, paths: tuple[str, ...]) -> None:
            async with ProtocolSession(server.url, "drawing") as session:
                for path in paths:
                    await session.open(path, timeout=120)

        for name, folder in folders.items():
            self._servers[name] = Server(folder, env={"KAMIPLAN_STATIC_CHARTS": "1"})
        for name, server in self._servers.items():
            asyncio.run(visit(server, STATIC_PAGES[name]))

    def server(self, name: str) -> Server:
        """The server on the data folder ``name`` (raises what its start or first visits raised)."""
        self._ready.result(timeout=180)
        return self._servers[name]

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._ready.result(timeout=180)
        self._pool.shutdown()
        for server in self._servers.values():
            server.stop()


@pytest.fixture(scope="session")
def drawing_servers(test_data, project_test_data, render_cache_dir) -> Iterator[DrawingServers]:
    """:class:`DrawingServers` (``render_cache_dir``: the servers' children draw into this run's cache)."""
    servers = DrawingServers({"test_data": test_data, "project_test_data": project_test_data})
    yield servers
    servers.stop()


@pytest.fixture(autouse=True)
def _drawing_starts_early(request) -> None:
    """Start :func:`drawing_servers` with the first browser test when test_static_charts_in_browser.py will run
    (it comes last in the browser group: tests/conftest.py)."""
    if any(item.path.name == "test_static_charts_in_browser.py" for item in request.session.items):
        request.getfixturevalue("drawing_servers")


@pytest.fixture
def fresh_server(test_data) -> Iterator:
    servers: list[Server] = []

    def start(**kwargs) -> Server:
        server = Server(kwargs.pop("data_dir", test_data), **kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("chromium がありません。scripts/test.sh が Debian の chromium を入れます")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


@contextlib.contextmanager
def open_page(browser, url: str, width: int = 1280, height: int = 800, wait_until: str = "load", **context_args):
    """A new page that records every request, so tests can prove nothing leaves the server
    (``wait_until="commit"``: go on as soon as the server answered, to open several pages at once)."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP", **context_args)
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.runs_finished = [0]  # the server's script_finished messages (full and fragment runs)
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: _count_finished(page, payload)))
    page.goto(url, wait_until=wait_until)
    try:
        yield page
    finally:
        context.close()


# A chart on screen: drawn by Vega-Lite in the browser (interactive), or an SVG drawn on the server (issue 14).
DRAWN_CHARTS = '[data-testid="stVegaLiteChart"] svg.marks, [data-kp-chart]:has(svg)'
CHART_MARKS = '[data-testid="stVegaLiteChart"] svg [aria-label], [data-kp-chart] svg [aria-label]'


def wait_idle(page, charts: int = 0, timeout: float = 60_000) -> None:
    """Streamlit finished: the script not running and the app connected, the expected charts drawn. (The
    app shows no running indicator: ``client.toolbarMode = "minimal"``; the script state is what tells.)"""
    page.wait_for_selector(READY, timeout=timeout)
    page.wait_for_function(
        """([ready, charts, drawn]) => document.querySelector(ready)
             && document.querySelectorAll(drawn).length >= charts""",
        arg=[READY, charts, DRAWN_CHARTS],
        timeout=timeout,
    )


def screenshot(page, name: str, full: bool = False) -> Path:
    """The viewport as a user sees it; with ``full``, also the whole page (Streamlit scrolls inside stMain)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    if full:
        size = page.viewport_size
        height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 16000)})
        page.wait_for_timeout(500)
        page.screenshot(path=str(SCREENSHOTS / f"{name}_full.png"))
        page.set_viewport_size(size)
    return path


RUN_COUNTER = """() => {
  window.kpRunsStarted = 0;
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => { if (app.dataset.testScriptState === 'running') window.kpRunsStarted++; })
    .observe(app, { attributes: true, attributeFilter: ['data-test-script-state'] });
}"""


def _count_finished(page, payload) -> None:
    if isinstance(payload, bytes):
        with contextlib.suppress(Exception):  # not a ForwardMsg: not counted
            if ForwardMsg.FromString(payload).WhichOneof("type") == "script_finished":
                page.runs_finished[0] += 1


def click_and_rerun(page, locator, charts: int = 0) -> None:
    """Click what makes Streamlit rerun, and wait until that run has finished (no fixed sleep).

    A run is seen by the server's ``script_finished`` message (pages from :func:`open_page`). The page's
    "running" state is not enough: a fragment run of a few tens of milliseconds (the cached views) can start
    and end between two renders of the page, and a CI run waited 30 s for a state that never showed."""
    finished = getattr(page, "runs_finished", None)
    if finished is None:  # a page not opened by open_page: the running state
        page.evaluate(RUN_COUNTER)
        locator.click()
        page.wait_for_function("() => window.kpRunsStarted > 0", timeout=30_000)
        wait_idle(page, charts)
        return
    before = finished[0]
    locator.click()
    deadline = time.monotonic() + 30
    while finished[0] == before:
        assert time.monotonic() < deadline, "the click started no run: no script_finished in 30 s"
        page.wait_for_timeout(50)
    wait_idle(page, charts)
