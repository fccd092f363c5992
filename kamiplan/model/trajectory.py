"""The points of one indicator's trajectory chart: baseline, linear path, target, actuals, projection.

Pure data (no Altair, no Streamlit); :mod:`kamiplan.outputs.charts` draws it, the table equivalent shows it.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from kamiplan.labels import grade_text
from kamiplan.model.progress import (
    CUMULATIVE,
    Evaluation,
    Spec,
    evaluate,
    expected,
    progress_pct,
    projection,
    running_totals,
)
from kamiplan.plan.periods import year_label
from kamiplan.reading.when import as_of_note
from kamiplan.records.actuals_store import Cell

# Series names (shown in the legend and tooltips).
S_PATH = "計画線"
S_BASELINE = "基準値"
S_TARGET = "目標値"
S_ACTUAL = "実績"
S_HISTORY = "過去の実績(参考)"
S_PROJECTION = "このペースの見込み"
SERIES = (S_HISTORY, S_PATH, S_BASELINE, S_TARGET, S_ACTUAL, S_PROJECTION)

COLUMNS = (
    "series",
    "year",
    "year_label",
    "value",
    "yearly",
    "expected",
    "progress_pct",
    "note",
    "source",
    "as_of",
)


@dataclass(frozen=True)
class Trajectory:
    """Everything drawn for one indicator in one evaluation year."""

    indicator: dict
    points: pd.DataFrame
    evaluation: Evaluation
    year: int
    first_year: int  # first year of the plan part: the baseline year (or the year before a 5-year window)

    @cached_property
    def fingerprint(self) -> bytes:
        """SHA-256 of everything the chart is drawn from (indicator, points, grade, years): the same digest,
        the same chart. The key of the server's chart caches; computed once per trajectory (a page rerun
        looks up every chart again, and pickling the points each time cost ~0.5 ms per chart). 32 bytes
        kept, not the ~9 KB pickle (1,000 charts: 9 MB)."""
        data = pickle.dumps((self.indicator, self.points, self.evaluation, self.year, self.first_year))
        return hashlib.sha256(data).digest()

    def ticks(self) -> list[int]:
        """The years labelled on the plan part's axis: ``first_year`` to the target year, and any plan point."""
        years = {int(y) for y in self.points["year"] if y >= self.first_year}
        return sorted(years | set(range(self.first_year, int(self.indicator["target_year"]) + 1)))

    def history_years(self) -> list[int]:
        """Years recorded before ``first_year``: drawn to scale in their own part 「これまでの推移」 (may be [])."""
        return sorted({int(y) for y in self.points.loc[self.points["year"] < self.first_year, "year"]})

    @property
    def grade(self) -> str:
        return self.evaluation.grade

    @property
    def grade_text(self) -> str:
        return grade_text(self.grade, self.evaluation.within_band)

    def table(self) -> pd.DataFrame:
        """The chart as a table (for screen readers and exact numbers): one row per year."""
        pts = self.points
        years = sorted(set(pts["year"]))
        rows = []
        for year in years:
            at = pts[pts["year"] == year].set_index("series")

            def val(series: str, column: str = "value", at=at):
                return at.loc[series, column] if series in at.index else None

            actual_series = S_ACTUAL if S_ACTUAL in at.index else S_HISTORY
            rows.append(
                {
                    "年度": year_label(int(year)),
                    "実績": val(actual_series),
                    "計画線上の値": val(S_PATH),
                    "進捗率(%)": val(actual_series, "progress_pct"),
                    "基準値": val(S_BASELINE),
                    "目標値": val(S_TARGET),
                    "見込み": val(S_PROJECTION),
                    "時点": val(actual_series, "as_of") or "",
                    "備考": val(actual_series, "note") or "",
                    "出典": val(actual_series, "source") or "",
                }
            )
        frame = pd.DataFrame(rows)
        if not frame["時点"].astype(bool).any():
            frame = frame.drop(columns=["時点"])  # only values recorded for an unusual day have one
        # Numbers as numbers (a year without a value is <NA>, shown as an empty cell, not "None").
        for col in ("実績", "計画線上の値", "進捗率(%)", "基準値", "目標値", "見込み"):
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Float64")
        if self.indicator["kind"] == CUMULATIVE:
            frame = frame.rename(columns={"実績": "実績(累計)"})
        return frame


def _cells(yearly: Mapping[int, Cell | float]) -> dict[int, Cell]:
    return {int(y): c if isinstance(c, Cell) else Cell(float(c)) for y, c in yearly.items()}


def build(
    indicator: Mapping, yearly: Mapping[int, Cell | float], year: int, start_year: int | None = None
) -> Trajectory:
    """The points of the chart of ``indicator`` evaluated in ``year``.

    Parameters
    ----------
    indicator : mapping
        A row of ``indicators.parquet``.
    yearly : mapping of year to Cell (or value)
        Recorded values of its series (yearly values; running totals are computed here).
    year : int
        Evaluation year (actuals after it are still drawn; the grade is for this year).
    start_year : int, optional
        First year of the plan period (for the projection).

    Returns
    -------
    Trajectory
    """
    ind = dict(indicator)
    spec = Spec.from_row(ind)
    cells = _cells(yearly)
    values = {y: c.value for y, c in cells.items() if c.value is not None}
    evaluation = evaluate(spec, values, year, start_year)
    rows: list[dict] = []

    def add(series: str, y: int, value: float | None, **extra) -> None:
        rows.append({"series": series, "year": int(y), "year_label": year_label(int(y)), "value": value, **extra})

    if spec.kind == CUMULATIVE:
        path_years = range(spec.window_start - 1, spec.target_year + 1)
        first_graded = spec.window_start
        totals = running_totals(spec, values)
    else:
        path_years = range(spec.baseline_year, spec.target_year + 1) if spec.baseline is not None else range(0)
        first_graded = spec.baseline_year
        totals = {}
    for y in path_years:
        add(S_PATH, y, expected(spec, y) if spec.kind != CUMULATIVE or y >= spec.window_start else 0.0)
    if spec.baseline is not None:
        add(S_BASELINE, spec.baseline_year, spec.baseline)
    add(S_TARGET, spec.target_year, spec.target)

    for y in sorted(cells):
        cell = cells[y]
        if cell.value is None:
            continue
        if y < first_graded:
            add(
                S_HISTORY,
                y,
                cell.value,
                note=cell.note,
                source=cell.source,
                yearly=cell.value,
                as_of=as_of_note(cell.as_of, ind),
            )
            continue
        if y > spec.target_year:
            continue
        value = totals.get(y, cell.value) if spec.kind == CUMULATIVE else cell.value
        add(
            S_ACTUAL,
            y,
            value,
            yearly=cell.value,
            expected=expected(spec, y),
            progress_pct=progress_pct(spec, value),
            note=cell.note,
            source=cell.source,
            as_of=as_of_note(cell.as_of, ind),
        )

    proj = projection(spec, values, year, start_year)
    if proj is not None:
        last = max(proj.years)
        add(S_PROJECTION, last, proj.intercept + proj.slope * last)
        add(S_PROJECTION, spec.target_year, proj.value)

    points = pd.DataFrame(rows, columns=list(COLUMNS))
    for col in ("note", "source", "as_of"):
        points[col] = pd.Series([v if isinstance(v, str) else "" for v in points[col]], index=points.index, dtype="str")
    for col in ("value", "yearly", "expected", "progress_pct"):
        points[col] = pd.to_numeric(points[col], errors="coerce").astype("float64")
    first_year = min(spec.baseline_year, spec.window_start - 1) if spec.kind == CUMULATIVE else spec.baseline_year
    return Trajectory(indicator=ind, points=points, evaluation=evaluation, year=year, first_year=first_year)
