"""The progress model: linear paths to the R11 targets, 進捗率, 達成率, grades and projections.

Pure functions, no Streamlit. Notation of the rules (issue 3): baseline b in year y0, target t in year
T, direction higher or lower. ``x ≽ z`` ("at least as good as") is x ≥ z for higher and x ≤ z for lower.

- Expected value e(y): ``level``/``relative``: b + (t − b)(y − y0)/(T − y0); ``maintain``: t;
  ``cumulative`` (n-year total ending in T): t·(y − (T − n))/n, and the actual is the running total;
  no baseline: no path.
- Grade of actual a in year y: N (no actual; or no baseline and a ⋡ t) · A (a ≽ t where t ≻ b, or
  y = T, or maintain/cumulative; without a baseline: a ≽ t) · B (a ≽ e(y); for a survey rate, a ≽ e(y)
  within the sampling band w: a ≽ e(y) − w for higher — "順調(誤差の範囲)") · C (behind the path but
  a ≻ the worse of b and t; cumulative: total > 0) · D (otherwise).
- Survey rates (満足度 and other アンケート percentages) move by a few points from sampling alone. The
  band w (default ±3 points, ``KAMIPLAN_SURVEY_BAND``) is applied once, here, so that the sentence, the
  badge, the roll-up, the report, the slides and the CSV tell one story (issue 12: 65.2 % against a path
  value of 65.92 was 「横ばい」 in the sentence and 「△ やや遅れ」 on the badge).
- 進捗率 = (a − b)/(t − b)·100 (b exists, t ≠ b); cumulative: a/t·100. 達成率 = a/t·100 (higher),
  t/a·100 (lower); null where a ratio is undefined (zero or negative denominator, negative values).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from kamiplan.labels import ACHIEVEMENT_FORMULAS, PROGRESS_FORMULAS, grade_word

HIGHER = "higher"
LOWER = "lower"
LEVEL = "level"
CUMULATIVE = "cumulative"
MAINTAIN = "maintain"
RELATIVE = "relative"
GRADE_ORDER = {"A": 0, "B": 1, "C": 2, "D": 3, "N": 4}
_EPS = 1e-9
DEFAULT_SURVEY_BAND = 3.0
ENV_SURVEY_BAND = "KAMIPLAN_SURVEY_BAND"


def survey_band() -> float:
    """The sampling band of survey rates in points: ``KAMIPLAN_SURVEY_BAND`` or 3."""
    try:
        value = float(os.environ.get(ENV_SURVEY_BAND, DEFAULT_SURVEY_BAND))
    except ValueError:
        return DEFAULT_SURVEY_BAND
    return value if value >= 0 and math.isfinite(value) else DEFAULT_SURVEY_BAND


def _num(value) -> float | None:
    """A float, or None for null/NaN."""
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


@dataclass(frozen=True)
class Spec:
    """What the plan says about one indicator (series)."""

    baseline: float | None
    baseline_year: int
    target: float
    target_year: int
    kind: str = LEVEL
    direction: str = HIGHER
    span_years: int | None = None
    band: float = 0.0  # survey rates: the sampling band in points (0 for counted values)

    @classmethod
    def from_row(cls, row: Mapping, band: float | None = None) -> Spec:
        """Build from a row of ``indicators`` (a dict or a pandas Series).

        ``band`` is the survey band for survey rows (default :func:`survey_band`); other rows get 0.
        """
        span = _num(row.get("target_span_years"))
        survey = bool(row.get("survey")) and not pd.isna(row.get("survey"))
        return cls(
            baseline=_num(row.get("baseline_value")),
            baseline_year=int(row["baseline_year"]),
            target=float(row["target_value"]),
            target_year=int(row["target_year"]),
            kind=str(row["kind"]),
            direction=str(row["direction"]),
            span_years=int(span) if span is not None else (5 if row["kind"] == CUMULATIVE else None),
            band=(band if band is not None else survey_band()) if survey else 0.0,
        )

    @property
    def window_start(self) -> int:
        """First year counted in a cumulative target (FY2025 for a 5か年合計 ending FY2029)."""
        return self.target_year - (self.span_years or 5) + 1


def at_least_as_good(x: float, z: float, direction: str) -> bool:
    """x ≽ z."""
    return x >= z - _EPS if direction == HIGHER else x <= z + _EPS


def better(x: float, z: float, direction: str) -> bool:
    """x ≻ z (strictly better)."""
    return x > z + _EPS if direction == HIGHER else x < z - _EPS


def worse_of(a: float, b: float, direction: str) -> float:
    """The worse of two values."""
    return min(a, b) if direction == HIGHER else max(a, b)


def expected(spec: Spec, year: int) -> float | None:
    """e(y): the value on the linear path in ``year`` (None where there is no path).

    Parameters
    ----------
    spec : Spec
    year : int
        Western year.

    Returns
    -------
    float or None
    """
    if spec.kind == CUMULATIVE:
        n = spec.span_years or 5
        if not spec.window_start <= year <= spec.target_year:
            return None
        return spec.target * (year - (spec.target_year - n)) / n
    if spec.baseline is None:
        return None
    if spec.kind == MAINTAIN:
        return spec.target
    if spec.target_year == spec.baseline_year:
        return spec.target
    share = (year - spec.baseline_year) / (spec.target_year - spec.baseline_year)
    # b·(1−f) + t·f rather than b + (t−b)·f: exact at both ends, e(y0) = b and e(T) = t.
    return spec.baseline * (1 - share) + spec.target * share


def running_totals(spec: Spec, yearly: Mapping[int, float]) -> dict[int, float]:
    """For a cumulative target: the running total in each year of the window that has a yearly value."""
    total = 0.0
    out: dict[int, float] = {}
    for year in range(spec.window_start, spec.target_year + 1):
        value = _num(yearly.get(year))
        if value is not None:
            total += value
            out[year] = total
    return out


def actual_for(spec: Spec, actuals: Mapping[int, float], year: int) -> float | None:
    """The value graded in ``year``: the recorded value, or the running total for a cumulative target."""
    if spec.kind == CUMULATIVE:
        return running_totals(spec, actuals).get(year)
    return _num(actuals.get(year))


def grade(spec: Spec, actual: float | None, year: int) -> str:
    """A 達成 / B 順調 / C やや遅れ / D 遅れ / N 評価不能 for ``actual`` in ``year``."""
    a = _num(actual)
    b, t, d = spec.baseline, spec.target, spec.direction
    if a is None:
        return "N"
    if spec.kind != CUMULATIVE and b is None:
        return "A" if at_least_as_good(a, t, d) else "N"
    if spec.kind == CUMULATIVE:
        if not spec.window_start <= year <= spec.target_year:
            return "N"
    elif not spec.baseline_year <= year <= spec.target_year:
        return "N"
    target_counts = (
        spec.kind in (MAINTAIN, CUMULATIVE) or year == spec.target_year or (b is not None and better(t, b, d))
    )
    if at_least_as_good(a, t, d) and target_counts:
        return "A"
    e = expected(spec, year)
    if e is not None and at_least_as_good(a, e, d):
        return "B"
    if e is not None and spec.band and within_band(spec, a, e):
        return "B"  # on the path, within the survey's sampling band: 順調(誤差の範囲)
    if spec.kind == CUMULATIVE:
        return "C" if better(a, 0.0, d) else "D"
    assert b is not None
    if better(a, worse_of(b, t, d), d):
        return "C"
    return "D"


def within_band(spec: Spec, actual: float, path_value: float) -> bool:
    """A survey result behind the path by less than the sampling band (a ≽ e − w for higher)."""
    shifted = path_value - spec.band if spec.direction == HIGHER else path_value + spec.band
    return at_least_as_good(actual, shifted, spec.direction)


def on_path_within_band(spec: Spec, actual: float | None, year: int, grade_: str) -> bool:
    """Grade B only thanks to the band: behind the path value, but within the sampling band."""
    a, e = _num(actual), expected(spec, year)
    if grade_ != "B" or a is None or e is None or not spec.band:
        return False
    return not at_least_as_good(a, e, spec.direction)


def _ratio(numerator: float, denominator: float) -> float | None:
    """numerator/denominator·100, or None when the denominator is (practically) zero."""
    if abs(denominator) < _EPS:
        return None
    value = numerator / denominator * 100
    return value if math.isfinite(value) else None


def progress_pct(spec: Spec, actual: float | None) -> float | None:
    """進捗率 (see :data:`kamiplan.labels.PROGRESS_FORMULAS`); None where undefined."""
    a = _num(actual)
    if a is None:
        return None
    if spec.kind == CUMULATIVE:
        return _ratio(a, spec.target)
    if spec.baseline is None:
        return None
    return _ratio(a - spec.baseline, spec.target - spec.baseline)


def achievement_pct(spec: Spec, actual: float | None) -> float | None:
    """達成率: a/t·100 (higher) or t/a·100 (lower); None when a ratio has no meaning."""
    a = _num(actual)
    t = spec.target
    if a is None or a < 0 or t < 0:
        return None
    if spec.direction == HIGHER:
        return _ratio(a, t)
    return _ratio(t, a)


def progress_formula(spec: Spec) -> str:
    """Which formula the 進捗率 used ("" when it is undefined for this indicator)."""
    if spec.kind == CUMULATIVE:
        return PROGRESS_FORMULAS["cumulative"]
    if spec.baseline is None or abs(spec.target - spec.baseline) < _EPS:
        return ""
    return PROGRESS_FORMULAS["linear"]


def achievement_formula(spec: Spec) -> str:
    return ACHIEVEMENT_FORMULAS[spec.direction]


@dataclass(frozen=True)
class Projection:
    """Where a least-squares line through the actuals reaches in the target year."""

    value: float
    meets: bool
    slope: float
    intercept: float
    years: tuple[int, ...]


def projection(spec: Spec, actuals: Mapping[int, float], year: int, start_year: int | None = None) -> Projection | None:
    """ "At this pace": a least-squares line through the actuals from ``start_year`` up to ``year``.

    Parameters
    ----------
    spec : Spec
    actuals : mapping of year to value
        Yearly values (running totals are taken for a cumulative target).
    year : int
        The evaluation year; later actuals are not used.
    start_year : int, optional
        First year of the plan period (default: the year after the baseline; a cumulative target's window).

    Returns
    -------
    Projection or None
        None with fewer than two actuals.
    """
    if spec.kind == CUMULATIVE:
        points = running_totals(spec, actuals)
    else:
        points = {y: v for y, v in ((int(y), _num(v)) for y, v in actuals.items()) if v is not None}
    first = (
        start_year
        if start_year is not None
        else (spec.window_start if spec.kind == CUMULATIVE else spec.baseline_year + 1)
    )
    pts = sorted((y, v) for y, v in points.items() if first <= y <= year)
    if len(pts) < 2:
        return None
    n = len(pts)
    mx = sum(y for y, _ in pts) / n
    my = sum(v for _, v in pts) / n
    sxx = sum((y - mx) ** 2 for y, _ in pts)
    slope = sum((y - mx) * (v - my) for y, v in pts) / sxx
    intercept = my - slope * mx
    value = intercept + slope * spec.target_year
    return Projection(
        value=value,
        meets=at_least_as_good(value, spec.target, spec.direction),
        slope=slope,
        intercept=intercept,
        years=tuple(y for y, _ in pts),
    )


@dataclass(frozen=True)
class Evaluation:
    year: int
    actual: float | None
    expected: float | None
    progress_pct: float | None
    achievement_pct: float | None
    grade: str
    within_band: bool  # B because the survey result is within the sampling band of the path (not above it)
    projected: float | None
    projected_meets: bool | None
    progress_formula: str
    achievement_formula: str


def evaluate(spec: Spec, actuals: Mapping[int, float], year: int, start_year: int | None = None) -> Evaluation:
    """Everything the report says about one indicator in one year."""
    a = actual_for(spec, actuals, year)
    proj = projection(spec, actuals, year, start_year)
    g = grade(spec, a, year)
    return Evaluation(
        year=year,
        actual=a,
        expected=expected(spec, year),
        progress_pct=progress_pct(spec, a),
        achievement_pct=achievement_pct(spec, a),
        grade=g,
        within_band=on_path_within_band(spec, a, year, g),
        projected=proj.value if proj else None,
        projected_meets=proj.meets if proj else None,
        progress_formula=progress_formula(spec),
        achievement_formula=achievement_formula(spec),
    )


def series_values(actuals: pd.DataFrame) -> dict[str, dict[int, float]]:
    """``{series_id: {year: value}}`` from an actuals frame (columns series_id, year, value)."""
    out: dict[str, dict[int, float]] = {}
    if actuals is None or actuals.empty:
        return out
    for series_id, year, value in zip(actuals["series_id"], actuals["year"], actuals["value"], strict=True):
        v = _num(value)
        if v is not None:
            out.setdefault(str(series_id), {})[int(year)] = v
    return out


REPORT_FIELDS = (
    "indicator_id",
    "pillar",
    "policy",
    "section",
    "name",
    "unit",
    "kind",
    "direction",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
)


def evaluate_indicators(
    indicators: pd.DataFrame, actuals: pd.DataFrame, year: int, start_year: int | None = None
) -> pd.DataFrame:
    """One row per indicator row with its evaluation for ``year``. Inputs are not modified.

    Parameters
    ----------
    indicators : DataFrame
        Rows of ``indicators.parquet``.
    actuals : DataFrame
        Columns ``series_id``, ``year``, ``value`` (yearly values; cumulative ones are summed here).
    year : int
    start_year : int, optional
        First year of the plan period, for projections.

    Returns
    -------
    DataFrame
        :data:`REPORT_FIELDS` (``name`` is the display label) plus the :class:`Evaluation` fields and
        ``grade_label``.
    """
    values = series_values(actuals)
    rows = []
    for row in indicators.to_dict("records"):
        spec = Spec.from_row(row)
        ev = evaluate(spec, values.get(row["series_id"], {}), year, start_year)
        out = {k: row.get(k) for k in REPORT_FIELDS}
        out["name"] = row.get("label", row["name"])
        out.update(ev.__dict__)
        out["grade_label"] = grade_word(ev.grade, ev.within_band)
        rows.append(out)
    columns = [*REPORT_FIELDS, *Evaluation.__dataclass_fields__, "grade_label"]
    frame = pd.DataFrame(rows, columns=columns)
    for col in ("actual", "expected", "progress_pct", "achievement_pct", "projected"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Float64")
    frame["projected_meets"] = frame["projected_meets"].astype("boolean")
    frame["within_band"] = frame["within_band"].astype(bool)
    return frame
