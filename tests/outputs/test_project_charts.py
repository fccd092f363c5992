"""Charts of 事業の実施状況, tested as Vega-Lite specs (fields, order, colours, Japanese words, tooltips)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamiplan.model import project_views as pv
from kamiplan.model.project_rollup import project_table, rollup
from kamiplan.outputs import project_charts
from kamiplan.outputs.charts import OKABE_ITO
from kamiplan.plan import queries
from kamiplan.plan.db import PlanDB
from tests.conftest import DATA
from tests.synthetic import synthetic_project_changes

GRADES = ["A 計画どおり以上", "B 概ね計画どおり", "C 遅れ", "D 大幅な遅れ・未着手", "未評価"]
STATUSES = ["実施", "一部実施", "未実施", "検討中", "完了", "休止", "廃止", "未入力"]
ASCII_WORD = re.compile(r"^[A-Za-z ]{3,}$")  # an English word where a Japanese one belongs


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    con = PlanDB(DATA).cursor()
    actions = queries.actions(con)
    changes = synthetic_project_changes(actions, (2025,))
    current = pd.DataFrame([{"action_id": c.key, "year": c.year} | vars(c.new) for c in changes])
    return project_table(actions, current, 2025)


def _data(spec: dict, view: dict) -> list[dict]:
    name = view.get("data", {}).get("name") or spec.get("data", {}).get("name")
    if name:
        return spec["datasets"][name]
    return view["data"]["values"]


def _tooltips_are_never_null(spec: dict, view: dict) -> None:
    for layer in view.get("layer", [view]):
        tips = layer.get("encoding", {}).get("tooltip", [])
        for tip in tips:
            assert tip["title"] and not ASCII_WORD.match(tip["title"])
            values = [row[tip["field"]] for row in _data(spec, view)]
            assert all(v is not None and v == v for v in values), tip["field"]


def test_status_chart_spec(table):
    summary = rollup(table, ("pillar", "policy")).iloc[0]
    spec = project_charts.status_chart(summary).to_dict()
    assert spec["name"] == "project_status"
    assert spec["resolve"]["scale"] == {"x": "shared", "color": "independent"}
    grades, statuses = spec["vconcat"]
    for view, domain, title in ((grades, GRADES, "評価"), (statuses, STATUSES, "実施状況")):
        bars, counts = view["layer"]
        assert bars["mark"]["type"] == "bar" and counts["mark"]["type"] == "text"
        y, x = bars["encoding"]["y"], bars["encoding"]["x"]
        assert (y["field"], y["type"], x["field"], x["type"]) == ("label", "nominal", "count", "quantitative")
        assert y["sort"] == domain and y["scale"]["domain"] == domain  # A→D then 未評価; the plan's order then 未入力
        assert y["axis"]["title"] == title and x["title"] == "事業の数"
        assert bars["encoding"]["color"]["scale"]["domain"] == domain
        assert bars["encoding"]["color"]["legend"] is None  # the words are on the axis
        assert counts["encoding"]["text"]["field"] == "count"
        rows = _data(spec, view)
        assert [r["label"] for r in rows] == domain
        _tooltips_are_never_null(spec, view)
    # Counts add up to the 基本計画's projects on both bars.
    assert sum(r["count"] for r in _data(spec, grades)) == summary["projects"]
    assert sum(r["count"] for r in _data(spec, statuses)) == summary["projects"]


def test_colours_are_okabe_ito_and_blank_is_grey(table):
    spec = project_charts.status_chart(rollup(table).iloc[0]).to_dict()
    grade_range = spec["vconcat"][0]["layer"][0]["encoding"]["color"]["scale"]["range"]
    status_range = spec["vconcat"][1]["layer"][0]["encoding"]["color"]["scale"]["range"]
    palette = set(OKABE_ITO.values())
    assert set(grade_range) <= palette and set(status_range) <= palette
    assert grade_range == [
        OKABE_ITO["bluish_green"],
        OKABE_ITO["sky_blue"],
        OKABE_ITO["orange"],
        OKABE_ITO["vermillion"],
        OKABE_ITO["grey"],
    ]
    assert len(set(grade_range)) == 5 and grade_range[-1] == status_range[-1] == OKABE_ITO["grey"]
    assert set(status_range[:-1]) == {OKABE_ITO["blue"]}


def test_grade_rollup_chart_per_pillar(table):
    per_pillar = rollup(table, ("pillar",))
    groups = pv.group_names(per_pillar, queries.pillars(PlanDB(DATA).cursor()))
    spec = project_charts.grade_rollup_chart(pv.grade_counts(per_pillar, groups)).to_dict()
    assert spec["name"] == "project_grade_rollup" and spec["mark"]["type"] == "bar"
    enc = spec["encoding"]
    assert enc["y"]["field"] == "group" and enc["y"]["sort"] == groups and enc["y"]["title"] is None
    assert enc["x"]["field"] == "count" and enc["x"]["title"] == "事業の数"
    assert enc["color"]["field"] == "label" and enc["color"]["title"] == "評価"
    assert enc["color"]["scale"]["domain"] == GRADES
    assert enc["order"]["field"] == "order"  # stacked A, B, C, D, then 未評価
    rows = _data(spec, spec)
    first = [r for r in rows if r["group"] == groups[0]]
    assert [r["order"] for r in first] == [0, 1, 2, 3, 4] and [r["label"] for r in first] == GRADES
    _tooltips_are_never_null(spec, spec)
    assert [t["title"] for t in enc["tooltip"]] == ["区分", "評価", "事業の数"]


@pytest.mark.parametrize(
    ("most", "domain", "values"),
    [(0, [0, 1], [0, 1]), (2, [0, 2], [0, 1, 2]), (5, [0, 5], [0, 1, 2, 3, 4, 5]), (7, [0, 8], [0, 2, 4, 6, 8]),
     (11, [0, 15], [0, 5, 10, 15]), (4240, [0, 5000], [0, 1000, 2000, 3000, 4000, 5000])],
)  # fmt: skip
def test_count_axis_has_whole_ticks(most, domain, values):
    x = project_charts.count_axis(most).to_dict()
    assert x["scale"]["domain"] == domain and x["axis"]["values"] == values


@given(st.integers(min_value=0, max_value=10**7))
def test_count_axis_ticks_cover_the_longest_bar(most):
    x = project_charts.count_axis(most).to_dict()
    values, top = x["axis"]["values"], x["scale"]["domain"][1]
    step = values[1] - values[0]
    assert values[0] == 0 and values[-1] == top >= most and 2 <= len(values) <= 6
    assert all(b - a == step for a, b in zip(values, values[1:], strict=False))
    assert str(step).strip("0") in {"1", "2", "5"}  # 1, 2, 5, 10, 20, 50 …


def test_two_projects_are_not_drawn_with_half_ticks(table):
    """The fault seen on 大綱4 (1): bars of 1 and 2 drawn on the server had the axis 「0 1 1 2 2」."""
    from kamiplan.outputs import static_charts

    summary = rollup(table, ("pillar", "policy")).iloc[0].copy()
    counts = [k for k in summary.index if k.startswith(("grade_", "status_"))]
    summary[counts] = 0
    summary[["grade_A", "grade_B", "grade_C", "status_実施", "status_一部実施"]] = [1, 1, 1, 2, 1]
    spec = project_charts.status_chart(summary).to_dict()
    svg = static_charts.render_svg(spec)
    for axis in re.findall(r'<g class="mark-text role-axis-label".*?</g>', svg, flags=re.S):
        numbers = re.findall(r">([\d.]+)</text>", axis)
        if numbers:  # the count axes (the others are words)
            assert numbers == ["0", "1", "2"]
