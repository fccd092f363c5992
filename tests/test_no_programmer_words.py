"""No programmer's words where people read: None / null / NaN / nan in the report, the snapshot, the CSVs.

(The pages' DOM text is checked in tests/browser/test_pages_in_browser.py; tooltips in tests/outputs/test_charts.py.)
"""

from __future__ import annotations

import html
import io
import re

import pandas as pd
import pytest

from kamiplan.model import dashboard
from kamiplan.outputs import report
from kamiplan.outputs.export import to_csv_bytes
from kamiplan.plan import queries
from kamiplan.plan.db import PlanDB
from kamiplan.records.actuals_io import export_frame, log_frame, template_frame
from kamiplan.records.actuals_store import ActualsStore

LEFTOVER = re.compile(r"\b(None|null|NaN|nan|NaT|<NA>)\b")


def text_of_html(page: str) -> str:
    page = re.sub(r"<script.*?</script>|<style.*?</style>|<svg.*?</svg>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    from tests.conftest import DATA
    from tests.synthetic import populated_folder

    return populated_folder(tmp_path_factory.mktemp("words") / "data", DATA)


def test_report_html_and_csv(filled):
    from kamiplan.outputs.print_report import build_html

    con = PlanDB(filled).cursor()
    actuals = ActualsStore(filled).current()
    assert LEFTOVER.findall(text_of_html(build_html(con, actuals, 2026))) == []
    assert LEFTOVER.findall(report.to_csv(report.build_report(con, actuals, 2026))) == []
    assert LEFTOVER.findall(report.to_table(report.build_report(con, actuals, 2026))) == []


def test_snapshot_pages_and_csv(filled, tmp_path):
    from kamiplan.outputs.snapshot import snapshot

    out = tmp_path / "site"
    snapshot(PlanDB(filled).cursor(), ActualsStore(filled).current(), out, 2026, False)
    for path in sorted(out.rglob("*")):
        if path.suffix == ".html":
            assert LEFTOVER.findall(text_of_html(path.read_text(encoding="utf-8"))) == [], path.name
        elif path.suffix == ".csv":
            assert LEFTOVER.findall(path.read_text(encoding="utf-8-sig")) == [], path.name


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_every_table_people_download(filled, encoding):
    con = PlanDB(filled).cursor()
    store = ActualsStore(filled)
    inds = queries.indicators(con)
    info = queries.plan_info(con)
    evaluated = dashboard.evaluate(inds, store.current(), 2026, int(info["start_year"]))
    frames = [
        dashboard.indicator_table(evaluated),
        dashboard.rollup_table(
            dashboard.grade_counts(evaluated, "policy", queries.pillars(con), queries.policies(con))
        ),
        dashboard.action_table(queries.filter_actions(con)),
        export_frame(inds, store.current()),
        template_frame(inds, range(2025, 2030)),
        log_frame(store.log(), inds),
    ]
    for frame in frames:
        text = to_csv_bytes(frame, encoding).decode(encoding)
        assert LEFTOVER.findall(text) == [], frame.columns.tolist()
        assert isinstance(pd.read_csv(io.StringIO(text)), pd.DataFrame)
