"""The overview's 効果検証シート button: there, and the book is built only when clicked."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from kamiplan import labels
from kamiplan.app import ui
from kamiplan.plan.db import PlanDB
from kamiplan.plan.queries import actions, indicators
from kamiplan.records.actuals_store import ActualsStore
from kamiplan.records.projects import ProjectStore
from tests.conftest import DATA, PROJECT
from tests.synthetic import plan_folder, populate, populate_projects

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = plan_folder(tmp_path_factory.mktemp("review_page") / "data", DATA)
    con = PlanDB(out).cursor()
    populate(out, indicators(con))
    populate_projects(out, actions(con))
    return out


def test_overview_offers_the_review_sheet(folder, monkeypatch, downloads):
    monkeypatch.setenv("KAMIPLAN_DATA_DIR", str(folder))
    monkeypatch.delenv("KAMIPLAN_READONLY", raising=False)
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90).run()
    assert not at.exception, [e.message for e in at.exception]
    buttons = [b.proto for b in at.get("download_button") if b.proto.label == labels.DOWNLOAD_REVIEW_SHEET]
    assert len(buttons) == 1
    button = buttons[0]
    assert button.ignore_rerun and button.deferred_file_id and not button.url  # a callable: built when clicked
    assert XLSX not in downloads.types


def test_the_cached_builder_makes_the_book(folder):
    """What the button calls when clicked: the book of the year, from both stores' current records."""
    revisions = ActualsStore(folder).revision(), ProjectStore(folder).revision()
    data = ui._review_sheet(str(folder), *revisions, 2025, date(2026, 5, 20))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book["総括"]["A1"].value == "令和7年度(R7) 効果検証シート"
    assert book["事業"]["J2"].value == "実施"  # 1-1-1-01's invented record
