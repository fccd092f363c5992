"""The edit form's table: what to show for one series, and the changes an edited table means."""

from __future__ import annotations

import math

import pandas as pd

from kamiplan.actuals_file import MAX_TEXT, parse_year, value_problem
from kamiplan.actuals_store import EMPTY, Cell, Change
from kamiplan.errors import Problem

COL_YEAR = "年度"
COL_VALUE = "実績値"
COL_NOTE = "備考(要因分析・コメント)"
COL_SOURCE = "出典"
EDIT_COLUMNS = (COL_YEAR, COL_VALUE, COL_NOTE, COL_SOURCE)


def form_years(indicator: dict, recorded: list[int]) -> list[int]:
    """Years offered in the form: after the baseline up to the target year, plus any recorded year."""
    first = int(indicator["baseline_year"]) + 1
    if indicator["kind"] == "cumulative" and not pd.isna(indicator.get("target_span_years")):
        first = int(indicator["target_year"]) - int(indicator["target_span_years"]) + 1
    return sorted(set(range(first, int(indicator["target_year"]) + 1)) | set(recorded))


def editor_frame(indicator: dict, cells: dict[int, Cell]) -> pd.DataFrame:
    """The table the form starts from (one row per year)."""
    years = form_years(indicator, list(cells))
    rows = [
        {
            COL_YEAR: year,
            COL_VALUE: cells.get(year, EMPTY).value,
            COL_NOTE: cells.get(year, EMPTY).note,
            COL_SOURCE: cells.get(year, EMPTY).source,
        }
        for year in years
    ]
    frame = pd.DataFrame(rows, columns=list(EDIT_COLUMNS))
    frame[COL_YEAR] = frame[COL_YEAR].astype("Int64")
    frame[COL_VALUE] = pd.to_numeric(frame[COL_VALUE], errors="coerce").astype("Float64")
    return frame


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def changes_from_editor(
    indicator: dict, snapshot: dict[int, Cell], edited: pd.DataFrame
) -> tuple[list[Change], list[Problem]]:
    """Compare the edited table with the snapshot the form was built from.

    Parameters
    ----------
    indicator : dict
        The indicator row (series_id, unit, value bounds).
    snapshot : dict of year to Cell
        What the user saw; sent as the expected old values (optimistic check).
    edited : DataFrame
        The table returned by the form (rows may have been added or deleted).

    Returns
    -------
    (changes, problems)
        Problems name the row (1 = first row of the table), column and value; no change is
        returned when there is any problem.
    """
    problems: list[Problem] = []
    seen: dict[int, int] = {}
    wanted: dict[int, Cell] = {}
    for position, row in enumerate(edited.to_dict("records"), start=1):
        year_raw = row.get(COL_YEAR)
        value_raw = row.get(COL_VALUE)
        note, source = _text(row.get(COL_NOTE)), _text(row.get(COL_SOURCE))
        if _text(year_raw) == "" and _text(value_raw) == "" and not note and not source:
            continue  # an empty added row
        year, reason = parse_year(_text(year_raw).removesuffix(".0"))
        if year is None:
            problems.append(Problem(reason, line=position, column=COL_YEAR, value=_text(year_raw)))
            continue
        if year in seen:
            problems.append(Problem(f"{seen[year]}行目と同じ年度です", line=position, column=COL_YEAR, value=str(year)))
            continue
        seen[year] = position
        value = None if _text(value_raw) == "" else float(value_raw)
        if value is not None:
            reason = value_problem(value, indicator)
            if reason:
                problems.append(Problem(reason, line=position, column=COL_VALUE, value=f"{value:g}"))
                continue
        elif note or source:
            problems.append(
                Problem("備考・出典だけの行は保存できません。実績値を入れてください", line=position, column=COL_VALUE)
            )
            continue
        for column, text in ((COL_NOTE, note), (COL_SOURCE, source)):
            if len(text) > MAX_TEXT:
                problems.append(Problem(f"{MAX_TEXT}文字を超えています", line=position, column=column))
        wanted[year] = Cell(
            value=value, note=note if value is not None else "", source=source if value is not None else ""
        )
    if problems:
        return [], problems
    changes = []
    series_id = indicator["series_id"]
    for year in sorted(set(wanted) | set(snapshot)):
        new = wanted.get(year, EMPTY)  # a deleted row clears the year
        old = snapshot.get(year, EMPTY)
        if not new.same_as(old):
            changes.append(Change(series_id=series_id, year=year, new=new, expected=old))
    return changes, []
