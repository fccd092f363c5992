"""Chart builders tested as Vega-Lite specs (layers, encodings, dashes), not pixels."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamiplan.model.trajectory import build
from kamiplan.outputs.charts import (
    COUNT_UNITS,
    GRADE_COLORS,
    OKABE_ITO,
    extra_title_height,
    grade_rollup_chart,
    trajectory_chart,
    value_axis,
)
from kamiplan.outputs.charts import plan_height as fitted_plan_height
from kamiplan.records.actuals_store import Cell


def layers(spec: dict) -> dict[str, dict]:
    """Named layers, those of the parts ``plan`` and ``history`` included (Altair suffixes them _0, _1)."""
    found = {}
    for layer in spec["layer"]:
        if "layer" in layer:
            found |= {re.sub(r"_\d+$", "", inner["name"]): inner for inner in layer["layer"]}
        else:
            found[layer["name"]] = layer
    return found


PLAN_LAYERS = ["year_rule", "lines", "points", "grade_badge"]
HISTORY_LAYERS = ["plan_period", "plan_period_label", "history_lines", "history_points"]


def data_of(spec: dict, layer: dict) -> list[dict]:
    rows = spec["datasets"][layer.get("data", spec.get("data", {})).get("name") or spec["data"]["name"]]
    keep = layer.get("transform", [{}])[0].get("filter", {}).get("oneOf")
    return [r for r in rows if keep is None or r["series"] in keep]


def pop_spec(indicators, cells=None, year=2026):
    cells = (
        cells if cells is not None else {2025: Cell(2380.0, "テスト", "町民課"), 2026: Cell(2250.0), 2015: Cell(3100.0)}
    )
    return trajectory_chart(build(indicators.loc["0-V1"].to_dict(), cells, year, 2025)).to_dict()


def series_of(spec: dict, layer: dict, series: str) -> list[dict]:
    return [r for r in data_of(spec, layer) if r["series"] == series]


def style(layer: dict, channel: str) -> dict:
    """Series → value of one style channel (the layer's fixed scale)."""
    scale = layer["encoding"][channel]["scale"]
    return dict(zip(scale["domain"], scale["range"], strict=True))


def test_layers_and_styles(indicators):
    spec = pop_spec(indicators)
    by = layers(spec)
    assert [part["name"] for part in spec["layer"]] == ["plan", "history"]  # a value recorded in 2015
    assert list(by) == PLAN_LAYERS + HISTORY_LAYERS
    lines, points = by["lines"], by["points"]
    assert lines["mark"]["type"] == "line" and points["mark"]["type"] == "point"
    dashes = style(lines, "strokeDash")
    assert dashes["計画線"] == [6, 4] and dashes["このペースの見込み"] == [2, 3] and dashes["実績"] == [1, 0]
    colors = style(lines, "color")
    assert colors["実績"] == OKABE_ITO["blue"] and colors["過去の実績(参考)"] == OKABE_ITO["grey"]
    assert colors["目標値"] == OKABE_ITO["vermillion"] and colors["計画線"] == OKABE_ITO["black"]
    assert style(points, "color") == colors  # one colour per series in every layer
    assert style(points, "shape")["目標値"] == "diamond" and style(points, "shape")["実績"] == "circle"
    assert style(points, "size")["目標値"] > style(points, "size")["実績"] > style(points, "size")["過去の実績(参考)"]
    assert all(lines["encoding"][c]["legend"] is None for c in ("color", "strokeDash", "strokeWidth"))


def test_layer_data(indicators):
    spec = pop_spec(indicators)
    by = layers(spec)
    lines, points = by["lines"], by["points"]
    assert [r["year"] for r in series_of(spec, points, "実績")] == [2025, 2026]
    assert [r["value"] for r in series_of(spec, points, "基準値")] == [2438.0]
    assert [r["value"] for r in series_of(spec, points, "目標値")] == [2020.0]
    assert [r["year"] for r in series_of(spec, by["history_points"], "過去の実績(参考)")] == [2015]
    assert len(series_of(spec, lines, "計画線")) == 6
    assert series_of(spec, points, "計画線") == []  # the path is a line only
    assert {r["series"] for r in data_of(spec, lines)} == {"計画線", "このペースの見込み", "実績"}
    assert {r["series"] for r in data_of(spec, by["history_lines"])} == {"過去の実績(参考)", "実績"}


def test_axes_title_tooltip_and_badge(indicators):
    spec = pop_spec(indicators)
    enc = layers(spec)["points"]["encoding"]
    assert enc["y"]["title"] == "人"
    assert "'R7', '(2025)'" in enc["x"]["axis"]["labelExpr"] and "2015" not in enc["x"]["axis"]["labelExpr"]
    assert enc["tooltip"] == {"field": "tip", "type": "nominal"}
    tip = spec["transform"][0]
    assert tip["as"] == "tip"
    assert re.findall(r'"([^"]+)":', tip["calculate"]) == [
        "年度",
        "系列",
        "値(人)",
        "計画線上の値",
        "進捗率(%)",
        "時点",
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
    assert [r["value"] for r in series_of(spec, by["points"], "実績")] == [1.0, 2.0]
    assert series_of(spec, by["lines"], "計画線")[0]["value"] == 0.0
    # The plan's target says 5か年合計; the subtitle adds only that the line is the running total (it said it twice).
    assert spec["title"]["subtitle"] == "高いほど良い ・ 目標 6 件 (5 か年合計) ・ 累計で表示"


def test_no_subtitle_says_a_thing_twice(indicators):
    for row in indicators.to_dict("records"):
        subtitle = trajectory_chart(build(row, {}, 2025, 2025)).to_dict()["title"]["subtitle"]
        text = " ・ ".join(subtitle) if isinstance(subtitle, list) else subtitle
        assert text.count("か年合計") <= 1 and text.count("全道平均との差") <= 1, text
        if row["kind"] == "cumulative":
            assert "累計で表示" in text, text


def test_presentation_scale(indicators):
    spec = trajectory_chart(build(indicators.loc["0-V1"].to_dict(), {}, 2025), font_scale=2.0).to_dict()
    assert spec["title"]["fontSize"] == 30.0
    assert layers(spec)["points"]["encoding"]["x"]["axis"]["labelFontSize"] == 22.0


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


def test_series_without_points_draw_nothing(indicators):
    spec = trajectory_chart(build(indicators.loc["1-1-T3"].to_dict(), {}, 2025)).to_dict()
    by = layers(spec)
    assert list(by) == PLAN_LAYERS  # nothing before the baseline: one part, as before
    assert {r["series"] for r in data_of(spec, by["lines"])} == {"計画線"}
    assert {r["series"] for r in data_of(spec, by["points"])} == {"基準値", "目標値"}
    no_baseline = trajectory_chart(build(indicators.loc["4-2-K1"].to_dict(), {}, 2025)).to_dict()
    assert [layer["name"] for layer in no_baseline["layer"]] == ["year_rule", "points", "grade_badge"]


def test_survey_band_layer(indicators):
    spec = trajectory_chart(build(indicators.loc["0-S1"].to_dict(), {2026: 27.0}, 2026, 2025), band=2.5).to_dict()
    band = layers(spec)["survey_band"]
    assert spec["layer"][0] is band and band["mark"]["type"] == "rule"
    assert [t.get("calculate") for t in band["transform"][1:]] == ["datum.value - 2.5", "datum.value + 2.5"]
    assert "調査の誤差の目安 ±2.5ポイント" in str(band["encoding"]["tooltip"])
    assert "survey_band" not in layers(pop_spec(indicators))


def test_each_series_gets_exactly_its_style_in_the_compiled_chart(indicators):
    """What the browser draws: compiled to Vega, every style scale maps a series to exactly its value."""
    import vl_convert

    from kamiplan.outputs.charts import LINE_DASHES, LINE_WIDTHS, POINT_SHAPES, POINT_SIZES, SERIES_COLORS

    scales = {s["name"]: s for s in vl_convert.vegalite_to_vega(pop_spec(indicators))["scales"]}
    for name, values in (
        ("color", SERIES_COLORS),
        ("strokeDash", LINE_DASHES),
        ("strokeWidth", LINE_WIDTHS),
        ("shape", POINT_SHAPES),
        ("size", POINT_SIZES),
    ):
        scale = scales[name]
        assert scale["type"] == "ordinal", name
        assert dict(zip(scale["domain"], scale["range"], strict=True)) == values, name
    assert dict(zip(scales["size"]["domain"], scales["size"]["range"], strict=True))["目標値"] == 140


# -- honest scales (issue 12, item 5). All values below are テスト用の架空データ. ---------------------------
CENSUS_30_YEARS = {
    y: Cell(round(6400 - (y - 1990) * 120.0), "", "国勢調査(架空)", f"{y}-10-01") for y in range(1990, 2021)
}
# The wider line of a year label 「H2」/「(1990)」, as a share of the font size: four digits and two brackets
# (Noto Sans CJK JP: about 0.555 and 0.34 each; rounded up).
LABEL_WIDTH = 4 * 0.6 + 2 * 0.35


def pop_with_census(indicators, **kwargs) -> dict:
    cells = {**CENSUS_30_YEARS, 2025: Cell(2380.0), 2026: Cell(2250.0)}
    return trajectory_chart(build(indicators.loc["0-V1"].to_dict(), cells, 2026, 2025), **kwargs).to_dict()


def pop_without_history(indicators, **kwargs) -> dict:
    cells = {2025: Cell(2380.0), 2026: Cell(2250.0)}
    return trajectory_chart(build(indicators.loc["0-V1"].to_dict(), cells, 2026, 2025), **kwargs).to_dict()


def plan_height(spec: dict) -> float:
    """Pixels of the plan part: the view's height less what its y range leaves below (an expression)."""
    bottom = layers(spec)["points"]["encoding"]["y"]["scale"].get("range", [{"expr": "height"}])[0]["expr"]
    return eval(bottom.replace("height", str(spec["height"])))  # numbers and + - ( ) only


def test_thirty_years_of_history_get_their_own_part_at_true_scale(indicators):
    spec, plain = pop_with_census(indicators), pop_without_history(indicators)
    by, before = layers(spec), layers(plain)
    assert spec["resolve"] == {
        "scale": {"x": "independent", "y": "independent"},
        "axis": {"x": "independent", "y": "independent"},
    }
    # The plan part is drawn exactly as without history: same years, same full width, same height.
    plan_x, plain_x = by["points"]["encoding"]["x"], before["points"]["encoding"]["x"]
    assert plan_x["scale"]["domain"] == plain_x["scale"]["domain"] == [2023.6, 2029.4]
    assert "range" not in plan_x["scale"] and spec["width"] == plain["width"] == "container"  # the view's width
    assert plan_x["axis"]["values"] == plain_x["axis"]["values"] == list(range(2024, 2030))
    assert plan_height(spec) == plain["height"] == 240 and spec["height"] > 240
    # History: its own quantitative x scale, one unit per year, every year where it was recorded.
    hist_x = by["history_points"]["encoding"]["x"]
    assert hist_x["type"] == "quantitative" and hist_x["field"] == "year"
    assert hist_x["scale"]["domain"] == [1989.5, 2029.5]
    assert [r["year"] for r in series_of(spec, by["history_points"], "過去の実績(参考)")] == list(range(1990, 2021))


def test_year_labels_never_overlap(indicators):
    spec = pop_with_census(indicators)
    by = layers(spec)
    for name in ("points", "history_points"):
        axis = by[name]["encoding"]["x"]["axis"]
        assert axis["labelAngle"] == 0 and axis["labelOverlap"] == "greedy"  # Vega hides, never overprints
    hist = by["history_points"]["encoding"]["x"]
    labels = hist["axis"]["values"]
    assert labels == [1990, 1995, 2000, 2005, 2010, 2015, 2020, 2025] and len(labels) <= 8
    # Even in a 320 px column (and on a slide, large type in half the screen), labels have room.
    span = hist["scale"]["domain"][1] - hist["scale"]["domain"][0]
    for width, font_scale in ((320, 1.0), (440, 1.3), (600, 1.9)):
        room = width * (labels[1] - labels[0]) / span
        assert room >= LABEL_WIDTH * 11 * font_scale + hist["axis"]["labelSeparation"], (width, font_scale)


def year_labels(svg: str) -> list[tuple[float, str]]:
    """(x, text) of every year label vl-convert drew: 「R7」/「(2025)」 over two lines, or a bare 「2015」."""
    found = []
    for x, inner in re.findall(r'<text[^>]*transform="translate\(([-\d.]+),[-\d.]+\)"[^>]*>(.*?)</text>', svg):
        text = "".join(re.findall(r">([^<]*)<", f">{inner}<"))
        if re.search(r"(?<![\d,.])(19|20)\d\d(?![\d,.])", text) and "(R" not in text:  # not the grade badge
            found.append((float(x), text))
    return found


def test_year_labels_drawn_apart_in_the_image(indicators):
    """What vl-convert draws: the history years' labels do not touch (positions from the SVG)."""
    import vl_convert

    spec = pop_with_census(indicators, width=640)
    svg = vl_convert.vegalite_to_svg(spec)
    labels = year_labels(svg)[6:]  # after the plan part's six years
    assert [text for _, text in labels][0] == "H2(1990)" and len(labels) == 8
    xs = [x for x, _ in labels]
    gaps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
    assert min(gaps) >= LABEL_WIDTH * 11 + 4
    assert "これまでの推移(参考)" in svg and "計画期間" in svg


def test_every_year_of_a_chart_is_labelled_in_one_style(indicators):
    """The years before the plan read as the plan's own: H27 / (2015) beside R7 / (2025), not 2015 (axes of both
    parts, hover texts and the table equivalent)."""
    import vl_convert

    cells = {**CENSUS_30_YEARS, 2025: Cell(2380.0), 2026: Cell(2250.0)}
    traj = build(indicators.loc["0-V1"].to_dict(), cells, 2026, 2025)
    spec = trajectory_chart(traj, width=640).to_dict()
    texts = [text for _, text in year_labels(vl_convert.vegalite_to_svg(spec))]
    assert texts[:6] == ["R6(2024)", "R7(2025)", "R8(2026)", "R9(2027)", "R10(2028)", "R11(2029)"]
    assert " ".join(texts[6:]) == "H2(1990) H7(1995) H12(2000) H17(2005) H22(2010) H27(2015) R2(2020) R7(2025)"
    assert all(re.fullmatch(r"[RHS]\d{1,2}\(\d{4}\)", t) for t in texts), texts
    years = {t["年度"] for t, _ in tooltips(spec)}
    assert {"H2(1990)", "H30(2018)", "R1(2019)", "R7(2025)"} <= years and "2018" not in years
    assert traj.table()["年度"].tolist()[:2] == ["H2(1990)", "H3(1991)"]


def test_a_long_plan_part_labels_round_years_in_the_plan_style(indicators):
    """テスト用の架空データ: a plan of 20 years (kamiplan synth --years 20) showed 「2009 2013 2017 R3(2021)」."""
    import vl_convert

    from kamiplan.outputs.charts import PLAN_MAX_LABELS

    ind = dict(indicators.loc["4-2-T1"].to_dict(), baseline_year=2009)
    traj = build(ind, {y: Cell(32.0 + y - 2009) for y in range(2009, 2027)}, 2026, 2010)
    spec = trajectory_chart(traj, width=350).to_dict()
    axis = layers(spec)["points"]["encoding"]["x"]["axis"]
    assert axis["values"] == [2010, 2015, 2020, 2025] and len(axis["values"]) <= PLAN_MAX_LABELS
    labels = year_labels(vl_convert.vegalite_to_svg(spec))
    assert [text for _, text in labels] == ["H22(2010)", "H27(2015)", "R2(2020)", "R7(2025)"]
    gaps = [b - a for (a, _), (b, _) in zip(labels, labels[1:], strict=False)]
    assert min(gaps) >= LABEL_WIDTH * 11 + 4
    # A plan of the usual five years labels every year, as before.
    five = layers(pop_without_history(indicators))["points"]["encoding"]["x"]["axis"]["values"]
    assert five == list(range(2024, 2030))


def y_axis(spec: dict, layer: str = "points") -> tuple[list[float], list[float]]:
    y = layers(spec)[layer]["encoding"]["y"]
    return y["scale"]["domain"], y["axis"]["values"]


def test_history_does_not_stretch_the_plan_value_scale(indicators):
    spec = pop_with_census(indicators)
    domain, ticks = y_axis(spec)
    assert (domain, ticks) == y_axis(pop_without_history(indicators))
    assert domain[1] < 2600 and 1860 > domain[0]  # path 2,438 → 2,020, projection ≈ 1,860: not 6,400
    hist_domain, hist_ticks = y_axis(spec, "history_points")
    assert hist_domain[0] < 2020 and hist_domain[1] > 6400 and len(hist_ticks) <= 3


def test_a_rate_of_100_percent_with_an_actual_of_98_5(indicators):
    """妊婦健康診査受診率 (1-1-T2): 100 % to maintain. The old scale 98.4–100 (17 ticks) made −1.5 a collapse."""
    spec = trajectory_chart(build(indicators.loc["1-1-T2"].to_dict(), {2025: Cell(98.5)}, 2025, 2025)).to_dict()
    (lo, hi), ticks = y_axis(spec)
    assert hi - lo >= 5 and len(ticks) <= 6 and 100 in ticks and max(ticks) == 100  # no 102 % on the axis
    assert lo < 98.5 < 100 < hi
    assert (98.5 - lo) / (hi - lo) >= 0.05 and (hi - 100) / (hi - lo) >= 0.05  # off the frame's edges
    assert (100 - 98.5) / (hi - lo) <= 0.2  # a dip, not a fall to the floor


def test_a_small_rate_does_not_collapse(indicators):
    """合計特殊出生率 (0-P1): 1.32 → 1.35. The old scale 1.30–1.35 drew 1.30 on the floor."""
    spec = trajectory_chart(build(indicators.loc["0-P1"].to_dict(), {2025: Cell(1.30)}, 2025, 2025)).to_dict()
    (lo, hi), ticks = y_axis(spec)
    assert (1.32 - 1.30) / (hi - lo) <= 0.15  # 1.5 % of the value: at most 15 % of the height
    assert (1.35 - 1.30) / (hi - lo) >= 0.25  # the plan's own change stays visible
    assert (1.30 - lo) / (hi - lo) >= 0.05 and (hi - 1.35) / (hi - lo) >= 0.05
    assert len(ticks) <= 6 and layers(spec)["points"]["encoding"]["y"]["axis"]["format"] == ",.2f"


@pytest.mark.parametrize(
    ("values", "unit", "lower", "upper", "least_span"),
    [
        ([100.0, 98.5], "%", 0.0, 100.0, 10.0),  # ±5 points
        ([25.4, 30.0, 27.0], "%", 0.0, 100.0, 10.0),
        ([0.76, 0.6], "%", 0.0, 100.0, 0.76),  # a rate below 10 %: its own size, not 10 points
        ([1.32, 1.35, 1.30], "", 0.0, None, 0.135),  # ±5 % of the value
        ([74.7, 74.9], "歳", 0.0, None, 7.49),
        ([0.0, 0.0], "件", 0.0, None, 2.0),  # whole numbers
        ([-41.0, -17.0], "人", None, None, 24.0),
        ([2438.0, 2020.0, 2380.0, 1860.0], "人", 0.0, None, 578.0),
    ],
)
def test_value_axis_rules(values, unit, lower, upper, least_span):
    axis = value_axis(values, unit, lower, upper)
    lo, hi = axis.domain
    assert hi - lo >= least_span
    assert len(axis.ticks) <= 6 and len(axis.ticks) >= 2
    assert all((lower is None or t >= lower) and (upper is None or t <= upper) for t in axis.ticks)
    assert all(lo + 0.05 * (hi - lo) <= v <= hi - 0.05 * (hi - lo) for v in values)  # never on the edge
    if unit in COUNT_UNITS:
        assert all(float(t).is_integer() for t in axis.ticks)


@given(
    values=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=12),
    unit=st.sampled_from(["%", "人", "", "歳", "件", "万人", "ポイント"]),
)
def test_value_axis_always_frames_the_values(values, unit):
    axis = value_axis(values, unit)
    lo, hi = axis.domain
    assert 1 <= len(axis.ticks) <= 6 and all(lo <= t <= hi for t in axis.ticks)
    assert all(lo < v < hi for v in values)
    assert value_axis([], unit) is None and value_axis([float("nan")], unit) is None


def test_the_evaluation_rule_never_takes_a_points_tooltip(indicators):
    import vl_convert

    for spec in (pop_with_census(indicators), pop_without_history(indicators)):
        by = layers(spec)
        rule = by["year_rule"]
        assert "tooltip" not in rule["encoding"] and "tooltip" not in rule["mark"]
        assert list(by).index("year_rule") < list(by).index("points")  # drawn first: points on top
    marks = []

    def walk(node):
        for mark in node.get("marks", []):
            marks.append(mark)
            walk(mark)

    walk(vl_convert.vegalite_to_vega(pop_without_history(indicators)))
    names = [m["name"] for m in marks]
    assert names.index("year_rule_marks") < names.index("points_marks")
    assert "tooltip" not in marks[names.index("year_rule_marks")]["encode"]["update"]


def tooltips(spec: dict) -> list[tuple[dict[str, str], str]]:
    """The tooltip and the aria-label of every point, as Vega computes them (vl-convert draws them as text)."""
    import vl_convert

    titles = re.findall(r'"([^"]+)":', spec["transform"][0]["calculate"])
    show = " + ".join(
        f"(isDefined(datum.tip[{t!r}]) ? {t!r} + '=' + datum.tip[{t!r}] + '|' : '')".replace("'", '"') for t in titles
    )
    probe = {
        "data": {"values": spec["datasets"][spec["data"]["name"]]},
        "transform": [*spec["transform"], {"calculate": show + " + '#' + datum.desc", "as": "shown"}],
        "mark": {"type": "text", "align": "left"},
        "encoding": {"y": {"field": "shown", "type": "nominal", "axis": None}, "text": {"field": "shown"}},
    }
    svg = vl_convert.vegalite_to_svg(probe)
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    found = []
    for text in texts:
        tip, desc = text.split("#")
        found.append((dict(part.split("=", 1) for part in tip.split("|") if part), desc))
    return found


def test_tooltips_leave_out_fields_without_a_value(indicators):
    spec = pop_with_census(indicators)
    shown = tooltips(spec)
    assert len(shown) == 31 + 6 + 1 + 1 + 2 + 2  # census, path, baseline, target, actuals, projection
    for tip, desc in shown:
        assert all(value not in ("null", "undefined", "NaN", "") for value in tip.values()), tip
        assert desc == "; ".join(f"{key}: {value}" for key, value in tip.items())  # what a screen reader says
    for name in ("lines", "points", "history_lines", "history_points"):
        encoding = layers(spec)[name]["encoding"]
        assert encoding["tooltip"]["field"] == "tip" and encoding["description"]["field"] == "desc"
    by_kind = {(t["系列"], t["年度"]): t for t, _ in shown}
    census = by_kind[("過去の実績(参考)", "R2(2020)")]
    assert census["時点"] == "令和2年(2020年)10月1日時点" and census["出典"] == "国勢調査(架空)"
    assert "計画線上の値" not in census and "進捗率(%)" not in census
    assert set(by_kind[("計画線", "R9(2027)")]) == {"年度", "系列", "値(人)"}
    assert set(by_kind[("実績", "R8(2026)")]) >= {"値(人)", "計画線上の値", "進捗率(%)"}
    assert "時点" not in by_kind[("実績", "R8(2026)")]  # counted on the usual day: nothing to say


def test_no_unit_reads_as_a_hover_field(indicators):
    """2-1-K4 counts 種類: its hover said 「種類: 実績 / 値(種類): 1.3」, the series field named like the unit."""
    from kamiplan.labels import POINT_FIELDS
    from kamiplan.synth import UNITS

    units = set(indicators["unit"]) | {unit for unit, _, _ in UNITS}
    assert "種類" in units and not units & set(POINT_FIELDS.values())
    spec = trajectory_chart(build(indicators.loc["2-1-K4"].to_dict(), {2025: Cell(1.0)}, 2025, 2025)).to_dict()
    (actual,) = [t for t, _ in tooltips(spec) if t.get("系列") == "実績"]
    assert list(actual)[:3] == ["年度", "系列", "値(種類)"] and "種類" not in actual


def test_hover_numbers_are_rounded_as_the_indicator_table(indicators):
    """テスト用の架空データ. 32件 → 64件 over six years: the path said 「42.6667」; computed values get one decimal
    more than the plan writes (42.7), 進捗率 one, a recorded value as recorded (up to three decimals)."""
    cells = {2025: Cell(45.8671), 2026: Cell(52.8)}
    spec = trajectory_chart(build(indicators.loc["4-2-T1"].to_dict(), cells, 2026, 2025)).to_dict()
    shown = {(t["系列"], t["年度"]): t for t, _ in tooltips(spec)}
    assert shown[("計画線", "R7(2025)")]["値(件)"] == "42.7" and shown[("計画線", "R6(2024)")]["値(件)"] == "37.3"
    actual = shown[("実績", "R7(2025)")]
    assert (actual["値(件)"], actual["計画線上の値"], actual["進捗率(%)"]) == ("45.867", "42.7", "43.3")
    assert shown[("このペースの見込み", "R11(2029)")]["値(件)"] == "73.6"  # 73.599…
    assert shown[("計画線", "R8(2026)")]["値(件)"] == "48"  # a whole number stays whole
    # A plan written in hundredths (合計特殊出生率 1.32 → 1.35): its path in thousandths.
    rate = trajectory_chart(build(indicators.loc["0-P1"].to_dict(), {2025: Cell(1.3)}, 2025, 2025)).to_dict()
    assert {t["値"] for t, _ in tooltips(rate) if t["系列"] == "計画線"} >= {"1.32", "1.325", "1.33", "1.345"}


def test_hover_texts_and_the_table_equivalent_say_the_same_numbers(indicators):
    """テスト用の架空データ. In R1(2019) the 進捗率 is exactly 31.25: the hover said 31.3 (JavaScript rounds half up)
    and the table 31.2 (Python's round, half to even); both say 31.3, as people round."""
    ind = dict(indicators.loc["4-2-T1"].to_dict(), baseline_year=2009)
    traj = build(ind, {y: Cell(32.0 + y - 2009) for y in range(2009, 2027)}, 2026, 2010)
    table = traj.table().set_index("年度")
    actuals = [tip for tip, _ in tooltips(trajectory_chart(traj).to_dict()) if tip["系列"] == "実績"]
    assert len(actuals) == 18
    for tip in actuals:
        row = table.loc[tip["年度"]]
        assert float(tip["進捗率(%)"]) == row["進捗率(%)"], tip
        assert float(tip["計画線上の値"].replace(",", "")) == row["計画線上の値"], tip
    assert table.loc["R1(2019)", "進捗率(%)"] == 31.3


def test_a_fixed_size_slide_keeps_its_height_with_a_history_part(indicators):
    cells = {**CENSUS_30_YEARS, 2025: Cell(2380.0)}
    with_history = build(indicators.loc["0-V1"].to_dict(), cells, 2025, 2025)
    without = build(indicators.loc["0-V1"].to_dict(), {2025: Cell(2380.0)}, 2025, 2025)
    assert fitted_plan_height(without, 440, 2.0, 760) == int(440 - extra_title_height(without.indicator, 2.0, 760))
    for total, font_scale in ((440, 2.0), (600, 1.9), (240, 1.0)):
        height = fitted_plan_height(with_history, total, font_scale)
        spec = trajectory_chart(with_history, height=height, font_scale=font_scale).to_dict()
        room = total - extra_title_height(with_history.indicator, font_scale)  # wrapped names take lines
        assert room - 2 <= spec["height"] <= room and plan_height(spec) == height >= 60


def test_a_five_year_totals_history_part_shows_yearly_values_only(indicators):
    """テスト用の架空データ. The plan part draws running totals; the years before are yearly counts."""
    cells = {2020: 2.0, 2021: 0.0, 2025: 1.0, 2026: 2.0}
    spec = trajectory_chart(build(indicators.loc["2-1-K1"].to_dict(), cells, 2026, 2025)).to_dict()
    by = layers(spec)
    assert {r["series"] for r in data_of(spec, by["history_points"])} == {"過去の実績(参考)"}
    assert {r["series"] for r in data_of(spec, by["history_lines"])} == {"過去の実績(参考)"}
    assert [r["value"] for r in series_of(spec, by["points"], "実績")] == [1.0, 3.0]  # totals, above


def test_long_names_wrap_instead_of_being_cut(indicators):
    """A slide at 1280×720 cut 「町内に住み続けたい」と感じている町…: names go over lines, whole."""
    from kamiplan.outputs.charts import title_lines

    assert title_lines("人口", 20) == "人口"
    name = "こども園で子どもの発達に応じた保育・教育をしていると思う保護者の割合"
    lines = title_lines(name, 18)
    assert "".join(lines) == name and all(len(line) <= 18 for line in lines)
    sub = title_lines("高いほど良い ・ 目標 2,020人 (令和11年4月1日) ・ 水準", 20, sep=" ・ ")
    assert sub == ["高いほど良い", "目標 2,020人 (令和11年4月1日)", "水準"]
    traj = build(indicators.loc["1-1-K2"].to_dict(), {}, 2025, 2025)
    on_slide = trajectory_chart(traj, font_scale=1.9).to_dict()["title"]
    assert isinstance(on_slide["text"], list) and "".join(on_slide["text"]) == name
    # On a fixed-size slide the extra lines come out of the plot, so the chart keeps its height.
    assert extra_title_height(traj.indicator, 2.0, 760) > 0
    assert fitted_plan_height(traj, 440, 2.0, 760) == int(440 - extra_title_height(traj.indicator, 2.0, 760))


def test_inline_values_are_altairs_exactly(indicators):
    """charts._values converts the points as Altair's to_values does (same JSON, key order included)."""
    import json

    from altair.utils.data import to_values

    from kamiplan.outputs.charts import _values
    from tests.synthetic import synthetic_changes

    cells: dict[str, dict[int, Cell]] = {}
    for change in synthetic_changes(indicators):
        cells.setdefault(change.series_id, {})[change.year] = change.new
    checked = 0
    for row in indicators.to_dict("records"):
        points = build(row, cells.get(row["series_id"], {}), 2026, 2025).points
        assert json.dumps(_values(points), ensure_ascii=False) == json.dumps(to_values(points), ensure_ascii=False)
        checked += 1
    assert checked == len(indicators)
    odd = pd.DataFrame({"when": pd.to_datetime(["2025-04-01"]), "n": [1]})  # not a points frame: Altair's way
    assert _values(odd) == to_values(odd)


def test_charts_built_unchecked_are_exactly_the_checked_specs(indicators):
    """The server and the commands build charts unchecked (``unchecked_building``, ``to_dict(validate=False)``):
    every chart of the plan, in the dashboard's and the slides' sizes, is the spec Altair checks."""
    import altair.utils.schemapi as schemapi

    from kamiplan.outputs.charts import unchecked_building
    from tests.synthetic import synthetic_changes

    cells: dict[str, dict[int, Cell]] = {}
    for change in synthetic_changes(indicators):
        cells.setdefault(change.series_id, {})[change.year] = change.new
    trajs = [build(row, cells.get(row["series_id"], {}), 2026, 2025) for row in indicators.to_dict("records")]
    sizes = [{"height": 240}, {"height": 240, "width": 560}, {"height": 300, "font_scale": 1.6}]
    with schemapi.debug_mode(True):  # checked part by part, then as a whole (whatever this process had set)
        checked = [trajectory_chart(t, **size).to_dict() for t in trajs for size in sizes]
    before = schemapi.DEBUG_MODE
    with unchecked_building():
        assert schemapi.DEBUG_MODE is False
        fast = [trajectory_chart(t, **size).to_dict(validate=False) for t in trajs for size in sizes]
    assert schemapi.DEBUG_MODE is before  # as it was
    assert len(fast) == 3 * len(indicators) and fast == checked
    counts = pd.DataFrame({"group": ["大綱1", "大綱1", "大綱2"], "grade": ["A", "D", "N"], "count": [2, 1, 3]})
    with unchecked_building():
        assert grade_rollup_chart(counts).to_dict(validate=False) == grade_rollup_chart(counts).to_dict()


# Columns of the kinds charts._values converts itself: text (pandas 3's str and string dtypes), integers
# (plain and nullable), floats (float64 and float32, NaN and ±inf among them).
_TEXT = st.one_of(
    st.none(), st.text(alphabet="年度実績計画線日本語ーアイウ R()～—abc0123456789.,;:'\"\\\n", max_size=8)
)
_FLOAT = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True))
_COLUMNS = {
    "str": (_TEXT, "str"),
    "string": (_TEXT, "string"),
    "int64": (st.integers(-(2**63), 2**63 - 1), "int64"),
    "Int64": (st.one_of(st.none(), st.integers(-(2**31), 2**31)), "Int64"),
    "float64": (_FLOAT, "float64"),
    "float32": (st.one_of(st.none(), st.floats(width=32)), "float32"),
}


@st.composite
def _frames(draw) -> pd.DataFrame:
    rows = draw(st.integers(0, 5))
    kinds = draw(st.lists(st.sampled_from(sorted(_COLUMNS)), min_size=1, max_size=4))
    columns = {}
    for i, kind in enumerate(kinds):
        values, dtype = _COLUMNS[kind]
        name = draw(st.sampled_from(["value", "year", "系列", "備考", "as_of"])) + str(i)
        columns[name] = pd.Series(draw(st.lists(values, min_size=rows, max_size=rows)), dtype=dtype)
    return pd.DataFrame(columns)


@given(_frames())
def test_inline_values_are_altairs_for_every_kind_of_column(frame):
    """charts._values gives Altair's to_values JSON for any frame of text, integer and float columns:
    missing text, NaN and ±inf become null, numbers stay numbers, Japanese text stays as it is."""
    import json

    from altair.utils.data import to_values

    from kamiplan.outputs.charts import _values

    ours = json.dumps(_values(frame), ensure_ascii=False, allow_nan=False)
    assert ours == json.dumps(to_values(frame), ensure_ascii=False, allow_nan=False)


def test_inline_values_leave_other_columns_to_altair():
    """Dates, booleans and object columns are converted by Altair itself (the same JSON by construction)."""
    from altair.utils.data import to_values

    from kamiplan.outputs.charts import _values

    for frame in (
        pd.DataFrame({"when": pd.to_datetime(["2025-04-01", None]), "n": [1, 2]}),
        pd.DataFrame({"flag": [True, False]}),
        pd.DataFrame({"any": pd.Series([pd.Timestamp("2025-04-01"), "R7"], dtype=object)}),
    ):
        assert _values(frame) == to_values(frame)


def test_layers_copied_our_way_make_altairs_specs(indicators, monkeypatch):
    """charts.Layer and charts.layer_chart (cheap copies) give, for every chart of the plan and at every size
    the outputs draw it, the same spec as plain ``alt.Chart`` layers given to ``alt.LayerChart(layer=…)``,
    key order included."""
    import json

    import altair as alt

    from kamiplan.outputs import charts
    from tests.synthetic import synthetic_changes

    cells: dict[str, dict[int, Cell]] = {}
    for change in synthetic_changes(indicators):
        cells.setdefault(change.series_id, {})[change.year] = change.new
    trajs = [build(row, cells.get(row["series_id"], {}), 2026, 2025) for row in indicators.to_dict("records")]
    assert any(t.history_years() for t in trajs) and any(t.indicator.get("survey") for t in trajs)
    sizes = [{}, {"height": 150, "font_scale": 1.3, "width": 440}, {"height": 400, "font_scale": 2.0, "width": 760}]

    def specs() -> list[str]:
        return [
            json.dumps(trajectory_chart(t, **size).to_dict(validate=False), ensure_ascii=False)
            for t in trajs
            for size in sizes
        ]

    ours = specs()
    monkeypatch.setattr(charts, "Layer", alt.Chart)
    monkeypatch.setattr(charts, "layer_chart", lambda layers, **kwargs: alt.LayerChart(layer=layers, **kwargs))
    assert ours == specs()
