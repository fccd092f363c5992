"""The edit form's table: what to show for one series, and the changes an edited table means.

The year and value columns are text, read on save by the same readers as the import files
(:func:`kamiplan.records.actuals_file.parse_year`, :func:`kamiplan.records.actuals_file.read_amount`): Streamlit's
number column drops what it cannot read without a word — ``２３８０`` typed with the IME on vanished
and 保存 said 「変更はありません」. Now ``２３８０``, ``２，３９０``, ``▲12``, ``98.5%`` and ``2,390人`` are
read; anything else is named (year, column, what was typed) and nothing is saved.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field

import pandas as pd

from kamiplan.errors import Problem
from kamiplan.labels import indicator_ref
from kamiplan.plan.values import exact_number, format_number
from kamiplan.reading.amounts import read_amount
from kamiplan.reading.when import as_of_note, era_year_label, year_ref
from kamiplan.records.actuals_file import MAX_TEXT, parse_year
from kamiplan.records.actuals_store import EMPTY, Cell, Change

COL_YEAR = "年度"
COL_VALUE = "実績値"
COL_AS_OF = "時点"
COL_NOTE = "備考(要因分析・コメント)"
COL_SOURCE = "出典"
EDIT_COLUMNS = (COL_YEAR, COL_VALUE, COL_AS_OF, COL_NOTE, COL_SOURCE)


def form_years(indicator: dict, recorded: list[int]) -> list[int]:
    """Years offered in the form: after the baseline up to the target year, plus any recorded year."""
    first = int(indicator["baseline_year"]) + 1
    if indicator["kind"] == "cumulative" and not pd.isna(indicator.get("target_span_years")):
        first = int(indicator["target_year"]) - int(indicator["target_span_years"]) + 1
    return sorted(set(range(first, int(indicator["target_year"]) + 1)) | set(recorded))


def editor_frame(indicator: dict, cells: dict[int, Cell]) -> pd.DataFrame:
    """The table the form starts from: one row per year, every cell text (``R7(2025)``, ``2,390``)."""
    years = form_years(indicator, list(cells))
    rows = []
    for year in years:
        cell = cells.get(year, EMPTY)
        rows.append(
            {
                COL_YEAR: era_year_label(year),  # H27(2015), R7(2025): one way for every year
                # Every digit: a rounded 68.42105263 would read back as a change nobody made.
                COL_VALUE: exact_number(cell.value) if cell.value is not None else "",
                COL_AS_OF: as_of_note(cell.as_of, indicator),
                COL_NOTE: cell.note,
                COL_SOURCE: cell.source,
            }
        )
    frame = pd.DataFrame(rows, columns=list(EDIT_COLUMNS))
    return frame.astype({c: "str" for c in EDIT_COLUMNS})


def _text(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class EditorResult:
    """What an edited table means: the changes, or every problem (then nothing may be saved)."""

    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unusual: list[Problem] = field(default_factory=list)  # questioned values not yet confirmed (nothing saved)
    unusual_keys: list[tuple[int, str]] = field(default_factory=list)  # (year, typed text) of each question


def changes_from_editor(
    indicator: dict,
    snapshot: dict[int, Cell],
    edited: pd.DataFrame,
    accept_unusual: bool | Collection[tuple[int, str]] = False,
) -> EditorResult:
    """Compare the edited table with the snapshot the form was built from.

    Parameters
    ----------
    indicator : dict
        The indicator row (series_id, unit, bounds, baseline, target, year basis).
    snapshot : dict of year to Cell
        What the user saw; sent as the expected old values (optimistic check).
    edited : DataFrame
        The table returned by the form (rows may have been added or deleted; cells are text).
    accept_unusual : bool or collection of (year, typed text)
        The values the user confirmed after they were questioned for their unit or scale (98000人 for 万人
        is then converted). Only those (year, text) pairs are confirmed: a value typed later is questioned
        again. ``True`` confirms every questioned value (commands and tests).

    Returns
    -------
    EditorResult
        Problems name the year (or the row, 1 = first row, when the year itself is unreadable), the column
        and what was typed; no change is returned when there is any problem or unconfirmed questioned value.
        A value left as it was keeps the date it was recorded for; a new value has none.
    """
    result = EditorResult()
    seen: dict[int, int] = {}
    wanted: dict[int, Cell] = {}
    basis = indicator["year_basis"]
    ref = indicator_ref(indicator)

    def confirmed(year: int, text: str) -> bool:
        if isinstance(accept_unusual, bool):
            return accept_unusual
        return (year, text) in accept_unusual

    for position, row in enumerate(edited.to_dict("records"), start=1):
        year_text, value_text = _text(row.get(COL_YEAR)), _text(row.get(COL_VALUE))
        note, source = _text(row.get(COL_NOTE)), _text(row.get(COL_SOURCE))
        if not year_text and not value_text and not note and not source:
            continue  # an empty added row
        year, reason = parse_year(year_text, basis)
        if year is None:
            result.problems.append(Problem(reason, line=position, column=COL_YEAR, value=year_text))
            continue
        subject = f"{ref}・{year_ref(year, basis)}"
        if year in seen:
            result.problems.append(
                Problem(
                    f"{seen[year]}行目と同じ年度です", line=position, column=COL_YEAR, value=year_text, subject=subject
                )
            )
            continue
        seen[year] = position
        value = None
        if value_text:
            amount = read_amount(value_text, indicator)
            if amount.refused or amount.na is not None:
                why = amount.refused or "値を消すときは空欄にします(「－」などは使いません)"
                result.problems.append(Problem(why, column=COL_VALUE, value=value_text, subject=subject))
                continue
            recorded = snapshot.get(year, EMPTY).value
            already = recorded is not None and Cell(amount.value).same_as(Cell(recorded))
            if amount.unusual and not already:  # a value already recorded was confirmed when it was saved
                stored = f"{format_number(amount.value)}{indicator['unit']}"
                question = Problem(
                    f"{amount.unusual.rstrip('。')}。確かめると「{stored}」として保存します",
                    column=COL_VALUE,
                    value=value_text,
                    subject=subject,
                )
                result.unusual.append(question)
                result.unusual_keys.append((year, value_text))
                if not confirmed(year, value_text):
                    continue
            value = amount.value
        elif snapshot.get(year, EMPTY).value is not None:
            note, source = "", ""  # the value was cleared: the year goes, with its note and source
        elif note or source:
            result.problems.append(
                Problem("備考・出典だけの行は保存できません。実績値を入れてください", column=COL_VALUE, subject=subject)
            )
            continue
        for column, text in ((COL_NOTE, note), (COL_SOURCE, source)):
            if len(text) > MAX_TEXT:
                result.problems.append(Problem(f"{MAX_TEXT}文字を超えています", column=column, subject=subject))
        old = snapshot.get(year, EMPTY)
        kept_as_of = (
            old.as_of if value is not None and old.value is not None and Cell(value).same_as(Cell(old.value)) else ""
        )
        wanted[year] = Cell(
            value=value,
            note=note if value is not None else "",
            source=source if value is not None else "",
            as_of=kept_as_of,
        )
    pending = [(q, key) for q, key in zip(result.unusual, result.unusual_keys, strict=True) if not confirmed(*key)]
    result.unusual, result.unusual_keys = [q for q, _ in pending], [k for _, k in pending]  # confirmed ones go
    if result.problems or pending:
        return EditorResult(problems=result.problems, unusual=result.unusual, unusual_keys=result.unusual_keys)
    series_id = indicator["series_id"]
    for year in sorted(set(wanted) | set(snapshot)):
        new = wanted.get(year, EMPTY)  # a deleted row clears the year
        old = snapshot.get(year, EMPTY)
        if not new.same_as(old):
            result.changes.append(Change(series_id=series_id, year=year, new=new, expected=old))
    return result
