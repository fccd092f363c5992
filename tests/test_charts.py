"""Chart builders tested as Vega-Lite specs (layers, encodings, dashes), not pixels."""

from __future__ import annotations

import pandas as pd

from kamiplan.actuals_store import Cell
from kamiplan.charts import GRADE_COLORS, OKABE_ITO, grade_rollup_chart, trajectory_chart
from kamiplan.trajectory import build


def layers(spec: dict) -> dict[str, dict]:
    return {layer["name"]: layer for layer in spec["layer"]}


def data_of(spec: dict, layer: dict) -> list[dict]:
    rows = spec["datasets"][layer.get("data", spec.get("data", {})).get("name") or spec["data"]["name"]]
    keep = layer.get("transform", [{}])[0].get("filter", {}).get("oneOf")
    return [r for r in rows if keep is None or r["series"] in keep]


def pop_spec(indicators, cells=None, year=2026):
    cells = (
        cells if cells is not None else {2025: Cell(2380.0, "テスト", "町民課"), 2026: Cell(2250.0), 2015: Cell(3100.0)}
    )
    return trajectory_chart(build(indicators.loc["0-V1"].to_dict(), cells, year, 2025)).to_dict()


def test_layers_and_marks(indicators):
    spec = pop_spec(indicators)
    by = layers(spec)
    assert list(by) == [
        "history",
        "path",
        "baseline",
        "target",
        "projection",
        "actual_line",
        "actual",
        "year_rule",
        "grade_badge",
    ]
    assert by["path"]["mark"]["strokeDash"] == [6, 4] and by["path"]["mark"]["type"] == "line"
    assert by["projection"]["mark"]["strokeDash"] == [2, 3]
    assert by["target"]["mark"]["shape"] == "diamond" and by["target"]["mark"]["color"] == OKABE_ITO["vermillion"]
    assert by["actual"]["mark"]["type"] == "point" and by["actual_line"]["mark"]["color"] == OKABE_ITO["blue"]
    assert by["history"]["mark"]["color"] == OKABE_ITO["grey"]


def test_layer_data(indicators):
    spec = pop_spec(indicators)
    by = layers(spec)
    assert [r["year"] for r in data_of(spec, by["actual"])] == [2025, 2026]
    assert [r["value"] for r in data_of(spec, by["baseline"])] == [2438.0]
    assert [r["value"] for r in data_of(spec, by["target"])] == [2020.0]
    assert [r["year"] for r in data_of(spec, by["history"])] == [2015]
    assert len(data_of(spec, by["path"])) == 6


def test_axes_title_tooltip_and_badge(indicators):
    spec = pop_spec(indicators)
    enc = spec["layer"][1]["encoding"]
    assert enc["y"]["title"] == "人"
    assert "'R7', '(2025)'" in enc["x"]["axis"]["labelExpr"] and "'2015', ''" in enc["x"]["axis"]["labelExpr"]
    assert [t["title"] for t in enc["tooltip"]] == [
        "年度",
        "種類",
        "値(人)",
        "計画線上の値",
        "進捗率(%)",
        "備考",
        "出典",
    ]
    assert spec["title"]["text"] == "人口"
    assert spec["title"]["subtitle"].startswith("高いほど良い")
    badge = layers(spec)["grade_badge"]
    text = spec["datasets"][badge["data"]["name"]][0]["badge"]
    assert text == "△ やや遅れ(R8(2026))"
    assert badge["encoding"]["color"]["value"] == GRADE_COLORS["C"]


def test_lower_is_better_says_so(indicators):
    spec = trajectory_chart(build(indicators.loc["1-3-K1"].to_dict(), {}, 2025)).to_dict()
    assert spec["title"]["subtitle"].startswith("低いほど良い")
    assert "− 評価不能" in spec["datasets"][layers(spec)["grade_badge"]["data"]["name"]][0]["badge"]


def test_cumulative_chart_draws_running_total(indicators):
    spec = trajectory_chart(build(indicators.loc["2-1-K1"].to_dict(), {2025: 1.0, 2026: 1.0}, 2026, 2025)).to_dict()
    by = layers(spec)
    assert [r["value"] for r in data_of(spec, by["actual"])] == [1.0, 2.0]
    assert data_of(spec, by["path"])[0]["value"] == 0.0
    assert "5か年合計" in spec["title"]["subtitle"]


def test_presentation_scale(indicators):
    spec = trajectory_chart(build(indicators.loc["0-V1"].to_dict(), {}, 2025), font_scale=2.0).to_dict()
    assert spec["title"]["fontSize"] == 30.0
    assert spec["layer"][1]["encoding"]["x"]["axis"]["labelFontSize"] == 22.0


def test_theme_uses_a_japanese_font(indicators):
    spec = pop_spec(indicators)
    assert "Noto Sans CJK JP" in spec["config"]["font"]
    assert spec["config"]["range"]["category"][1] == OKABE_ITO["orange"]


def test_rollup_chart():
    counts = pd.DataFrame({"group": ["大綱1", "大綱1", "大綱2"], "grade": ["A", "D", "N"], "count": [2, 1, 3]})
    spec = grade_rollup_chart(counts).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["◎ 達成", "○ 順調", "△ やや遅れ", "× 遅れ", "− 評価不能"]
    assert spec["encoding"]["color"]["scale"]["range"] == [GRADE_COLORS[g] for g in "ABCDN"]
    assert spec["encoding"]["y"]["sort"] == ["大綱1", "大綱2"]


def test_trajectory_spec_does_not_depend_on_the_global_data_transformer(indicators):
    """The dashboard serialises charts in session threads while Streamlit swaps Altair's (global) data
    transformer for other charts: the trajectory chart must not go through it."""
    import altair as alt

    expected = pop_spec(indicators)

    def refuse(data, **kwargs):
        raise AssertionError("the data transformer was used")

    alt.data_transformers.register("kamiplan_test_refuse", refuse)
    with alt.data_transformers.enable("kamiplan_test_refuse"):
        assert pop_spec(indicators) == expected
