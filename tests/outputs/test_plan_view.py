"""The shareable outputs' view of one year: the project table and roll-ups are the model's, unchanged."""

from __future__ import annotations

import pandas as pd
import pytest

from kamiplan.model.project_rollup import project_table, rollup
from kamiplan.outputs.plan_view import load
from kamiplan.plan import queries
from kamiplan.plan.db import PlanDB
from kamiplan.records.actuals_store import ActualsStore
from kamiplan.records.projects import ProjectStore


def test_project_table_and_rollups_equal_the_model(outputs_view, outputs_folder):
    con = PlanDB(outputs_folder).cursor()
    table = project_table(queries.actions(con), ProjectStore(outputs_folder).current(), 2026)
    pd.testing.assert_frame_equal(outputs_view.projects, table)
    assert outputs_view.has_project_records
    pd.testing.assert_frame_equal(outputs_view.project_rollup(("pillar",)), rollup(table, ("pillar",)))
    whole = rollup(table, ("pillar", "policy"))
    pd.testing.assert_frame_equal(outputs_view.project_rollup(("pillar", "policy")), whole)
    for pillar in (1, 2, 3, 4):
        part = outputs_view.project_rollup(("pillar", "policy"), pillar=pillar)
        expected = whole[whole["pillar"] == pillar].reset_index(drop=True)
        pd.testing.assert_frame_equal(part, expected)
    # The synthetic records: 186 rows evaluated (10 再掲 left out), one in seven not entered.
    per_pillar = outputs_view.project_rollup(("pillar",))
    assert per_pillar["projects"].sum() == 186 and 0 < per_pillar["entered"].sum() < 186


def test_the_year_decides_which_records_are_shown(outputs_folder):
    con = PlanDB(outputs_folder).cursor()
    current = ProjectStore(outputs_folder).current()
    r7 = load(con, ActualsStore(outputs_folder).current(), 2025, current)
    r9 = load(con, ActualsStore(outputs_folder).current(), 2027, current)
    assert r7.has_project_records and not r9.has_project_records  # records for R7 and R8 only
    assert r9.project_rollup(("pillar",))["entered"].sum() == 0


def test_without_project_records_the_view_still_works(outputs_folder, tmp_path):
    con = PlanDB(outputs_folder).cursor()
    actuals = ActualsStore(outputs_folder).current()
    old = load(con, actuals, 2026)  # callers that do not read the project records
    assert old.projects is None and not old.has_project_records
    with pytest.raises(ValueError):
        old.project_rollup()
    empty = ProjectStore(tmp_path).current()  # a folder where nothing was ever entered
    none = load(con, actuals, 2026, empty)
    assert len(none.projects) == 196 and not none.has_project_records
