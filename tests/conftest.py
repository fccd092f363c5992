"""Shared fixtures. Only a few tests read the committed data/; most build into tmp_path."""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import settings

from kamiplan.paths import DEFAULT_DATA_DIR, source_dir
from kamiplan.plan.build import SourceFiles, build_tables

# AppTests see the interactive charts (Vega-Lite specs to check) unless a test switches the server-drawn
# SVGs on (tests/app/test_pages_static_charts.py); the browser tests' servers draw SVGs as the product does.
os.environ.setdefault("KAMIPLAN_STATIC_CHARTS", "0")

# No per-example deadline: the suite runs on two processes next to browsers and servers, where a parser's
# example can take 300 ms once (a flake, not a finding). Slowness is measured by benchmarks/.
settings.register_profile("kamiplan", deadline=None)
settings.load_profile("kamiplan")

PROJECT = Path(__file__).resolve().parent.parent

# The browser tests run one after another on one of the two test processes (scripts/test.sh: ``-n 2
# --dist loadgroup``), first, while the other process runs the tests without a browser; then both share
# what is left. Two browser modules at once (two chromiums and their servers on 2 cores) lost clicks and
# keystrokes in a CI run (a save not confirmed in 30 s, a download not started in 180 s). In this order, about the
# longest first; seconds measured on this machine (2 cores) with the browser tests alone, 2026-11-30, at load ~12
# (other work on the machine: a quiet one takes less); modules not named here follow them.
BROWSER_MODULES_LONGEST_FIRST = (
    "test_pages_in_browser.py",  # ~105 s
    "test_import_in_browser.py",  # ~65 s
    "test_presentation_in_browser.py",  # ~56 s
    "test_benchmarks.py",  # the page benchmark's browser phases, ~45 s (~85 s with its memory phase, now apart)
    # After the other process has built the report and the snapshot (OTHER_MODULES_FIRST).
    "test_outputs_in_browser.py",  # ~32 s (~52 s building them itself)
    "test_projects_in_browser.py",  # ~18 s
    "test_review_sheet_in_browser.py",  # ~9 s
    "test_serve_in_browser.py",  # ~8 s
    # Last: its servers start with the first browser test and draw its charts meanwhile (browser/conftest.py).
    "test_static_charts_in_browser.py",  # ~22 s
)
# The other process: first the modules that build what the browser tests also use (the print report, the
# snapshot: built once in the run, see built_once), then the longest, so that the two processes end together
# (the browser process takes what is left once its group is done); seconds of a full run at load ~16.
OTHER_MODULES_FIRST = (
    "test_print_report.py",
    "test_snapshot.py",
    "test_store_kinds.py",  # ~89 s (two processes saving at once)
    "test_pages_static_charts.py",  # ~85 s
    "test_benchmarks.py",  # ~75 s (the scripts without a browser, the page benchmark's memory phase)
    "test_charts.py",  # ~49 s
    "test_page_edit.py",  # ~42 s
    "test_present_projects.py",  # ~36 s
)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist turns the group into the test's id
def pytest_collection_modifyitems(config, items):
    """Browser tests first, all in one group, in their order; then the others (see above)."""

    def order(item) -> tuple[int, int]:
        name = item.path.name
        if item.get_closest_marker("browser") is None:
            return (1, OTHER_MODULES_FIRST.index(name) if name in OTHER_MODULES_FIRST else 99)
        rank = BROWSER_MODULES_LONGEST_FIRST.index(name) if name in BROWSER_MODULES_LONGEST_FIRST else 99
        return (0, rank)

    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.xdist_group("browser"))
    items.sort(key=order)  # stable: the order inside a module is kept


class _BrowserGroupId:
    """The browser group as pytest-xdist's loadgroup scheduler reads it: the group's name after an ``@`` at the end
    of the test's id. xdist 3.8 appends it to ``item._nodeid``, which pytest 9.2 no longer reads (its ids are
    structured): --dist loadgroup silently spread the browser tests over both processes, two chromiums at once
    (pytest-dev/pytest-xdist#1386). After xdist's own hook, a browser test whose id still lacks the suffix gets it
    in the structured id."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items) -> None:
        if not getattr(config.option, "loadgroup", False):  # not an xdist worker of --dist loadgroup
            return
        from _pytest.nodeid import NodeId

        for item in items:
            if item.get_closest_marker("browser") is not None and not item.nodeid.endswith("@browser"):
                item._id = NodeId.parse(f"{item.nodeid}@browser")


def pytest_configure(config):
    config.pluginmanager.register(_BrowserGroupId(), "kamiplan-browser-group-id")


DATA = DEFAULT_DATA_DIR
SOURCE = source_dir(DATA)


@pytest.fixture(scope="session", autouse=True)
def render_cache_dir(tmp_path_factory):
    """vl-convert's cache (chart SVGs, the Vega bundle) in a folder of this run, not the user's cache folder;
    commands and servers the tests start inherit it.

    With pytest-xdist, the test processes of the run share it (the cache is made for processes writing at once):
    the print report, the snapshot and the server-drawn charts were drawn by both (~11 s of CPU each on 2 cores
    for the report and the snapshot alone), and by the browser tests' process while the other had them."""
    from kamiplan.outputs.render_cache import ENV_CACHE_DIR

    if os.environ.get("PYTEST_XDIST_WORKER"):  # the run's folder, parent of each process's own
        folder = tmp_path_factory.getbasetemp().parent / "render-cache"
        folder.mkdir(exist_ok=True)
    else:  # one test process
        folder = tmp_path_factory.mktemp("render-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV_CACHE_DIR, str(folder))
        yield folder


@pytest.fixture(scope="session")
def tables() -> dict[str, pa.Table]:
    """The plan tables built from the committed sources (in memory)."""
    return build_tables(SourceFiles.in_dir(SOURCE))


@pytest.fixture(scope="session")
def indicators(tables):
    return tables["indicators"].to_pandas().set_index("indicator_id", drop=False)


@pytest.fixture(scope="session")
def actions(tables):
    return tables["actions"].to_pandas()


@pytest.fixture
def plan_copy(tmp_path) -> Path:
    """A data folder with the committed plan tables and no actuals (tests write actuals there)."""
    from tests.synthetic import plan_folder

    return plan_folder(tmp_path / "data", DATA)


@pytest.fixture
def source_copy(tmp_path) -> Path:
    """A writable copy of data/source to edit in a test."""
    dst = tmp_path / "source"
    shutil.copytree(SOURCE, dst)
    return dst


# Text a person could type into a note or a source: it must come out as text, never as markup or script.
HOSTILE_NOTE = "テスト用の架空データ <script>alert('kamiplan')</script>"
HOSTILE_SOURCE = "</script><img src=x onerror=alert(2)>"


# Words a program leaves behind when a value is missing; none may reach a page people read.
LEFTOVER_WORDS = re.compile(r"(?<![A-Za-z])(None|nan|NaN|null|undefined|NaT|<NA>)(?![A-Za-z])")


def visible_text(page: str) -> str:
    """The text of an HTML page as a reader sees it (no script, style or chart SVG; entities decoded)."""
    page = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


HOSTILE_PROJECT = "テスト用の架空事業 <script>alert('kamiplan')</script>"  # a 取組内容 typed by someone


@contextlib.contextmanager
def built_once(tmp_path_factory, name: str) -> Iterator[tuple[Path, bool]]:
    """A folder ``name`` of this run and whether it is built yet, under a lock: with pytest-xdist both test
    processes share it, and the first to come builds what goes in it (then calls :func:`mark_built`) while the
    other waits for it. A folder left half-built (its build failed) is emptied and built again."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # one test process
        yield tmp_path_factory.mktemp(name), False
        return
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp().parent
    folder = root / name
    with FileLock(str(root / f"{name}.lock")):
        built = (folder / BUILT).exists()
        if not built and folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(exist_ok=True)
        yield folder, built


BUILT = ".built"


def mark_built(folder: Path) -> None:
    (folder / BUILT).touch()


@pytest.fixture(scope="session")
def outputs_folder(tmp_path_factory) -> Path:
    """A data folder with テスト用の架空データ: actuals (one note and source of 人口 (R8) hostile) and
    project records for R7(2025) and R8(2026) (one 取組内容 hostile). Tests only read it (both test processes
    use the same one, with the report and the snapshot built from it once: :func:`built_once`)."""
    from dataclasses import replace

    from kamiplan.plan.db import PlanDB
    from kamiplan.plan.queries import actions as load_actions
    from kamiplan.plan.queries import indicators as load_indicators
    from kamiplan.records.actuals_store import ActualsStore
    from kamiplan.records.projects import ProjectStore
    from tests.synthetic import plan_folder, synthetic_changes, synthetic_project_changes

    with built_once(tmp_path_factory, "outputs") as (base, built):
        folder = base / "data"
        if built:
            return folder
        plan_folder(folder, DATA)
        changes = [
            replace(c, new=replace(c.new, note=HOSTILE_NOTE, source=HOSTILE_SOURCE))
            if (c.series_id, c.year) == ("0-V1", 2026)
            else c
            for c in synthetic_changes(load_indicators(PlanDB(folder).cursor()))
        ]
        ActualsStore(folder).save(changes, by="テスト", how="form")
        projects = [
            replace(c, new=replace(c.new, work=HOSTILE_PROJECT)) if (c.key, c.year) == ("1-1-1-01", 2026) else c
            for c in synthetic_project_changes(load_actions(PlanDB(folder).cursor()), years=(2025, 2026))
        ]
        ProjectStore(folder).save(projects, by="テスト", how="form")
        mark_built(base)
    return folder


@pytest.fixture(scope="session")
def outputs_view(outputs_folder):
    """The plan evaluated for R8(2026) on the folder above."""
    from kamiplan.outputs.plan_view import load
    from kamiplan.plan.db import PlanDB
    from kamiplan.records.actuals_store import ActualsStore
    from kamiplan.records.projects import ProjectStore

    return load(
        PlanDB(outputs_folder).cursor(),
        ActualsStore(outputs_folder).current(),
        2026,
        ProjectStore(outputs_folder).current(),
    )


@pytest.fixture(scope="session")
def report_html(outputs_view, tmp_path_factory) -> str:
    """The printable report of :func:`outputs_view` (built once in the run: 46 charts take several seconds)."""
    from datetime import date

    from kamiplan.outputs.print_report import render

    with built_once(tmp_path_factory, "report") as (base, built):
        path = base / "report.html"
        if not built:
            path.write_text(render(outputs_view, created=date(2026, 11, 28)), encoding="utf-8")
            mark_built(base)
        return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def snapshot_dir(outputs_folder, tmp_path_factory) -> Path:
    """The offline snapshot of :func:`outputs_folder`, written by the command as a user runs it (once in the run)."""
    from kamiplan.cli import main

    with built_once(tmp_path_factory, "snapshot") as (base, built):
        out = base / "site"
        if not built:
            assert main(["snapshot", "--out", str(out), "--year", "R8", "--data-dir", str(outputs_folder)]) == 0
            mark_built(base)
        return out
