"""事業の評価 on the edit page: the table a person edits for one 施策 and year, and the changes it means.

One row per 実施計画 row of the 施策 (a 再掲 row is left out: it is recorded on its original, named in a
caption by :func:`repeat_notes`). The amounts are text cells read on save, as the actuals' values are
(:mod:`kamiplan.records.editing`): Streamlit's number column drops ``２，３００`` typed with the IME on
without a word, so amounts are read here — full-width digits, thousands commas, 「千円」 after the
number — and anything else is refused with the project's name, ID, year and column, and nothing is saved.

担当課 offers what was recorded before: a project without a record in the year shows the department of its
latest earlier record, and 「前年度の方向性」 its latest earlier 今後の方向性. kamiplan never invents a
department: with no earlier record the cell is empty. A row the person did not touch is not saved, so an
offered department alone never becomes a record.

Also here: the change log of project records as people read it (:func:`project_log_frame`) and what one
change did (:func:`project_change_summary`, for 元に戻す・やり直す).
"""

from __future__ import annotations

import math
import re

import pandas as pd

from kamiplan import labels
from kamiplan.errors import InputError, Problem
from kamiplan.labels import timestamp_text
from kamiplan.plan.values import exact_number
from kamiplan.reading.when import year_ref
from kamiplan.reading.yen import read_thousand_yen as read_yen
from kamiplan.records.actuals_io import how_text
from kamiplan.records.project_file import MAX_TEXT
from kamiplan.records.projects import (
    DIRECTIONS,
    EMPTY_PROJECT,
    GRADES,
    STATUSES,
    ProjectChange,
    ProjectRecord,
    grade_text,
    read_direction,
    read_grade,
    read_status,
)
from kamiplan.records.projects_io import carried_over, show_value
from kamiplan.records.store import same_number

_COLUMNS = labels.PROJECT_COLUMNS
COL_ID = _COLUMNS["action_id"]
COL_NAME = _COLUMNS["name"]
COL_SUMMARY = _COLUMNS["summary"]
COL_TAG = _COLUMNS["tag"]
COL_STATUS = _COLUMNS["status"]
COL_GRADE = _COLUMNS["grade"]
COL_PREVIOUS_DIRECTION = labels.PROJECT_PREVIOUS_DIRECTION
COL_DIRECTION = _COLUMNS["direction"]
COL_BUDGET = _COLUMNS["budget"]
COL_SPENT = _COLUMNS["spent"]
COL_WORK = _COLUMNS["work"]
COL_OUTCOME = _COLUMNS["outcome"]
COL_DEPARTMENT = _COLUMNS["department"]

# The record's fields as the table's columns, in the record's order.
FIELD_COLUMNS = {
    "status": COL_STATUS,
    "grade": COL_GRADE,
    "direction": COL_DIRECTION,
    "budget": COL_BUDGET,
    "spent": COL_SPENT,
    "work": COL_WORK,
    "outcome": COL_OUTCOME,
    "department": COL_DEPARTMENT,
}
EDIT_COLUMNS = tuple(FIELD_COLUMNS.values())
READ_ONLY_COLUMNS = (COL_ID, COL_NAME, COL_SUMMARY, COL_TAG, COL_PREVIOUS_DIRECTION)
# What a person reads first comes first; last year's direction beside this year's.
TABLE_COLUMNS = (
    COL_ID,
    COL_NAME,
    COL_SUMMARY,
    COL_TAG,
    COL_STATUS,
    COL_GRADE,
    COL_PREVIOUS_DIRECTION,
    COL_DIRECTION,
    COL_BUDGET,
    COL_SPENT,
    COL_WORK,
    COL_OUTCOME,
    COL_DEPARTMENT,
)
CHOICE_COLUMNS = (COL_STATUS, COL_GRADE, COL_DIRECTION)  # select boxes: an empty cell is None, not ""
AMOUNT_FIELDS = ("budget", "spent")
SUMMARY_CHARS = 30  # 概要 shortened to its beginning (the longest is 145 characters)
# The words each choice allows, as the file import lists them (kamiplan.records.project_file).
ALLOWED = {
    "status": "、".join(STATUSES),
    "grade": labels.PROJECT_GRADE_CHOICES,
    "direction": "、".join(DIRECTIONS),
}

Records = dict[tuple[str, int], ProjectRecord]


def _circled(number: int) -> str:
    return chr(0x2460 + int(number) - 1) if 1 <= int(number) <= 20 else f"({int(number)})"


def measure_label(measure: int, name: str) -> str:
    """A 施策 as the plan prints it: 「① 妊娠期からの切れ目ない支援」."""
    return f"{_circled(measure)} {name}"


def _subject(name: str, action_id: str, year: int) -> str:
    """「子ども家庭センター設置事業(1-1-1-01)・R7(2025)年度」, as the store's messages name a record."""
    return f"{labels.project_ref({'name': name, 'action_id': action_id})}・{year_ref(int(year), 'fiscal_year')}"


def _short(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _earlier(records: Records, action_id: str, year: int, field: str) -> tuple[str, int] | None:
    """The latest earlier year's non-empty ``field`` of a project, with its year (None when never recorded)."""
    years = sorted((y for (a, y) in records if a == action_id and y < year), reverse=True)
    for y in years:
        value = getattr(records[(action_id, y)], field)
        if value not in ("", None):
            return value, y
    return None


def _short_year(year: int) -> str:
    return f"R{year - 2018}年度" if year > 2018 else f"{year}年度"


def project_editor_frame(actions_of_measure: pd.DataFrame, records: Records, year: int) -> pd.DataFrame:
    """The table a person edits: one row per project of the 施策 (再掲 rows left out), every cell text.

    Parameters
    ----------
    actions_of_measure : DataFrame
        The 実施計画 rows of one 施策 (``queries.actions`` columns), in document order.
    records : dict of (action_id, year) to ProjectRecord
        The recorded projects (any years: earlier years give 担当課 and 前年度の方向性).
    year : int
        The fiscal year being recorded.

    Returns
    -------
    DataFrame
        Columns :data:`TABLE_COLUMNS`. Choices (実施状況・評価・今後の方向性) are the stored words or None;
        評価 is the letter; amounts are text with thousands commas (every digit); other cells text, "" empty.
        A project without a record in ``year`` gets the department of its latest earlier record.
    """
    rows = []
    for a in actions_of_measure.to_dict("records"):
        if bool(a.get("is_repeat")):
            continue
        action_id = str(a["action_id"])
        recorded = records.get((action_id, year))
        record = recorded or EMPTY_PROJECT
        # the template's rule (projects_io.carried_over): the latest earlier year that has a 担当課
        department = record.department if recorded is not None else carried_over(records, action_id, year).department
        previous = _earlier(records, action_id, year, "direction")
        rows.append(
            {
                COL_ID: action_id,
                COL_NAME: str(a["name"]),
                COL_SUMMARY: _short(a.get("summary", "")),
                COL_TAG: str(a.get("tag") or ""),
                COL_STATUS: record.status or None,
                COL_GRADE: record.grade or None,
                COL_PREVIOUS_DIRECTION: f"{previous[0]}({_short_year(previous[1])})" if previous else "",
                COL_DIRECTION: record.direction or None,
                COL_BUDGET: exact_number(record.budget) if record.budget is not None else "",
                COL_SPENT: exact_number(record.spent) if record.spent is not None else "",
                COL_WORK: record.work,
                COL_OUTCOME: record.outcome,
                COL_DEPARTMENT: department,
            }
        )
    frame = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    return frame.astype({c: "str" for c in TABLE_COLUMNS})


def repeat_notes(actions_of_measure: pd.DataFrame, actions: pd.DataFrame) -> list[str]:
    """The 再掲 rows of a 施策, each naming the original it is recorded on.

    「放課後子ども教室推進事業(1-2-4-02) → 元の事業: 大綱1(2)② 放課後子ども教室推進事業(1-2-2-22)」
    """
    by_id = {str(r["action_id"]): r for r in actions.to_dict("records")}
    out = []
    for a in actions_of_measure.to_dict("records"):
        if not bool(a.get("is_repeat")):
            continue
        original = by_id.get(str(a.get("repeat_of") or ""))
        where = (
            f"大綱{int(original['pillar'])}({int(original['policy'])}){_circled(original['measure'])} "
            f"{labels.project_ref(original)}"
            if original
            else "計画書の元の事業"
        )
        out.append(f"{labels.project_ref(a)} → 元の事業: {where}")
    return out


def _text(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_thousand_yen(cell) -> tuple[float | None, str]:
    """An amount in 千円 as typed: ``(value, "")``, ``(None, "")`` for blank, or ``(None, why)`` refused.

    Read as the files read it (:func:`kamiplan.reading.yen.read_thousand_yen`): full-width digits and commas
    (``２，３００`` → 2300), 「2,300千円」, decimals; a minus, a word or another kind of unit is refused. An
    amount in another money unit (「230万円」) is refused too, naming the 千円 figure to write: the table has
    no preview that would say the conversion, and the cell would keep showing what was typed.
    """
    if isinstance(cell, float) and math.isnan(cell):
        return None, ""
    yen = read_yen(cell.strip() if isinstance(cell, str) else cell)
    if yen.refused:
        return None, yen.refused
    if yen.converted:
        written, _, thousands = yen.converted.partition(" → ")
        return None, labels.PROJECT_AMOUNT_OTHER_UNIT.format(written=written, thousands=thousands.removesuffix("千円"))
    return yen.value, ""


def _read_row(row: dict, subject: str) -> tuple[ProjectRecord | None, list[Problem]]:
    """One edited row as a record, or every problem of the row."""
    problems: list[Problem] = []
    values: dict = {}
    for field, reader in (("status", read_status), ("grade", read_grade), ("direction", read_direction)):
        column = FIELD_COLUMNS[field]
        typed = _text(row.get(column))
        value = reader(typed)
        if value is None:
            why = labels.PROJECT_WORDS_REFUSED.format(value=typed, what=column, allowed=ALLOWED[field])
            problems.append(Problem(why, column=column, subject=subject))
        values[field] = value or ""
    for field in AMOUNT_FIELDS:
        column = FIELD_COLUMNS[field]
        raw = row.get(column)
        value, why = read_thousand_yen(raw)
        if why:
            problems.append(Problem(why, column=column, value=_text(raw), subject=subject))
        values[field] = value
    for field in ("work", "outcome", "department"):
        column = FIELD_COLUMNS[field]
        text = _text(row.get(column))
        if len(text) > MAX_TEXT:
            why = labels.PROJECT_TEXT_TOO_LONG.format(limit=MAX_TEXT, length=len(text))
            problems.append(Problem(why, column=column, subject=subject))
        values[field] = text
    if problems:
        return None, problems
    return ProjectRecord(**values), []


def changes_from_project_editor(
    before: pd.DataFrame, after: pd.DataFrame, records: Records, year: int
) -> list[ProjectChange]:
    """The changes an edited table means, each expecting the record the page was built from.

    Parameters
    ----------
    before : DataFrame
        The table as the page showed it (:func:`project_editor_frame` of ``records`` and ``year``).
    after : DataFrame
        The table the editor returned (the same rows; the read-only columns unchanged).
    records : dict of (action_id, year) to ProjectRecord
        The records the page was built from: sent as what the person saw (optimistic check).
    year : int
        The fiscal year being recorded.

    Returns
    -------
    list of ProjectChange
        One per project whose row was edited and whose record differs from the recorded one. A row left as
        the page showed it is not a change (an offered 担当課 alone is never saved).

    Raises
    ------
    InputError
        Every problem of every edited row (the project by name and ID, the year, the column and what was
        typed); then nothing may be saved.
    """
    shown = {str(r[COL_ID]): r for r in before.to_dict("records")}
    problems: list[Problem] = []
    changes: list[ProjectChange] = []
    seen: set[str] = set()
    for position, row in enumerate(after.to_dict("records"), start=1):
        action_id = _text(row.get(COL_ID))
        old_row = shown.get(action_id)
        if old_row is None:
            problems.append(Problem(labels.PROJECT_UNKNOWN_ROW, line=position, column=COL_ID, value=action_id))
            continue
        subject = _subject(old_row[COL_NAME], action_id, year)
        if action_id in seen:
            problems.append(Problem(labels.PROJECT_SAME_ROW_TWICE, line=position, column=COL_ID, subject=subject))
            continue
        seen.add(action_id)
        if all(_text(row.get(c)) == _text(old_row.get(c)) for c in EDIT_COLUMNS):
            continue  # as shown: nothing to save (even where 担当課 was offered)
        new, row_problems = _read_row(row, subject)
        if row_problems:
            problems.extend(row_problems)
            continue
        expected = records.get((action_id, year), EMPTY_PROJECT)
        if not new.same_as(expected):
            changes.append(ProjectChange(key=action_id, year=int(year), new=new, expected=expected))
    if problems:
        raise InputError(problems)
    return changes


# -- the change log of project records, for people ---------------------------------------------------
def _blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) or value == ""


def _same(field: str, old, new) -> bool:
    if field in AMOUNT_FIELDS:
        return same_number(old, new)
    return _text(old) == _text(new)


def project_log_frame(log: pd.DataFrame, actions: pd.DataFrame, limit: int = 200) -> pd.DataFrame:
    """The change log of project records for people: newest first, one row per changed field.

    Columns :data:`kamiplan.labels.PROJECT_LOG_COLUMNS`: 変更番号, 日時 (「2026年11月30日 04:16」), 記録者,
    方法 (画面で入力・ファイル・元に戻す・やり直し), 事業 (name and ID), 年度 (「R7(2025)年度」), 項目 (the
    column's heading), 変更前, 変更後 (「(空欄)」 for nothing). ``limit`` counts records changed.
    """
    names = dict(zip(actions["action_id"].astype(str), actions["name"].astype(str), strict=True))
    rows = []
    if log.empty:
        return pd.DataFrame(rows, columns=list(labels.PROJECT_LOG_COLUMNS))
    ordered = log.sort_values(["revision", "action_id", "year"], ascending=[False, True, True]).head(limit)
    for r in ordered.to_dict("records"):
        action_id = str(r["action_id"])
        for field, column in FIELD_COLUMNS.items():
            old, new = r[f"old_{field}"], r[f"new_{field}"]
            if _same(field, old, new):
                continue
            rows.append(
                {
                    "変更番号": int(r["revision"]),
                    "日時": timestamp_text(r["changed_at"]),
                    "記録者": r["changed_by"],
                    "方法": how_text(r["how"]),
                    "事業": labels.project_ref({"name": names.get(action_id, action_id), "action_id": action_id}),
                    "年度": year_ref(int(r["year"]), "fiscal_year"),
                    "項目": column,
                    "変更前": show_value(field, None if _blank(old) else old),
                    "変更後": show_value(field, None if _blank(new) else new),
                }
            )
    return pd.DataFrame(rows, columns=list(labels.PROJECT_LOG_COLUMNS))


def project_change_summary(log: pd.DataFrame, revision: int, actions: pd.DataFrame, reverse: bool = False) -> list[str]:
    """What one change did — or, with ``reverse``, what undoing it will do — line by line, for the page.

    The first line says who, when and how (「変更番号 3・2026年11月30日 10:15・企画課 山田・画面で入力」); each
    further line one field (「子ども家庭センター設置事業(1-1-1-01)・R7(2025)年度・実施状況: (空欄) → 実施」),
    long texts shortened.
    """
    rows = project_log_frame(log[log["revision"] == revision], actions)
    if rows.empty:
        return []
    head = rows.iloc[0]
    lines = [f"変更番号 {revision}・{head['日時']}・{head['記録者']}・{head['方法']}"]
    for r in rows.to_dict("records"):
        before, after = (r["変更後"], r["変更前"]) if reverse else (r["変更前"], r["変更後"])
        lines.append(f"{r['事業']}・{r['年度']}・{r['項目']}: {_short(before, 40)} → {_short(after, 40)}")
    return lines


def grade_choice(letter: str) -> str:
    """The 評価 cell's text for a letter: 「A 計画どおり以上」 (the letter itself when unknown)."""
    return grade_text(letter) or str(letter)


GRADE_LETTERS = tuple(GRADES)
