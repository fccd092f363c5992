"""The points of one indicator's trajectory chart: baseline, linear path, target, actuals, projection.

Pure data (no Altair, no Streamlit); :mod:`kamiplan.outputs.charts` draws it, the table equivalent shows it.
"""

from __future__ import annotations

import hashlib
import math
import pickle
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

import numpy as np
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


RECORDED_DECIMALS = 3  # a recorded actual is shown as recorded (98.5, 7.56), up to three decimals


def decimals_of(value) -> int:
    """How many decimals a number is written with (2,438 → 0, 9.5 → 1, 1.32 → 2, 「13.0%」 → 1); 0 for none.

    A text is read as written (the plan's cell 「13.0%」 keeps its decimal); a float as its shortest form.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return 0
    if isinstance(value, str):
        found = re.findall(r"\d+\.(\d+)", value.replace(",", ""))
        return max((len(d) for d in found), default=0)
    text = f"{float(value):.10g}"
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def plan_decimals(indicator: Mapping) -> int:
    """The decimals the plan writes an indicator's baseline and target with, as numbers or as printed labels
    (「63.9%」 → 1, 「2,438人」 → 0).

    Computed values (計画線上の値, このペースの見込み) are shown with one decimal more, so that an actual just
    behind its path does not look equal to it; 64.6667 件 is not a figure anyone wrote.
    """
    return max(
        decimals_of(indicator.get(key)) for key in ("baseline_value", "target_value", "baseline_label", "target_label")
    )


def round_half_up(value, places: int) -> float | None:
    """``value`` rounded to ``places`` decimals as people round (四捨五入: 31.25 → 31.3) and as the charts' hover
    texts do (Vega formats with JavaScript's toFixed); Python's round() gives 31.2 (half to even). None when
    there is no value."""
    if value is None or pd.isna(value):
        return None
    value = float(value)
    if not math.isfinite(value):
        return value
    return float(Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


# The fields of a point as a Trajectory keeps it (``records``): :data:`COLUMNS` without ``year_label``, which is
# made from the year when the frame is built.
FIELDS = ("series", "year", "value", "yearly", "expected", "progress_pct", "note", "source", "as_of")
_NUMBERS = ("value", "yearly", "expected", "progress_pct")
_TEXTS = ("note", "source", "as_of")


@dataclass(frozen=True)
class Trajectory:
    """Everything drawn for one indicator in one evaluation year.

    The points are kept as plain tuples (``records``, one per point, in :data:`FIELDS` order; a missing number is
    None, a missing text ""), and :attr:`points` builds the frame when asked. The server keeps every trajectory of
    the plan for all sessions: a pandas frame of ~25 points took ~28 KB of memory, its tuples ~5 KB (a
    1,000-indicator plan: ~28 MB against ~5 MB; issue 14's 10-session budget of 400 MB).
    """

    indicator: dict
    records: tuple[tuple, ...]
    evaluation: Evaluation
    year: int
    first_year: int  # first year of the plan part: the baseline year (or the year before a 5-year window)

    @property
    def points(self) -> pd.DataFrame:
        """The points as a frame of :data:`COLUMNS`, one row per point: ``series`` and the texts as strings
        (``""`` when none), ``year`` as integers, the numbers as float64 (NaN when none).

        A new frame on every call (~1 ms): keep it in a local where it is read more than once."""
        columns = {field: [r[i] for r in self.records] for i, field in enumerate(FIELDS)}
        frame = pd.DataFrame(
            {
                "series": pd.array(columns["series"], dtype="str"),
                "year": pd.array(columns["year"], dtype="int64"),
                "year_label": pd.array([year_label(y) for y in columns["year"]], dtype="str"),
                **{
                    name: pd.array([np.nan if v is None else v for v in columns[name]], dtype="float64")
                    for name in _NUMBERS
                },
                **{name: pd.array(columns[name], dtype="str") for name in _TEXTS},
            }
        )
        return frame[list(COLUMNS)]

    def point_dicts(self) -> list[dict]:
        """The points as dicts of :data:`FIELDS` (numbers None when missing, texts "" when none)."""
        return [dict(zip(FIELDS, r, strict=True)) for r in self.records]

    @cached_property
    def fingerprint(self) -> bytes:
        """SHA-256 of everything the chart is drawn from (indicator, points, grade, years): the same digest,
        the same chart. The key of the server's chart caches; computed once per trajectory (a page rerun
        looks up every chart again). 32 bytes kept, not the pickle. The points as their ``repr`` (texts, integers,
        floats and None: exact and canonical), not pickled: a pickle writes a text met twice as one object or
        two, as they were made, and equal points would get another key."""
        data = pickle.dumps((self.indicator, self.evaluation, self.year, self.first_year)) + repr(self.records).encode()
        return hashlib.sha256(data).digest()

    def ticks(self) -> list[int]:
        """The years labelled on the plan part's axis: ``first_year`` to the target year, and any plan point."""
        years = {r[1] for r in self.records if r[1] >= self.first_year}
        return sorted(years | set(range(self.first_year, int(self.indicator["target_year"]) + 1)))

    def history_years(self) -> list[int]:
        """Years recorded before ``first_year``: drawn to scale in their own part 「これまでの推移」 (may be [])."""
        return sorted({r[1] for r in self.records if r[1] < self.first_year})

    @cached_property
    def decimals(self) -> dict[str, int]:
        """Decimals shown for each kind of value (hover texts and the table equivalent, as the indicator table):
        ``recorded`` (actuals, baseline, target: as recorded, up to :data:`RECORDED_DECIMALS`), ``computed``
        (the path and the projection: one more than the plan writes, :func:`plan_decimals`), ``rate`` (進捗率)."""
        places = plan_decimals(self.indicator)
        return {"recorded": max(places, RECORDED_DECIMALS), "computed": places + 1, "rate": 1}

    @property
    def grade(self) -> str:
        return self.evaluation.grade

    @property
    def grade_text(self) -> str:
        return grade_text(self.grade, self.evaluation.within_band)

    def table(self) -> pd.DataFrame:
        """The chart as a table (for screen readers and exact numbers): one row per year."""
        # Built from plain records, column by column: a pandas lookup per year took ~10 ms a chart.
        by_year: dict[int, dict[str, dict | None]] = {}
        for point in self.point_dicts():
            at = by_year.setdefault(int(point["year"]), {})
            # Two points of one series in a year (both ends of the projection when the evaluation year is the
            # target year) have no one value: the cell stays empty, as the per-year lookup left it.
            at[point["series"]] = None if point["series"] in at else point
        years = sorted(by_year)
        actual = [S_ACTUAL if S_ACTUAL in by_year[year] else S_HISTORY for year in years]

        def cells(series: list[str] | str, column: str = "value") -> list:
            named = series if isinstance(series, list) else [series] * len(years)
            points = [by_year[year].get(name) for year, name in zip(years, named, strict=True)]
            return [None if point is None else point[column] for point in points]

        # Numbers as numbers (a year without a value is <NA>, shown as an empty cell, not "None"), rounded as the
        # chart's hover texts say them: 42.7 on the path, not 42.666667.
        places = self.decimals

        def numbers(values: list, kind: str) -> pd.api.extensions.ExtensionArray:
            return pd.array([round_half_up(v, places[kind]) for v in values], dtype="Float64")

        frame = pd.DataFrame(
            {
                "年度": [year_label(year) for year in years],
                "実績": numbers(cells(actual), "recorded"),
                "計画線上の値": numbers(cells(S_PATH), "computed"),
                "進捗率(%)": numbers(cells(actual, "progress_pct"), "rate"),
                "基準値": numbers(cells(S_BASELINE), "recorded"),
                "目標値": numbers(cells(S_TARGET), "recorded"),
                "見込み": numbers(cells(S_PROJECTION), "computed"),
                "時点": [value or "" for value in cells(actual, "as_of")],
                "備考": [value or "" for value in cells(actual, "note")],
                "出典": [value or "" for value in cells(actual, "source")],
            }
        )
        if not frame["時点"].astype(bool).any():
            frame = frame.drop(columns=["時点"])  # only values recorded for an unusual day have one
        if self.indicator["kind"] == CUMULATIVE:
            frame = frame.rename(columns={"実績": "実績(累計)"})
        return frame


def _number(value) -> float | None:
    """A point's number as a float, None when missing (as pandas.to_numeric(errors="coerce") read it before)."""
    try:
        number = float(value)
    except (TypeError, ValueError):  # None, pd.NA, a text that is not a number
        return None
    return None if math.isnan(number) else number


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
    rows: list[tuple] = []

    def add(series: str, y: int, value: float | None, **extra) -> None:
        point = {"value": value, **extra}
        numbers = (_number(point.get(name)) for name in _NUMBERS)
        texts = (point.get(name) if isinstance(point.get(name), str) else "" for name in _TEXTS)
        rows.append((series, int(y), *numbers, *texts))

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

    first_year = min(spec.baseline_year, spec.window_start - 1) if spec.kind == CUMULATIVE else spec.baseline_year
    return Trajectory(indicator=ind, records=tuple(rows), evaluation=evaluation, year=year, first_year=first_year)
