"""Altair chart builders: one builder per kind of chart, one theme for the family. No Streamlit here."""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
from altair.utils.data import to_values
from altair.utils.schemapi import SchemaBase

from kamiplan.labels import (
    DIRECTION_LABELS,
    GRADES,
    HISTORY_TITLE,
    PLAN_PERIOD,
    POINT_FIELDS,
    grade_text,
    kind_beside,
)
from kamiplan.model.narrative import survey_band
from kamiplan.model.progress import CUMULATIVE
from kamiplan.model.trajectory import (
    S_ACTUAL,
    S_BASELINE,
    S_HISTORY,
    S_PATH,
    S_PROJECTION,
    S_TARGET,
    Trajectory,
)
from kamiplan.plan.periods import era_year, year_label

FONT = "Noto Sans CJK JP"
FONT_STACK = f"'{FONT}', 'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', 'Meiryo', sans-serif"


@contextlib.contextmanager
def unchecked_building() -> Iterator[None]:
    """Build charts without Altair checking each part against the Vega-Lite schema as it is made.

    The specs are the same (a test compares every chart of the plan built both ways); only the time
    differs: a trajectory chart's spec took ~44 ms of CPU checked (parts as they are made, then the whole
    with ``to_dict()``), ~16 ms unchecked with ``to_dict(validate=False)`` (BENCHMARKS.md). The chart tests
    validate every kind of chart, so the commands (``export-report``, ``snapshot``) and the server (its
    lifespan, ``serve.py``) build unchecked. Altair's switch is global to the process, not to a thread.

    Yields
    ------
    None
        Within the block, Altair's ``DEBUG_MODE`` is off; as before afterwards. Another Altair without
        the switch: nothing changes.
    """
    try:
        from altair.utils.schemapi import debug_mode
    except ImportError:  # pragma: no cover - another Altair: build as usual
        yield
        return
    with debug_mode(False):
        yield


# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}
SERIES_COLORS = {
    S_ACTUAL: OKABE_ITO["blue"],
    S_PATH: OKABE_ITO["black"],
    S_BASELINE: OKABE_ITO["black"],
    S_TARGET: OKABE_ITO["vermillion"],
    S_PROJECTION: OKABE_ITO["orange"],
    S_HISTORY: OKABE_ITO["grey"],
}
COUNT_UNITS = {"人", "件", "地区", "局", "戸", "事業所", "種類"}  # whole numbers: no 0.5 ticks
POINT_UNITS = {"%", "ポイント"}
# The value scale (value_axis): how small a change may look; reasons in its docstring.
MAX_TICKS = 6
MIN_SPAN_POINTS = 10.0  # % and ポイント: at least ±5 points
MIN_SPAN_SHARE = 0.1  # other units: at least ±5 % of the value
MIN_SPAN_COUNT = 2.0  # whole numbers
EDGE = 0.08  # margin on both sides, as a share of the window: no point on the frame's edge
YEAR_LABEL_STEPS = (1, 2, 5, 10, 20, 50, 100, 1000)  # years between the labels of a year axis
PLAN_MAX_LABELS = 8  # a plan part of more years (a 20-year plan) labels round years only
HISTORY_MAX_LABELS = 8
HISTORY_SHARE = 0.35  # height of 「これまでの推移」 for the plan part's height
HISTORY_MIN_HEIGHT = 60
HISTORY_GAP = 38  # × font_scale + 16 px: the plan part's two-line year labels and the history title
MUTED_TEXT = "#666666"
LINE_DASHES = {S_HISTORY: [1, 0], S_PATH: [6, 4], S_PROJECTION: [2, 3], S_ACTUAL: [1, 0]}
LINE_WIDTHS = {S_HISTORY: 1.5, S_PATH: 1.5, S_PROJECTION: 2.0, S_ACTUAL: 2.5}
POINT_SHAPES = {S_HISTORY: "circle", S_BASELINE: "circle", S_TARGET: "diamond", S_ACTUAL: "circle"}
POINT_SIZES = {S_HISTORY: 30, S_BASELINE: 70, S_TARGET: 140, S_ACTUAL: 80}
GRADE_COLORS = {
    "A": OKABE_ITO["bluish_green"],
    "B": OKABE_ITO["sky_blue"],
    "C": OKABE_ITO["orange"],
    "D": OKABE_ITO["vermillion"],
    "N": OKABE_ITO["grey"],
}


@alt.theme.register("kamiplan", enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT_STACK,
            "title": {"font": FONT_STACK, "fontSize": 15, "subtitleFontSize": 12, "anchor": "start"},
            "axis": {"labelFont": FONT_STACK, "titleFont": FONT_STACK, "labelFontSize": 12, "titleFontSize": 12},
            "legend": {"labelFont": FONT_STACK, "titleFont": FONT_STACK, "labelFontSize": 12, "titleFontSize": 12},
            "range": {"category": list(OKABE_ITO.values())},
            "view": {"stroke": None},
        }
    }


def _values(frame: pd.DataFrame) -> dict:
    """The frame as inline values ``{"values": [row, …]}``, converted here rather than by Altair's data
    transformer: that is global state which Streamlit swaps (under its own lock) while it converts charts
    of other sessions, and the dashboard serialises trajectory charts outside that lock (``ui._chart_spec``).

    The same values as Altair's ``to_values`` (a missing value is ``None``, numbers are Python numbers;
    checked on every chart of the plan in tests/outputs/test_charts.py), ~10× faster than its
    ``sanitize_pandas_dataframe`` on pandas 3: a third of the time of building a chart (BENCHMARKS.md).
    Frames with columns of other kinds than the trajectory points' (text, integers, floats; an ``object``
    column may hold anything) go to Altair.
    """
    types = pd.api.types
    if not all(
        not types.is_object_dtype(t)
        and (types.is_string_dtype(t) or types.is_integer_dtype(t) or types.is_float_dtype(t))
        for t in frame.dtypes
    ):
        return to_values(frame)
    rows = frame.to_dict("records")
    for row in rows:
        for key, value in row.items():
            # Altair writes NaN and ±inf as null (JSON has neither).
            if value is None or value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
                row[key] = None
            elif isinstance(value, np.integer):
                row[key] = int(value)
            elif isinstance(value, np.floating):
                row[key] = float(value) if np.isfinite(value) else None
    return {"values": rows}


_ATOMS = {str, int, float, bool, type(None), type(alt.Undefined)}  # kept as they are (most values are Undefined)


def _copy(obj):
    """A deep copy of a part of a chart, as Altair's own (``altair.utils.schemapi._deep_copy``) but without
    calling each object's constructor again (with its dozens of unset parameters): ~5× faster."""
    if isinstance(obj, SchemaBase):
        if isinstance(obj, alt.LayerChart):  # its constructor does more than keep the values: Altair's way
            return obj.copy()
        new = object.__new__(type(obj))
        object.__setattr__(new, "_args", tuple(a if type(a) in _ATOMS else _copy(a) for a in obj._args))
        object.__setattr__(new, "_kwds", {k: v if type(v) in _ATOMS else _copy(v) for k, v in obj._kwds.items()})
        return new
    if isinstance(obj, list):
        return [v if type(v) in _ATOMS else _copy(v) for v in obj]
    if isinstance(obj, dict):
        return {k: v if type(v) in _ATOMS else _copy(v) for k, v in obj.items()}
    return obj


class Layer(alt.Chart):
    """A layer of a trajectory chart: an :class:`altair.Chart` that copies itself faster.

    Altair deep-copies every layer twice whenever it makes or copies a layer chart, and ``to_dict`` copies
    the layer chart: half of the time of serialising a trajectory chart (BENCHMARKS.md). Altair asks an
    object for its own ``__deepcopy__`` first; this one is :func:`_copy`. The specs are the same, key order
    included (tests/outputs/test_charts.py builds every chart of the plan both ways).
    """

    def __deepcopy__(self, memo=None):
        return _copy(self)


def layer_chart(layers: list[alt.Chart | alt.LayerChart], **kwargs) -> alt.LayerChart:
    """``alt.LayerChart(layer=layers, **kwargs)`` without copying every layer twice on the way.

    Altair's constructor copies the layers to merge their data, parameters, width and height into the
    layer chart; trajectory layers have none of these to merge (the points are given to the layer chart),
    so the layers are given after construction. ``to_dict`` makes the same spec.

    Parameters
    ----------
    layers : list of Chart or LayerChart
    **kwargs
        Properties of the layer chart (data, title, width, height, name …).

    Returns
    -------
    altair.LayerChart
    """
    chart = alt.LayerChart(**kwargs)
    chart.layer = list(layers)
    return chart


def _scale(values: dict) -> alt.Scale:
    """A fixed mapping from series to a style (no legend; every chart looks the same).

    The domain is the same for every chart, so the layers sharing a scale (colour) agree on it.
    ``ordinal``: each series gets exactly its value. Vega-Lite's default for size and stroke width of a
    nominal field is a ``point`` scale, which spreads the range evenly over the domain (the target
    diamond came out at 63 instead of 140).
    """
    return alt.Scale(type="ordinal", domain=list(values), range=list(values.values()))


@dataclass(frozen=True)
class ValueAxis:
    """The value (y) scale of a trajectory chart: its domain, the values labelled, their decimals."""

    domain: tuple[float, float]
    ticks: tuple[float, ...]
    decimals: int

    @property
    def format(self) -> str:
        return f",.{self.decimals}f"


def value_axis(
    values: Iterable[float],
    unit: str,
    lower: float | None = None,
    upper: float | None = None,
    max_ticks: int = MAX_TICKS,
) -> ValueAxis | None:
    """A y scale that shows the change of ``values`` at an honest size (None when there is no value).

    The view covers the values and at least a minimum span around them, so that a small change stays
    small: for % and ポイント 10 points (±5; for a rate below 10 % its own size, so 0.76 % → 0.6 % is not
    drawn on a 0–10 scale where it vanishes), else 10 % of the value (±5 %: a change of 1 % of the value
    moves the line by at most a tenth of the height), and 2 for whole numbers (0 件 → 0–2). The window is
    centred on the values, slid inside ``lower``–``upper`` (0–100 for %) and given a margin of
    :data:`EDGE` of its span on both sides, so that no point sits on the frame's edge. At most
    ``max_ticks`` round ticks (steps 1, 2, 5 × 10ⁿ), none outside ``lower``–``upper``.

    Parameters
    ----------
    values : iterable of float
        Everything drawn on the scale (NaN and None are ignored).
    unit : str
        The indicator's unit (``%``, ``人``, ``""`` …).
    lower, upper : float, optional
        The range the values can take (``value_min`` and ``value_max`` of the indicator).
    max_ticks : int

    Returns
    -------
    ValueAxis or None
    """
    vals = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    if not vals:
        return None
    lower = lower if lower is not None and math.isfinite(lower) else None
    upper = upper if upper is not None and math.isfinite(upper) else None
    dmin, dmax = min(vals), max(vals)
    largest = max(abs(dmin), abs(dmax))
    least = min(MIN_SPAN_POINTS, largest) if unit in POINT_UNITS else MIN_SPAN_SHARE * largest
    if unit in COUNT_UNITS:
        least = max(least, MIN_SPAN_COUNT)
    span = max(dmax - dmin, least)
    if span < 1e-9:  # all zero (or vanishingly close to it, 5e-324 found by Hypothesis): 0–1
        span = 1.0
    lo = (dmin + dmax - span) / 2
    hi = lo + span
    if upper is not None and hi > max(upper, dmax):
        hi = max(upper, dmax)
        lo = hi - span
    if lower is not None and lo < min(lower, dmin):
        lo = min(lower, dmin)
        hi = min(lo + span, max(upper, dmax)) if upper is not None else lo + span
    margin = EDGE * (hi - lo)
    domain = (lo - margin, hi + margin)
    step, ticks = _nice_ticks(domain, max_ticks, unit in COUNT_UNITS, lower, upper)
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    return ValueAxis(domain, ticks, decimals)


def _nice_ticks(
    domain: tuple[float, float], max_ticks: int, whole: bool, lower: float | None, upper: float | None
) -> tuple[float, tuple[float, ...]]:
    """The smallest round step (1, 2, 5 × 10ⁿ; ≥ 1 for whole numbers) with at most ``max_ticks``
    multiples in the domain (and within lower–upper: no 102 % on the axis)."""
    lo = max(domain[0], lower) if lower is not None else domain[0]
    hi = min(domain[1], upper) if upper is not None else domain[1]
    exponent = math.floor(math.log10((domain[1] - domain[0]) / max_ticks))
    while True:
        for factor in (1, 2, 5):
            step = factor * 10.0**exponent
            if whole and step < 1:
                continue
            first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
            if last - first + 1 <= max_ticks:
                digits = max(0, -exponent) + 1  # 0.1 + 0.2 drawn as 0.3, not 0.30000000000000004
                return step, tuple(round(k * step, digits) for k in range(first, last + 1))
        exponent += 1


def _plan_values(traj: Trajectory, points: pd.DataFrame, band: float | None) -> list[float]:
    """What the plan part draws on its y scale: every point from ``first_year`` on (history has its own)."""
    pts = points[points["year"] >= traj.first_year]
    values = [v for v in pts["value"] if pd.notna(v)]
    if band:
        sampled = pts.loc[pts["series"].isin([S_BASELINE, S_ACTUAL, S_HISTORY]), "value"].dropna()
        values += [v + d for v in sampled for d in (-band, band)]
    return values


def _point_fields(unit: str, decimals: dict[str, int]) -> list[tuple[str, str, str]]:
    """(title, test, Vega expression of the value) of what a point tells about itself, in order
    (titles: :data:`kamiplan.labels.POINT_FIELDS`).

    Numbers as the indicator table shows them (``decimals``: :attr:`Trajectory.decimals`): a recorded value as
    recorded, a computed one (the path, the projection, 計画線上の値) one decimal beyond the plan's, 進捗率 one
    decimal — 42.7, not 42.6667.
    """
    title = POINT_FIELDS
    value = f"{title['value']}({unit})" if unit else title["value"]
    recorded, computed = (f"',.{decimals[kind]}~f'" for kind in ("recorded", "computed"))
    is_computed = " || ".join(f"datum.series == {json.dumps(s, ensure_ascii=False)}" for s in (S_PATH, S_PROJECTION))
    return [
        (title["year"], "datum.year_label", "datum.year_label"),
        (title["series"], "datum.series", "datum.series"),
        (value, "isValid(datum.value)", f"format(datum.value, {is_computed} ? {computed} : {recorded})"),
        (title["expected"], "isValid(datum.expected)", f"format(datum.expected, {computed})"),
        (title["progress_pct"], "isValid(datum.progress_pct)", f"format(datum.progress_pct, ',.{decimals['rate']}f')"),
        (title["as_of"], "datum.as_of", "datum.as_of"),
        (title["note"], "datum.note", "datum.note"),
        (title["source"], "datum.source", "datum.source"),
    ]


def _point_texts(unit: str, decimals: dict[str, int]) -> list[alt.CalculateTransform]:
    """Per point, computed once for every layer: ``tip`` (the tooltip) and ``desc`` (what a screen
    reader says, Vega's aria-label), both with only the fields the point has a value for.

    ``tip`` is a ``merge`` of one object per field, ``{}`` when the point has none: a tooltip never
    shows 「null」 (a path point has no 進捗率, the target no 計画線上の値). 時点 says the day of a value
    recorded for an unusual day (a census count of 10月1日 among 4月1日 counts). ``desc`` is the same
    as text, 「年度: R7(2025); 系列: 実績; …」.
    """
    fields = _point_fields(unit, decimals)
    tip = ", ".join(
        f"{test} ? {{{json.dumps(title, ensure_ascii=False)}: {value}}} : {{}}" for title, test, value in fields
    )
    desc = " + ".join(
        f"({test} ? {json.dumps('; ' + title + ': ', ensure_ascii=False)} + {value} : '')"
        for title, test, value in fields
    )
    return [
        alt.CalculateTransform(calculate=f"merge({tip})", **{"as": "tip"}),
        alt.CalculateTransform(calculate=f"slice({desc}, 2)", **{"as": "desc"}),
    ]


# The objects computed by _point_texts: vega-tooltip shows ``tip`` as a table; ``desc`` is the aria-label
# (without it, Vega-Lite would describe a point from its encodings: 「tip: [object Object]」).
TIP = alt.Tooltip("tip:N")
DESC = alt.Description("desc:N")


def trajectory_chart(
    traj: Trajectory,
    height: int | str = 240,
    font_scale: float = 1.0,
    band: float | None = None,
    width: int | str = "container",
) -> alt.LayerChart:
    """Actuals against the linear path to the R11 target, and the years before it to scale.

    The plan part, from the baseline year to R11, has the layers (each named) ``survey_band`` for
    survey indicators, ``year_rule`` (the evaluation year: behind the points, no tooltip of its own),
    ``lines`` (the dashed path, the dotted projection, the actual line — the running total for a
    5か年合計 target), ``points`` (baseline, target diamond, actuals) and ``grade_badge``. Its value
    scale comes from :func:`value_axis`. Each series is styled through the layer's scales.

    Values recorded before the baseline year (a census 1995–2020 …) get a part of their own below,
    「これまでの推移(参考)」: the years at their true spacing, its own value scale, muted, with the
    plan period shaded. The chart is then a layer of two layers, ``plan`` and ``history``, with
    independent scales and axes; the plan part keeps its full width, its height (the chart grows by
    the history part) and a value scale that old values do not stretch. It is one view, not a concat:
    Vega-Lite fits only single and layered views to ``width="container"`` (the page's column).

    Parameters
    ----------
    traj : Trajectory
    height : int or "container"
        Pixels of the plan part, or "container" to fill the height the page gives the chart (presentation
        mode; a history part then takes a share of it).
    font_scale : float
        Larger type for the projector (presentation mode).
    band : float, optional
        Survey indicators: the sampling band in points (default :func:`kamiplan.model.narrative.survey_band`),
        drawn as a light bar ±band around each survey result (layer ``survey_band``).
    width : int or "container"
        Pixels of the plot (images, print), or "container" to fill the page's column.

    Returns
    -------
    altair.LayerChart
    """
    ind = traj.indicator
    points = traj.points  # built once for the parts below (Trajectory keeps tuples)
    survey_width = (band if band is not None else survey_band()) if ind.get("survey") else None
    common = {
        "data": _values(points),
        "transform": _point_texts(ind["unit"], traj.decimals),
        "title": alt.TitleParams(
            # Whole names over lines, not cut with 「…」 (a slide at 1280×720 cut 「町内に住み続けたい」と感じている町…)
            text=_title_texts(ind, font_scale, width)[0],
            subtitle=_title_texts(ind, font_scale, width)[1],
            fontSize=15 * font_scale,
            subtitleFontSize=12 * font_scale,
            offset=10 + 16 * font_scale,
        ),
        "width": width,
    }
    # Everything goes to the constructor: each method call (.properties …) copies the whole chart.
    if not traj.history_years():
        return layer_chart(_plan_layers(traj, points, font_scale, survey_width), height=height, **common)
    # Below the plan part (which ends `below` pixels above the view's bottom): its year labels and the
    # history part's title (`gap`), then the history part (`hist_h` high). Expressions of the view's
    # height, so that height="container" works too.
    gap, hist_h = _history_space(height, font_scale)
    below = f"{gap} + {hist_h}"
    # Altair renames the layers of the parts when it serialises (lines → lines_0).
    return layer_chart(
        [
            layer_chart(_plan_layers(traj, points, font_scale, survey_width, below), name="plan"),
            layer_chart(_history_layers(traj, points, font_scale, hist_h), name="history"),
        ],
        resolve=alt.Resolve(
            scale=alt.ScaleResolveMap(x="independent", y="independent"),
            axis=alt.AxisResolveMap(x="independent", y="independent"),
        ),
        height=height + gap + int(hist_h) if isinstance(height, int) else height,
        **common,
    )


def _history_space(height: int | str, font_scale: float) -> tuple[int, str]:
    """Pixels under the plan part: for its year labels and the history title, and for the history part."""
    gap = round(HISTORY_GAP * font_scale + 16)
    if isinstance(height, int):
        return gap, str(max(HISTORY_MIN_HEIGHT, round(HISTORY_SHARE * height)))
    return gap, "max(40, round(0.22 * height))"  # a share of the height the page gives


def extra_title_height(ind, font_scale: float = 1.0, width: int | str = "container") -> float:
    """Pixels the title and subtitle take beyond one line each (names wrapped by :func:`title_lines`)."""
    title, subtitle = _title_texts(ind, font_scale, width)
    return sum(
        (len(lines) - 1) * size * font_scale * 1.25
        for lines, size in ((title, 15), (subtitle, 12))
        if isinstance(lines, list)
    )


def plan_height(traj: Trajectory, total: int, font_scale: float = 1.0, width: int | str = "container") -> int:
    """The ``height`` that keeps the whole chart ``total`` pixels high, history part included.

    A fixed-size slide has no room to grow: with values before the baseline, the plan part gives up
    the height of 「これまでの推移」 (``total`` without them). Pages that scroll pass their height as it is.
    """
    # Names wrapped over several lines (title_lines) take their lines from the plot, not from the slide.
    total = int(total - extra_title_height(traj.indicator, font_scale, width))
    if not traj.history_years():
        return total
    gap, _ = _history_space(total, font_scale)
    plan = math.floor((total - gap) / (1 + HISTORY_SHARE))
    if HISTORY_SHARE * plan < HISTORY_MIN_HEIGHT:
        plan = total - gap - HISTORY_MIN_HEIGHT
    return max(plan, HISTORY_MIN_HEIGHT)


def _plan_layers(
    traj: Trajectory, points: pd.DataFrame, font_scale: float, survey_width: float | None, below: str | None = None
) -> list[alt.Chart]:
    """The plan part: baseline year to R11 (the whole chart when nothing was recorded before it).

    ``points``: ``traj.points``, built once by the caller. ``below``: pixels (an expression) left under the plan part for the history part, None without one.
    """
    ind = traj.indicator
    unit = ind["unit"]
    years = traj.ticks()
    domain = [min(years + [traj.year]) - 0.4, max(years) + 0.4]
    labelled = _labelled_years(min(years), max(years), PLAN_MAX_LABELS)
    x = alt.X(
        "year:Q",
        title=None,
        scale=alt.Scale(domain=domain, nice=False, zero=False),
        axis=alt.Axis(
            values=labelled,
            labelExpr=_label_expr(labelled),
            labelAngle=0,
            labelOverlap="greedy",  # a narrow column hides every other year rather than overprint them
            labelSeparation=4,
            grid=False,
            labelFontSize=11 * font_scale,
            **({"orient": "bottom", "offset": alt.ExprRef(f"-({below})")} if below else {}),
        ),
    )
    axis = value_axis(
        _plan_values(traj, points, survey_width), unit, _bound(ind.get("value_min")), _bound(ind.get("value_max"))
    )
    scale = {"domain": list(axis.domain), "nice": False} if axis else {"nice": True}
    if below:
        scale["range"] = [alt.ExprRef(f"height - ({below})"), 0]
    y = alt.Y(
        "value:Q",
        title=unit or None,
        scale=alt.Scale(zero=False, **scale),
        axis=alt.Axis(
            labelFontSize=12 * font_scale,
            titleFontSize=12 * font_scale,
            format=axis.format if axis else ",~f",
            titleAngle=0,
            titleAlign="left",
            titleY=-8,
            titleX=-4,
            **({"values": list(axis.ticks)} if axis else {"tickMinStep": 1} if unit in COUNT_UNITS else {}),
            **({"orient": "left"} if below else {}),
        ),
    )
    # The points are given once, to the layer chart; a base chart holding them would be copied and
    # serialised once per layer (the costliest part of building a chart).
    base = Layer().encode(x=x, y=y)
    present = set(points.loc[points["year"] >= traj.first_year, "series"])

    def only(*series: str) -> alt.Chart:
        chart = base.transform_filter(alt.FieldOneOfPredicate(field="series", oneOf=list(series)))
        if below and S_HISTORY in series:  # history from first_year on (a 5か年合計's year before) stays here
            chart = chart.transform_filter(alt.FieldGTEPredicate(field="year", gte=traj.first_year))
        return chart

    layers = []
    if survey_width is not None:
        layers.append(
            only(S_BASELINE, S_ACTUAL, S_HISTORY)
            .transform_calculate(lo=f"datum.value - {survey_width}", hi=f"datum.value + {survey_width}")
            .mark_rule(color=OKABE_ITO["sky_blue"], strokeWidth=10 * font_scale, opacity=0.3)
            .encode(
                y=alt.Y("lo:Q"),
                y2=alt.Y2("hi:Q"),
                tooltip=alt.TooltipValue(f"調査の誤差の目安 ±{survey_width:g}ポイント"),
            )
            .properties(name="survey_band")
        )
    # Behind the points and without a tooltip: drawn on top, the rule took the pointer (and showed
    # 「評価年度」) from the actual point of the evaluation year.
    rule = {"x": alt.X("year:Q", scale=alt.Scale(domain=domain))}
    if below:
        rule |= {"y": alt.YValue(0), "y2": alt.Y2Value(alt.ExprRef(f"height - ({below})"))}
    layers.append(
        Layer(_values(pd.DataFrame({"year": [traj.year]})))
        .mark_rule(color=OKABE_ITO["grey"], strokeWidth=1, strokeDash=[1, 2])
        .encode(**rule)
        .properties(name="year_rule")
    )
    # Two layers draw every series: one for the lines, one for the points, each styled per series by
    # scales (colour, dash, width; shape, size). Compared with one layer per series the spec is about
    # half the size and builds in about 60 % of the time (BENCHMARKS.md); the page open time in the
    # browser did not measurably change.
    line_series = [x for x in (S_HISTORY, S_PATH, S_PROJECTION, S_ACTUAL) if x in present]
    point_series = [x for x in (S_HISTORY, S_BASELINE, S_TARGET, S_ACTUAL) if x in present]
    if line_series:
        layers.append(
            only(*line_series)
            .mark_line()
            .encode(
                color=alt.Color("series:N", scale=_scale(SERIES_COLORS), legend=None),
                strokeDash=alt.StrokeDash("series:N", scale=_scale(LINE_DASHES), legend=None),
                strokeWidth=alt.StrokeWidth("series:N", scale=_scale(LINE_WIDTHS), legend=None),
                order=alt.Order("year:Q"),
                tooltip=TIP,
                description=DESC,
            )
            .properties(name="lines")
        )
    if point_series:
        layers.append(
            only(*point_series)
            .mark_point(filled=True, opacity=1)
            .encode(
                color=alt.Color("series:N", scale=_scale(SERIES_COLORS), legend=None),
                shape=alt.Shape("series:N", scale=_scale(POINT_SHAPES), legend=None),
                size=alt.Size("series:N", scale=_scale(POINT_SIZES), legend=None),
                tooltip=TIP,
                description=DESC,
            )
            .properties(name="points")
        )
    layers.append(
        Layer(_values(pd.DataFrame({"badge": [f"{traj.grade_text}({year_label(traj.year)})"]})))
        .mark_text(align="right", baseline="bottom", fontSize=13 * font_scale, fontWeight="bold", dy=-6)
        .encode(
            x=alt.XValue("width"),
            y=alt.YValue(0),
            text=alt.Text("badge:N"),
            color=alt.ColorValue(GRADE_COLORS[traj.grade]),
        )
        .properties(name="grade_badge")
    )
    return layers


def _history_layers(traj: Trajectory, points: pd.DataFrame, font_scale: float, hist_h: str) -> list[alt.Chart]:
    """「これまでの推移(参考)」: every recorded year at its true spacing, the plan period shaded, muted
    (``points``: ``traj.points``, built once by the caller)."""
    ind = traj.indicator
    unit = ind["unit"]
    first, last = traj.history_years()[0], int(ind["target_year"])
    years = _labelled_years(first, last, HISTORY_MAX_LABELS)
    domain = [first - 0.5, last + 0.5]
    x = alt.X(
        "year:Q",
        title=None,
        scale=alt.Scale(domain=domain, nice=False, zero=False),
        axis=alt.Axis(
            values=years,
            labelExpr=_label_expr(years),  # H27 / (2015): the plan part's style, not 2015 beside R7 / (2025)
            labelAngle=0,
            labelOverlap="greedy",
            labelSeparation=4,
            grid=False,
            orient="bottom",
            labelColor=MUTED_TEXT,
            labelFontSize=11 * font_scale,
        ),
    )
    # The plan's own points too (baseline, actuals, target), so the years before lead into them — but not
    # for a 5か年合計: its actuals are running totals, not comparable with the yearly values before.
    linked = (S_HISTORY,) if ind["kind"] == CUMULATIVE else (S_HISTORY, S_BASELINE, S_TARGET, S_ACTUAL)
    shown = [s for s in linked if s in set(points["series"])]
    values = points.loc[points["series"].isin(shown), "value"].tolist()
    axis = value_axis(values, unit, _bound(ind.get("value_min")), _bound(ind.get("value_max")), max_ticks=3)
    top = f"height - {hist_h}"
    y = alt.Y(
        "value:Q",
        scale=alt.Scale(
            zero=False,
            range=[alt.ExprRef("height"), alt.ExprRef(top)],
            **({"domain": list(axis.domain), "nice": False} if axis else {"nice": True}),
        ),
        # The part's title sits where the plan part has its unit: above the axis, left-aligned.
        axis=alt.Axis(
            title=HISTORY_TITLE,
            titleAngle=0,
            titleAlign="left",
            titleBaseline="bottom",
            titleY=alt.ExprRef(f"{top} - 4"),
            titleX=-4,
            titleColor=MUTED_TEXT,
            titleFontSize=12 * font_scale,
            titleFontWeight="normal",
            orient="left",
            labelColor=MUTED_TEXT,
            labelFontSize=11 * font_scale,
            format=axis.format if axis else ",~f",
            gridOpacity=0.5,
            **({"values": list(axis.ticks)} if axis else {}),
        ),
    )
    base = Layer().encode(x=x, y=y)
    period = pd.DataFrame({"start": [traj.first_year - 0.5], "end": [last + 0.5], "label": [PLAN_PERIOD]})
    return [
        Layer(_values(period))
        .mark_rect(color=OKABE_ITO["sky_blue"], opacity=0.15)
        .encode(
            x=alt.X("start:Q", scale=alt.Scale(domain=domain)),
            x2=alt.X2("end:Q"),
            y=alt.YValue(alt.ExprRef("height")),
            y2=alt.Y2Value(alt.ExprRef(top)),
        )
        .properties(name="plan_period"),
        Layer(_values(period))
        .mark_text(baseline="top", dy=2, fontSize=11 * font_scale, color=MUTED_TEXT)
        .encode(x=alt.X("start:Q"), x2=alt.X2("end:Q"), y=alt.YValue(alt.ExprRef(top)), text=alt.Text("label:N"))
        .properties(name="plan_period_label"),
        base.transform_filter(
            alt.FieldOneOfPredicate(field="series", oneOf=[x for x in (S_HISTORY, S_ACTUAL) if x in shown])
        )
        .mark_line(strokeWidth=1.5 * font_scale)
        .encode(
            color=alt.Color("series:N", scale=_scale(SERIES_COLORS), legend=None),
            order=alt.Order("year:Q"),
            tooltip=TIP,
            description=DESC,
        )
        .properties(name="history_lines"),
        base.transform_filter(alt.FieldOneOfPredicate(field="series", oneOf=shown))
        .mark_point(filled=True, opacity=1, size=25 * font_scale**2)
        .encode(
            color=alt.Color("series:N", scale=_scale(SERIES_COLORS), legend=None),
            shape=alt.Shape("series:N", scale=_scale(POINT_SHAPES), legend=None),
            tooltip=TIP,
            description=DESC,
        )
        .properties(name="history_points"),
    ]


def _bound(value) -> float | None:
    return float(value) if value is not None and pd.notna(value) else None


def _labelled_years(first: int, last: int, max_labels: int) -> list[int]:
    """The years labelled on an axis from ``first`` to ``last``: every year when at most ``max_labels``, else
    round years (every 2, 5, 10 … years), as many as fit: the labels never need to squeeze."""
    return next(
        labelled
        for every in YEAR_LABEL_STEPS
        if len(labelled := [y for y in range(first - first % every, last + 1, every) if y >= first]) <= max_labels
    )


def _label_expr(years: list[int]) -> str:
    """Vega expression: years as two lines, era and Western year, ``R7`` / ``(2025)``, ``H27`` / ``(2015)``
    (:func:`kamiplan.plan.periods.year_label` over two lines); a year before 昭和 as it is."""
    parts = [f"datum.value == {year} ? ['{era}', '({year})']" for year in years if (era := era_year(year))]
    return " : ".join(parts) + " : datum.value + ''" if parts else "datum.value + ''"


LINE_SEP = "\u2063"  # an invisible separator: where a wrapped axis label breaks (split in labelExpr)


def wrap_label(text: str, width: int) -> str:
    """``text`` with :data:`LINE_SEP` every ``width`` characters (a long 基本計画 name over several lines)."""
    return LINE_SEP.join(text[i : i + width] for i in range(0, len(text), width)) if width else text


def _title_texts(ind, font_scale: float, width: int | str = "container") -> tuple[str | list[str], str | list[str]]:
    """The chart's title (the indicator's name) and subtitle, each one line or a list of lines.

    A chart of known ``width`` (slides, images) wraps at the full-width characters that fit it; one that
    fills the page's column wraps for the narrowest card of a 1280 px page.
    """
    parts = (
        DIRECTION_LABELS[ind["direction"]],
        f"目標 {ind['target_label']}",
        kind_beside(ind["kind"], ind["target_label"]),
    )
    subtitle = " ・ ".join(part for part in parts if part)
    if isinstance(width, int):
        title_chars, subtitle_chars = width / (15 * font_scale), width / (12 * font_scale)
    else:
        title_chars, subtitle_chars = TITLE_CHARS_PER_LINE / font_scale, SUBTITLE_CHARS_PER_LINE / font_scale
    return title_lines(ind["label"], title_chars), title_lines(subtitle, subtitle_chars, sep=" ・ ")


TITLE_CHARS_PER_LINE = 34  # full-width characters of a 15 px title in the narrowest card (a 1280 px page)
SUBTITLE_CHARS_PER_LINE = 44


def title_lines(text: str, per_line: float, sep: str = "") -> str | list[str]:
    """``text`` as one line, or as lines of at most ``per_line`` characters (Vega draws a list as lines).

    With ``sep`` the breaks fall between parts (「高いほど良い ・ 目標 2,020人 ・ 水準」); else every ``per_line``.
    """
    limit = max(8, int(per_line))
    if len(text) <= limit:
        return text
    if sep:
        lines, current = [], ""
        for part in text.split(sep):
            candidate = f"{current}{sep}{part}" if current else part
            if current and len(candidate) > limit:
                lines.append(current)
                current = part
            else:
                current = candidate
        return [*lines, current]
    return [text[i : i + limit] for i in range(0, len(text), limit)]


def grade_rollup_chart(
    counts: pd.DataFrame,
    group_field: str = "group",
    font_scale: float = 1.0,
    bar_step: float | None = None,
    wrap: int = 0,
) -> alt.Chart:
    """Stacked bars of how many indicators have each grade, per group (大綱 or 基本計画).

    ``counts`` has columns ``group``, ``grade`` (A–N) and ``count``. ``bar_step``: pixels per group
    (default 30 × ``font_scale``); a slide uses taller bars to fill its space. ``wrap``: characters per
    line of a group label (0: one line, cut at the label limit) — a slide shows whole 基本計画 names.
    """
    frame = counts.assign(
        grade_label=[grade_text(g) for g in counts["grade"]],
        order=[GRADES.index(g) for g in counts["grade"]],
    )
    if wrap:
        frame[group_field] = [wrap_label(str(g), wrap) for g in frame[group_field]]
    labels = [grade_text(g) for g in GRADES]
    groups = list(dict.fromkeys(frame[group_field]))
    # What a screen reader says for a bar, and the hover title of a chart drawn on the server: the tooltip's
    # fields as text (Vega-Lite's own description would list every encoded field: 「group: …; order: 0」).
    frame["desc"] = [
        f"区分: {str(g).replace(LINE_SEP, '')}; 評価: {label}; 指標の数: {n}"
        for g, label, n in zip(frame[group_field], frame["grade_label"], frame["count"], strict=True)
    ]
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            description=alt.Description("desc:N"),
            y=alt.Y(
                f"{group_field}:N",
                title=None,
                sort=groups,
                axis=alt.Axis(
                    labelLimit=320 * font_scale,
                    labelFontSize=12 * font_scale,
                    **({"labelExpr": f"split(datum.label, '{LINE_SEP}')"} if wrap else {}),
                ),
            ),
            x=alt.X(
                "count:Q",
                title="指標の数",
                axis=alt.Axis(tickMinStep=1, format="d", labelFontSize=12 * font_scale, titleFontSize=12 * font_scale),
            ),
            color=alt.Color(
                "grade_label:N",
                title="評価",
                scale=alt.Scale(domain=labels, range=[GRADE_COLORS[g] for g in GRADES]),
                legend=alt.Legend(
                    orient="bottom", labelFontSize=12 * font_scale, titleFontSize=12 * font_scale, columns=3
                ),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip(f"{group_field}:N", title="区分"),
                alt.Tooltip("grade_label:N", title="評価"),
                alt.Tooltip("count:Q", title="指標の数"),
            ],
        )
        .properties(width="container", height=alt.Step(bar_step or 30 * font_scale), name="grade_rollup")
    )
