"""事業の実施状況: project records joined to the plan and rolled up (テスト用の架空データ)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamiplan.model.project_rollup import (
    grade_counts_long,
    new_projects,
    project_table,
    rollup,
    status_counts_long,
)
from kamiplan.plan import queries
from kamiplan.plan.db import PlanDB
from kamiplan.records.projects import PROJECTS, ProjectChange, ProjectRecord, ProjectStore
from tests.conftest import DATA
from tests.synthetic import plan_folder


@pytest.fixture(scope="module")
def actions() -> pd.DataFrame:
    return queries.actions(PlanDB(DATA).cursor())


def _current(records: dict[tuple[str, int], ProjectRecord]) -> pd.DataFrame:
    rows = [{"action_id": k, "year": y} | vars(r) for (k, y), r in records.items()]
    return pd.DataFrame(rows, columns=["action_id", "year", *PROJECTS.field_names])


def test_the_plan_has_186_rows_to_evaluate_and_10_repeats(actions):
    table = project_table(actions, _current({}), 2025)
    assert len(table) == 196 and not table["entered"].any()
    whole = rollup(table, by=("pillar",))
    assert whole["projects"].tolist() == [
        102,
        34,
        32,
        18,
    ]  # 107−5, 34, 34−2, 21−3 再掲 and whole["projects"].sum() == 186
    assert whole["grade_none"].sum() == 186 and whole["status_none"].sum() == 186
    assert whole["budget"].isna().all() and (whole["budget_count"] == 0).all()


def test_a_worked_example_by_hand(actions):
    """Three records of R7 in 大綱1(1), one of R8 that must not count, and the 再掲 row 3-1-1-02 (大綱3(1))
    whose original 2-2-1-02 is in 大綱2(2): shown on both rows, counted once, in 大綱2(2)."""
    records = {
        ("1-1-1-01", 2025): ProjectRecord(status="実施", grade="A", budget=1200.0, spent=1100.0),
        ("1-1-1-02", 2025): ProjectRecord(status="一部実施", grade="C", budget=300.0),
        ("1-1-1-03", 2025): ProjectRecord(status="未実施", grade="D"),
        ("1-1-1-03", 2026): ProjectRecord(status="実施", grade="A", budget=999.0),  # another year
        ("2-2-1-02", 2025): ProjectRecord(status="完了", grade="B", spent=50.0),
    }
    table = project_table(actions, _current(records), 2025)
    shown = table.set_index("action_id")
    assert shown.loc["3-1-1-02", "status"] == "完了" and shown.loc["3-1-1-02", "recorded_on"] == "2-2-1-02"
    by_policy = rollup(table, by=("pillar", "policy")).set_index(["pillar", "policy"])
    p11 = by_policy.loc[(1, 1)]
    assert [p11[f"grade_{x}"] for x in "ABCD"] == [1, 0, 1, 1] and p11["entered"] == 3
    assert p11["budget"] == 1500.0 and p11["budget_count"] == 2  # 1,200 + 300 千円; the R8 999 is not R7
    assert p11["spent"] == 1100.0 and p11["spent_count"] == 1
    assert (p11["status_実施"], p11["status_一部実施"], p11["status_未実施"]) == (1, 1, 1)
    assert by_policy.loc[(2, 2), "grade_B"] == 1 and by_policy.loc[(3, 1), "grade_B"] == 0  # counted once
    whole = rollup(table.assign(all=1), by=("all",)).iloc[0]
    assert whole["entered"] == 4 and whole["spent"] == 1150.0 and whole["spent_count"] == 2
    grades = grade_counts_long(whole)
    assert grades["label"].tolist() == [
        "A 計画どおり以上",
        "B 概ね計画どおり",
        "C 遅れ",
        "D 大幅な遅れ・未着手",
        "未評価",
    ]
    assert grades["count"].tolist() == [1, 1, 1, 1, 182]
    statuses = status_counts_long(whole)
    assert statuses["status"].iloc[-1] == "未入力" and statuses["count"].iloc[-1] == 182


def test_new_projects_started(actions):
    new = actions[actions["is_new"] & ~actions["is_repeat"]]
    first, second = (str(x) for x in new["action_id"].iloc[:2])
    records = {(first, 2025): ProjectRecord(status="一部実施"), (second, 2025): ProjectRecord(status="検討中")}
    table = project_table(actions, _current(records), 2025)
    whole = rollup(table.assign(all=1), by=("all",)).iloc[0]
    assert whole["new"] == len(new) and whole["new_started"] == 1
    listed = new_projects(table)
    assert listed["action_id"].tolist() == new.sort_values("seq")["action_id"].tolist()


def test_the_store_feeds_the_table(tmp_path, actions):
    folder = plan_folder(tmp_path / "data", DATA)
    store = ProjectStore(folder)
    aid = str(actions["action_id"].iloc[0])
    store.save(
        [ProjectChange(aid, 2025, ProjectRecord(status="実施", department="テスト課"), ProjectRecord())],
        "テスト",
        "form",
    )
    table = project_table(actions, store.current(), 2025).set_index("action_id")
    assert (
        table.loc[aid, "status"] == "実施" and table.loc[aid, "department"] == "テスト課" and table.loc[aid, "entered"]
    )


@settings(max_examples=12, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 195), st.sampled_from(["", "A", "B", "C", "D"]), st.sampled_from(["", "実施", "完了"])
        ),
        max_size=30,
    )
)
def test_every_row_is_counted_once_per_group(actions, picks):
    records = {}
    for index, grade, status in picks:
        row = actions.iloc[index]
        key = str(row["repeat_of"]) if row["is_repeat"] else str(row["action_id"])
        records[(key, 2025)] = ProjectRecord(grade=grade, status=status, work="x")
    table = project_table(actions, _current(records), 2025)
    for by in (("pillar",), ("pillar", "policy"), ("pillar", "policy", "measure")):
        groups = rollup(table, by=by)
        assert groups["projects"].sum() == 186
        grade_total = groups[[f"grade_{x}" for x in "ABCD"] + ["grade_none"]].sum(axis=1)
        assert (grade_total == groups["projects"]).all()
        assert groups["entered"].sum() == len(records)
