"""Page benchmark of the dashboard against the Streamlit "floor" (issue 7). Not a test: it prints medians.

One run starts two servers exactly as ``scripts/dashboard.sh`` does (``streamlit run``, headless, bound
to 127.0.0.1): kamiplan (``serve.py``) and the floor (``benchmarks/floor_app.py``: one page, one
layered Altair line chart from a small parquet file). Headless Debian chromium (Playwright) drives
both for the timings, alternating kamiplan/floor, and the medians of the measured repetitions are
reported with the ratio kamiplan/floor. Warm-up repetitions (the first sessions, which fill the caches)
are excluded. The memory phase drives its sessions without a browser (below).

What is measured (wall-clock in the driving process):

- open: a NEW browser context (a fresh Streamlit session; the server keeps running) goes to the page
  URL; stop when the script has run and finished (``data-test-script-state`` went to running, then
  notRunning, connected), no status widget, and every chart on the page has drawn its SVG marks (the
  number of charts is learnt in the warm-up and must be reached);
- filter: on the filter page (default ``pillar1``) choose a 基本計画 in the selectbox; stop at idle
  again with the new charts drawn. Floor: choose another indicator in its selectbox (redraws its chart);
- export: click the page's CSV download button; stop when the file is completely downloaded.
  (Streamlit prepares the file while the script runs, so its cost is also inside open/filter.)
- memory: on freshly started servers, one session opens the first page and leaves; then 10 sessions
  at once each run every page (the first by URL, the others as the sidebar menu asks for them, in the
  same session, all sessions in step) and stay connected while the resident memory (VmRSS) of the server
  process and its children is read from /proc, with the peak (VmHWM). Every session must have run every
  page (the server's ``script_finished`` messages are counted). These sessions are no browsers: they
  speak Streamlit's websocket protocol (``benchmarks/protocol_sessions.py``: the ``rerun_script``
  messages the frontend sends, and its messages read until each run has finished). The server holds the
  same for them, since it does not depend on a page being laid out or drawn, and ten chromium tabs
  laying out pages of 250 server-drawn SVG charts on 2 cores never finished (19 minutes on the
  1,000-indicator plan). ``--only-memory`` runs this phase alone (no browser).

Also, in process and as commands (absolute budgets, no floor): the whole-plan indicator list as CSV
(evaluation + table + CSV bytes) and ``python -m kamiplan report --format csv``, with the import floor
``python -c "import pandas, duckdb"`` as reference.

Usage::

    .venv/bin/python benchmarks/bench_pages.py [--repeat 5] [--warmup 1] [--pages overview,pillar1]
        [--data-dir DIR] [--sessions 10] [--no-memory | --only-memory] [--json results.json]

Without ``--data-dir`` the data are the plan tables of ``data/`` with the invented test actuals of
``tests/synthetic.py`` (in a temporary folder). For the scale run::

    .venv/bin/python -m kamiplan synth --indicators 1000 --years 20 --out /tmp/kamiplan-synth
    .venv/bin/python benchmarks/bench_pages.py --data-dir /tmp/kamiplan-synth --pages overview
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from benchmarks.protocol_sessions import concurrent_sessions  # noqa: E402
from kamiplan.app.site import page_specs  # noqa: E402
from kamiplan.model import dashboard  # noqa: E402
from kamiplan.outputs.export import to_csv_bytes  # noqa: E402
from kamiplan.plan import queries  # noqa: E402
from kamiplan.plan.db import PlanDB  # noqa: E402
from kamiplan.records.actuals_store import ActualsStore  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
READY = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
# Counts finished script runs (full and fragment runs) as the server reports them: its ``script_finished``
# messages (ForwardMsg field 6), read from the page's websocket before any app script runs. The page's
# running state was counted before; a fragment run of a few tens of milliseconds (the next slide) can start
# and end within one render of the page, its state never showing "running": the measurement then waited
# out its timeout (in a quiet run, 2 of 5 slide measurements). tests/browser/conftest.py counts the same
# messages (click_and_rerun).
RUN_COUNTER = """
window.__kpRuns = 0;
(() => {
  // A ForwardMsg's top-level fields, protobuf wire format: true when it carries script_finished (6, varint).
  const finished = (buffer) => {
    const b = new Uint8Array(buffer);
    let i = 0;
    const varint = () => {
      let value = 0, shift = 0, byte;
      do { byte = b[i++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80 && i < b.length);
      return value;
    };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
      if (field === 6 && wire === 0) return true;
      if (wire === 0) varint();
      else if (wire === 2) { const length = varint(); i += length; }  // not i += varint(): i is read first
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return false;
    }
    return false;
  };
  window.__kpScriptFinished = finished;  // for tests/test_benchmarks.py
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => {
        if (e.data instanceof ArrayBuffer && finished(e.data)) window.__kpRuns += 1;
      });
    }
  };
})();
"""
# A chart is drawn when its interactive view has its SVG marks (Vega-Lite in the browser), or when it is an
# SVG drawn on the server (``data-kp-chart``, issue 14): the page only lays it out.
CHARTS = '[data-testid="stVegaLiteChart"], [data-kp-chart]'
IDLE = """([ready, runs, charts, exact]) => {
  // The script state is the run's end: no running indicator is shown (client.toolbarMode "minimal").
  if (window.__kpRuns < runs || !document.querySelector(ready)) return false;
  const all = [...document.querySelectorAll('[data-testid="stVegaLiteChart"], [data-kp-chart]')];
  if (exact ? all.length !== charts : all.length < charts) return false;
  return all.every((c) => c.querySelector(c.dataset.kpChart ? 'svg' : 'svg.marks'));
}"""
TIMEOUT_MS = 300_000
SETTLE_MS = 1500  # warm-up: time for lazily loaded chunks after the network is idle (--smoke: 200)
QUIET_S = 1.0  # warm-up: pause between opens while the server draws its SVGs (--smoke: 0.2)


# -- servers -----------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``streamlit run SCRIPT`` on a free port of 127.0.0.1 (as scripts/dashboard.sh, and the browser tests)."""

    def __init__(self, script: str, env: dict[str, str], log: Path, wait: bool = True) -> None:
        """Start the server; with ``wait``, return once it answers (else call :meth:`wait_started`)."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.script, self.log_path = script, log
        cmd = [
            sys.executable, "-m", "streamlit", "run", script,
            "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(self.port),
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        ]  # fmt: skip
        environment = os.environ | env
        environment.pop("KAMIPLAN_READONLY", None)
        self.log = open(log, "wb")  # closed in stop()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=environment, stdout=self.log, stderr=subprocess.STDOUT)
        if wait:
            self.wait_started()

    def wait_started(self) -> None:
        """Return once the server answers its health check; stop it and raise if it ends or 90 s pass."""
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1)
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"streamlit server did not start ({self.script}): see {self.log_path}")

    def memory_mb(self) -> tuple[float, float]:
        """(VmRSS of the server and its children, VmHWM peak of the server process), in MB."""
        pids = [self.proc.pid, *_descendants(self.proc.pid)]
        rss = sum(_status_kb(pid, "VmRSS") for pid in pids)
        return rss / 1024, _status_kb(self.proc.pid, "VmHWM") / 1024

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


# -- data ----------------------------------------------------------------------------------------------
def default_data(tmp: Path) -> Path:
    """The committed plan tables with the invented test actuals (tests/synthetic.py), in a temp folder."""
    from tests.synthetic import plan_folder, populate

    folder = plan_folder(tmp / "data", ROOT / "data")
    populate(folder, queries.indicators(PlanDB(folder).cursor()))
    return folder


def floor_data(tmp: Path) -> Path:
    """合成データ for the floor: four invented indicators, a path, actuals and a target each."""
    rows = []
    for i, (base, target) in enumerate(((100.0, 80.0), (40.0, 55.0), (3.0, 5.0), (1200.0, 1500.0))):
        name = f"合成指標{i + 1}"
        for year in range(2024, 2030):
            share = (year - 2024) / 5
            rows.append({"indicator": name, "series": "計画線", "year": year, "value": base + (target - base) * share})
        for year, pace in ((2025, 0.9), (2026, 1.1)):
            share = (year - 2024) / 5 * pace
            rows.append({"indicator": name, "series": "実績", "year": year, "value": base + (target - base) * share})
        rows.append({"indicator": name, "series": "目標値", "year": 2029, "value": target})
    path = tmp / "floor.parquet"
    pd.DataFrame(rows).to_parquet(path)
    return path


# -- browser -------------------------------------------------------------------------------------------
@contextmanager
def session(browser, accept_downloads: bool = False):
    """A new browser context: a fresh Streamlit session."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="ja-JP", accept_downloads=accept_downloads
    )
    context.add_init_script(RUN_COUNTER)
    try:
        yield context.new_page()
    finally:
        context.close()


def wait_idle(page, runs: int, charts: int, exact: bool = False) -> None:
    page.wait_for_function(IDLE, arg=[READY, runs, charts, exact], timeout=TIMEOUT_MS, polling="raf")


def chart_count(page) -> int:
    return page.locator(CHARTS).count()


def interactive_count(page) -> int:
    """Charts the browser draws itself (Vega-Lite); the others arrived as SVG drawn on the server."""
    return page.locator('[data-testid="stVegaLiteChart"]').count()


def settle(page, runs: int) -> int:
    """Warm-up: wait until idle, let lazy chunks arrive, and return how many charts the page has."""
    wait_idle(page, runs, 0)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(SETTLE_MS)
    n = chart_count(page)
    wait_idle(page, runs, n)
    return n


def choose(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option).wait_for()


class App:
    """One app under test: its server, its pages, and how to change its filter and export."""

    def __init__(self, name: str, server: Server, pages: list[str], filter_page: str | None, filter_label: str) -> None:
        self.name = name
        self.server = server
        self.pages = pages
        self.filter_page = filter_page
        self.filter_label = filter_label
        self.filter_option = ""
        self.charts: dict[str, int] = {}
        self.charts_after_filter = 0
        self.slide_charts: dict[int, int] = {}

    def url(self, page: str) -> str:
        return f"{self.server.url}/{'' if page == 'overview' else page}"


def server_charts_ready(browser, app: App, url: str, tries: int = 120) -> int:
    """Warm-up: open ``url`` in fresh sessions until the server has drawn what it draws in the background
    (issue 14: a chart is interactive until its SVG is ready); return how many charts the page has."""
    last = None
    for _ in range(tries):
        with session(browser) as page:
            page.goto(url, wait_until="commit")
            total = settle(page, 1)
            seen = (total, interactive_count(page))
        if seen == last or seen[1] == 0 or SETTLE_MS < 1500:  # --smoke: timings are not judged
            return total
        last = seen
        time.sleep(QUIET_S)
    return total


def measure_open(browser, app: App, page_name: str, warm: bool) -> float:
    """Fresh-context method: a new browser context per open (new session, empty browser cache). In the
    warm-up, only learn the page's charts: those opens fill the caches, and a timed one would be discarded."""
    if warm:
        app.charts[page_name] = server_charts_ready(browser, app, app.url(page_name))
        return 0.0
    with session(browser) as page:
        start = time.perf_counter()
        page.goto(app.url(page_name), wait_until="commit")
        wait_idle(page, 1, app.charts[page_name])
        return time.perf_counter() - start


def measure_open_warm(context, app: App, page_name: str) -> float:
    """Warm-browser method: a new tab in a browser context that stays open (its cache holds Streamlit's
    and Vega's scripts, as for someone who has the dashboard open all day); a new Streamlit session."""
    page = context.new_page()
    try:
        page.bring_to_front()
        start = time.perf_counter()
        page.goto(app.url(page_name), wait_until="commit")
        wait_idle(page, 1, app.charts[page_name])
        return time.perf_counter() - start
    finally:
        page.close()


SLIDE_COUNTER = "() => (document.querySelector('.kp-count') || {}).textContent || ''"


def measure_slides(browser, app: App, first: int, steps: int, warm: bool) -> list[float]:
    """発表モード: from slide ``first``, press 「次へ」 ``steps`` times; each sample is click → the next slide's
    counter, a finished run and all its charts drawn (how many: learnt in the warm-up)."""
    url = f"{app.server.url}/present?slide={first}"
    if warm:
        for n in range(first, first + steps + 1):
            server_charts_ready(browser, app, f"{app.server.url}/present?slide={n}")
    out = []
    with session(browser) as page:
        page.goto(url, wait_until="commit")
        wait_idle(page, 1, app.slide_charts.get(first, 0))
        for n in range(first, first + steps):
            if warm:  # learn each slide's charts (and let the server draw them)
                app.slide_charts[n] = settle(page, page.evaluate("() => window.__kpRuns"))
            runs = page.evaluate("() => window.__kpRuns")
            button = page.get_by_role("button", name="次へ ▶")
            start = time.perf_counter()
            button.click()
            page.wait_for_function(
                "(want) => ((document.querySelector('.kp-count') || {}).textContent || '').startsWith(want)",
                arg=f"{n + 1} / ",
                timeout=TIMEOUT_MS,
                polling="raf",
            )
            wait_idle(page, runs + 1, app.slide_charts.get(n + 1, 0), exact=not warm)
            out.append(time.perf_counter() - start)
        if warm:
            app.slide_charts[first + steps] = settle(page, page.evaluate("() => window.__kpRuns"))
    return out


def measure_filter(browser, app: App, warm: bool) -> float:
    with session(browser) as page:
        page.goto(app.url(app.filter_page), wait_until="commit")
        if warm:
            app.charts[app.filter_page] = settle(page, 1)
        else:
            wait_idle(page, 1, app.charts[app.filter_page])
        choose(page, app.filter_label, app.filter_option)
        start = time.perf_counter()
        page.get_by_role("option", name=app.filter_option).click()
        if warm:
            app.charts_after_filter = settle(page, 2)
        else:
            wait_idle(page, 2, app.charts_after_filter, exact=True)
        return time.perf_counter() - start


def measure_export(browser, app: App, page_name: str, warm: bool) -> float:
    """Click the page's last CSV download button (the overview: the whole indicator list)."""
    with session(browser, accept_downloads=True) as page:
        page.goto(app.url(page_name), wait_until="commit")
        if warm:
            app.charts[page_name] = settle(page, 1)
        else:
            wait_idle(page, 1, app.charts[page_name])
        button = page.get_by_role("button", name="CSV をダウンロード").last
        button.scroll_into_view_if_needed()
        start = time.perf_counter()
        with page.expect_download(timeout=TIMEOUT_MS) as info:
            button.click()
        info.value.path()
        return time.perf_counter() - start


def measure_memory(app: App, sessions: int, timeout: float) -> dict[str, float]:
    """RSS after ``sessions`` concurrent sessions have each run every page of the app (protocol level).

    The sessions are :mod:`benchmarks.protocol_sessions` clients: each opens the first page by URL and the
    others through the menu (a rerun with the page's script hash), in step; the RSS is read while all of them
    are still connected. Every session must report every run finished (``script_finished``), or this fails.
    """
    paths = ["" if name == "overview" else name for name in app.pages]
    url = app.server.url

    async def warm_up() -> None:  # the first session fills the caches; then it leaves
        async with concurrent_sessions(url, paths[:1], 1, timeout):
            pass

    async def held() -> tuple[float, float, int, int, float]:
        start = time.perf_counter()
        async with concurrent_sessions(url, paths, sessions, timeout) as opened:
            seconds = time.perf_counter() - start
            rss, peak = app.server.memory_mb()
            children = len(_descendants(app.server.proc.pid))
            return rss, peak, children, sum(s.finished for s in opened), seconds

    asyncio.run(warm_up())
    idle_rss, _ = app.server.memory_mb()
    rss, peak, children, runs, sessions_s = asyncio.run(held())
    if runs != sessions * len(paths):
        raise RuntimeError(f"{app.name}: {runs} runs finished, expected {sessions} sessions × {len(paths)} pages")
    # The server may still be drawing chart SVGs in a child process (issue 14): counted above; here the
    # memory once it has finished (at most 10 minutes later).
    deadline = time.monotonic() + 600
    while _descendants(app.server.proc.pid) and time.monotonic() < deadline:
        time.sleep(2)
    settled, _ = app.server.memory_mb()
    return {
        "idle_rss_mb": idle_rss,
        "rss_mb": rss,
        "peak_mb": peak,
        "children_at_rss": children,
        "rss_after_drawing_mb": settled,
        "drawing_s": 600 - max(0.0, deadline - time.monotonic()),
        "runs_finished": runs,
        "sessions_s": sessions_s,
    }


# -- in process and commands ------------------------------------------------------------------------
def whole_plan_csv(folder: Path) -> float:
    """Seconds to evaluate every indicator and write the whole list as CSV (what the overview exports)."""
    start = time.perf_counter()
    con = PlanDB(folder).cursor()
    info = queries.plan_info(con)
    current = ActualsStore(folder).current()
    inds = queries.indicators(con)
    year = dashboard.default_year(current, inds, int(info["start_year"]), int(info["end_year"])).year
    report = dashboard.evaluate(inds, current, year, int(info["start_year"]))
    to_csv_bytes(dashboard.indicator_table(report))
    return time.perf_counter() - start


def timed_command(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


# -- the run -----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="measured repetitions (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up repetitions, excluded (default 1, at least 1)")
    parser.add_argument("--pages", help="comma-separated URL paths (overview,pillar1,…; default: every page but edit)")
    parser.add_argument("--filter-page", default="pillar1", help="大綱 page whose 基本計画 filter is measured, or none")
    parser.add_argument(
        "--export-page", help="page whose last CSV button is measured (default: the filter page), or none"
    )
    parser.add_argument(
        "--slides",
        default="2:8",
        help="発表モード: FIRST:STEPS — from slide FIRST press 次へ STEPS times (default 2:8), or none",
    )
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for one page (default 600)")
    parser.add_argument("--data-dir", help="data folder (default: data/ plan tables + invented test actuals)")
    parser.add_argument("--sessions", type=int, default=10, help="concurrent sessions for the memory measurement")
    memory = parser.add_mutually_exclusive_group()
    memory.add_argument("--no-memory", action="store_true", help="skip the memory measurement")
    memory.add_argument(
        "--only-memory",
        action="store_true",
        help="only the memory measurement (no browser, no timings, no commands)",
    )
    parser.add_argument("--json", help="also write the results as JSON to this file")
    parser.add_argument(
        "--smoke", action="store_true", help="the test suite's check that the script runs: short waits, commands once"
    )
    args = parser.parse_args(argv)
    if args.warmup < 1 or args.repeat < 1:
        parser.error("--warmup and --repeat must be at least 1 (the warm-up learns how many charts each page has)")

    global TIMEOUT_MS, SETTLE_MS, QUIET_S
    TIMEOUT_MS = args.timeout * 1000
    if args.smoke:
        SETTLE_MS, QUIET_S = 200, 0.2
    command_runs = 1 if args.smoke else max(3, args.repeat)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kamiplan-bench-") as tmp_name:
        tmp = Path(tmp_name)
        folder = Path(args.data_dir) if args.data_dir else default_data(tmp)
        con = PlanDB(folder).cursor()
        all_pages = [s.url_path or "overview" for s in page_specs(queries.pillars(con)) if not s.editing]
        pages = args.pages.split(",") if args.pages else all_pages
        unknown = sorted(set(pages) - set(all_pages))
        if unknown:
            parser.error(f"unknown pages: {', '.join(unknown)} (known: {', '.join(all_pages)})")
        filter_page = None if args.filter_page == "none" else args.filter_page
        export_page = args.export_page or filter_page or "overview"
        export_page = None if export_page == "none" else export_page
        if filter_page is not None:
            pillar = int(filter_page.removeprefix("pillar")) if filter_page.startswith("pillar") else 0
            policies = queries.policies(con, pillar)
            if filter_page not in all_pages or policies.empty:
                parser.error(f"--filter-page must be a 大綱 page (pillar1…) or none: {filter_page}")
            # The last 基本計画 of the 大綱 (大綱1: (3), 5 of its 15 indicators).
            last = policies.iloc[-1]
        kami_env = {"KAMIPLAN_DATA_DIR": str(folder)}
        floor_env = {"FLOOR_DATA": str(floor_data(tmp))}
        results: dict = {"machine": machine(), "args": vars(args), "pages": {}}

        if not args.only_memory:  # the browser phases
            # Both servers start at once (while chromium starts), before anything is timed.
            servers = [
                Server("serve.py", kami_env, tmp / "kamiplan.log", wait=False),
                Server("benchmarks/floor_app.py", floor_env, tmp / "floor.log", wait=False),
            ]
            with sync_playwright() as p:
                try:
                    browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                    for server in servers:
                        server.wait_started()
                except BaseException:
                    for server in servers:
                        server.stop()
                    raise
                kami = App("kamiplan", servers[0], pages, filter_page, "基本計画")
                floor = App("floor", servers[1], [""], "", "指標")
                slide_steps = None if args.slides == "none" else tuple(int(x) for x in args.slides.split(":"))
                if filter_page is not None:
                    kami.filter_option = f"({last.policy}) {last['name']}"
                else:
                    kami.filter_page = None
                    if slide_steps is None:
                        floor.filter_page = None  # the floor's filter is the reference of the slide change too
                floor.filter_option = "合成指標3"
                floor.charts[""] = 1
                try:
                    samples = run_timings(
                        browser, kami, floor, pages, export_page, args.warmup, args.repeat, slide_steps, args.smoke
                    )
                finally:
                    kami.server.stop()
                    floor.server.stop()
                    browser.close()
            results["charts"] = kami.charts
            results["charts_after_filter"] = kami.charts_after_filter
            results["slide_charts"] = kami.slide_charts
            results["retries"] = {what: errors for (who, what), errors in samples.items() if who == "retries"}
            results["warm_browser"] = {}
            for name in pages:
                results["pages"][name] = summary(samples[("kamiplan", name)], samples[("floor", name)])
                results["warm_browser"][name] = summary(
                    samples[("kamiplan", f"{name}@warm")], samples[("floor", f"{name}@warm")]
                )
            for what in ("filter", "export"):
                if ("kamiplan", what) in samples:
                    results[what] = summary(samples[("kamiplan", what)], samples[("floor", what)])
            if ("kamiplan", "slides") in samples:
                # The budget: the next slide within 1.2× the floor's filter change (a rerun that redraws its chart).
                results["slides"] = summary(samples[("kamiplan", "slides")], samples[("floor", "filter")])
            results["export_page"] = export_page

        if not args.no_memory:
            mem = {}
            for name, script, env, app_pages in (
                ("floor", "benchmarks/floor_app.py", floor_env, [""]),
                ("kamiplan", "serve.py", kami_env, pages if args.smoke else all_pages),
            ):
                server = Server(script, env, tmp / f"{name}-memory.log")
                try:
                    mem[name] = measure_memory(App(name, server, app_pages, "", ""), args.sessions, args.timeout)
                finally:
                    server.stop()
                print(f"  memory of {name} measured ({mem[name]['sessions_s']:.0f} s)", file=sys.stderr)
            results["memory"] = mem | {"sessions": args.sessions}

        if not args.only_memory:
            csv_runs = [whole_plan_csv(folder) for _ in range(command_runs)]
            report = [sys.executable, "-m", "kamiplan", "report", "--year", str(default_year(folder))]
            report += ["--format", "csv", "--data-dir", str(folder)]
            imports = [sys.executable, "-c", "import pandas, duckdb"]
            report_runs, import_runs = [], []
            for _ in range(command_runs):
                import_runs.append(timed_command(imports))
                report_runs.append(timed_command(report))
            results["whole_plan_csv_s"] = statistics.median(csv_runs)
            results["report_command"] = summary(report_runs, import_runs)
        results["indicators"] = int(len(queries.indicators(con)))
        results["actuals"] = int(len(ActualsStore(folder).current()))

    print_table(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return results


def run_timings(
    browser,
    kami: App,
    floor: App,
    pages: list[str],
    export_page: str,
    warmup: int,
    repeat: int,
    slides=None,
    smoke: bool = False,
) -> dict:
    """Every timed measurement, ``warmup + repeat`` times (apps in alternating order); the warm-up's samples are
    dropped. With ``smoke`` (the test suite's run), the warm-up only learns what the timed runs wait for (each
    page's charts, the filter's, the slides'): it leaves out the opens that only fill the browser's cache and
    the export (its page's charts are learnt by its open)."""
    samples: dict[tuple[str, str], list[float]] = {}
    contexts = {}
    for app in (kami, floor):  # the warm-browser method: one context per app for the whole run
        contexts[app.name] = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
        contexts[app.name].add_init_script(RUN_COUNTER)
    try:
        for rep in range(warmup + repeat):
            warm = rep < warmup
            order = (floor, kami) if rep % 2 == 0 else (kami, floor)

            def add(app: App, what: str, seconds, warm: bool = warm) -> None:
                if not warm:
                    samples.setdefault((app.name, what), []).append(seconds)

            def retried(measure, *args):
                """A measurement that hangs (a click lost on a loaded machine: no run follows) is taken again,
                at most twice; the retries are counted in the results."""
                from playwright.sync_api import Error as PlaywrightError

                for attempt in range(3):
                    try:
                        return measure(*args)
                    except PlaywrightError as exc:
                        if attempt == 2:
                            raise
                        samples.setdefault(("retries", measure.__name__), []).append(str(exc).splitlines()[0])
                        print(f"  retrying {measure.__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)

            for name in pages:
                for app in order:
                    add(app, name, retried(measure_open, browser, app, name if app is kami else "", warm))
            for name in pages if not (warm and smoke) else []:
                for app in order:
                    add(
                        app,
                        f"{name}@warm",
                        retried(measure_open_warm, contexts[app.name], app, name if app is kami else ""),
                    )
            for app in order:
                if app.filter_page is not None:
                    add(app, "filter", retried(measure_filter, browser, app, warm))
                learnt = (export_page if app is kami else "") in app.charts
                if export_page and not (warm and smoke and learnt):
                    add(app, "export", retried(measure_export, browser, app, export_page if app is kami else "", warm))
            if slides:
                for seconds in retried(measure_slides, browser, kami, slides[0], slides[1], warm):
                    add(kami, "slides", seconds)
            print(f"  repetition {rep + 1}/{warmup + repeat}{' (warm-up)' if warm else ''} done", file=sys.stderr)
    finally:
        for context in contexts.values():
            context.close()
    return samples


def summary(values: list[float], reference: list[float]) -> dict:
    k, f = statistics.median(values), statistics.median(reference)
    return {"median_s": k, "floor_median_s": f, "ratio": k / f, "samples": values, "floor_samples": reference}


def default_year(folder: Path) -> int:
    con = PlanDB(folder).cursor()
    info = queries.plan_info(con)
    current = ActualsStore(folder).current()
    return dashboard.default_year(current, queries.indicators(con), int(info["start_year"]), int(info["end_year"])).year


def machine() -> dict:
    from importlib.metadata import version

    import altair
    import duckdb
    import pyarrow
    import streamlit

    try:
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        chromium = "?"
    mem_kb = _status_kb_meminfo()
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "pandas": pd.__version__,
        "altair": altair.__version__,
        "duckdb": duckdb.__version__,
        "pyarrow": pyarrow.__version__,
        "playwright": version("playwright"),
        "chromium": chromium,
    }


def _status_kb_meminfo() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1])
    return 0


def print_table(results: dict) -> None:
    m = results["machine"]
    print(
        f"machine: {m['cpus']} cores, {m['memory_gb']} GB; Python {m['python']}, streamlit {m['streamlit']}, "
        f"{m['chromium']}"
    )
    print(
        f"data: {results['indicators']} indicator rows, {results['actuals']} actuals; "
        f"charts per page: {results.get('charts', '(not opened in a browser)')}"
    )
    print(f"{'measurement':34} {'kamiplan ms':>12} {'floor ms':>10} {'ratio':>7}")

    def row(label: str, r: dict) -> None:
        print(f"{label:34} {r['median_s'] * 1000:12.0f} {r['floor_median_s'] * 1000:10.0f} {r['ratio']:7.2f}")

    for name, r in results["pages"].items():
        row(f"open {name} ({results['charts'].get(name, 0)} charts)", r)
    for name, r in results.get("warm_browser", {}).items():
        row(f"open {name}, warm browser", r)
    if "filter" in results:
        row(f"filter → idle ({results['charts_after_filter']} charts)", results["filter"])
    if "slides" in results:
        row("next slide (vs floor filter)", results["slides"])
    if "export" in results:
        row(f"export CSV on {results['export_page']} (click → file)", results["export"])
    if "memory" in results:
        mem = results["memory"]
        k, f = mem["kamiplan"], mem["floor"]
        print(
            f"{'server RSS MB, ' + str(mem['sessions']) + ' sessions':34} {k['rss_mb']:12.0f} {f['rss_mb']:10.0f} "
            f"{k['rss_mb'] / f['rss_mb']:7.2f}"
        )
        print(
            f"{'  (idle after 1st session / peak)':34} {k['idle_rss_mb']:5.0f} / {k['peak_mb']:4.0f} "
            f"{f['idle_rss_mb']:4.0f} / {f['peak_mb']:3.0f}"
        )
        print(
            f"{'  (once the SVG drawing finished)':34} {k['rss_after_drawing_mb']:12.0f} "
            f"({k['children_at_rss']} drawing processes at the first reading, {k['drawing_s']:.0f} s later)"
        )
        print(
            f"{'  (runs finished, seconds to run)':34} {k['runs_finished']:5d} / {k['sessions_s']:4.0f} "
            f"{f['runs_finished']:4d} / {f['sessions_s']:3.0f}"
        )
    if "whole_plan_csv_s" in results:
        print(f"{'whole-plan CSV in process':34} {results['whole_plan_csv_s'] * 1000:12.0f}")
    if "report_command" in results:
        r = results["report_command"]
        print(
            f"{'kamiplan report (command)':34} {r['median_s'] * 1000:12.0f} {r['floor_median_s'] * 1000:10.0f} "
            f"{r['ratio']:7.2f}"
        )
        print("(report floor: python -c 'import pandas, duckdb')")


if __name__ == "__main__":
    main()
