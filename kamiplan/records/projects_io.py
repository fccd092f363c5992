"""Files in and out of the projects' store: the import preview and its changes, the export, the Excel template.

The cycle of a year (計画書 第5章 計画の推進): the planning office sends each 担当課 the template
(:func:`project_template`: their projects, last year's 担当課 and 今後の方向性 filled in, dropdowns for the
words), the 担当課 fill it in, and the office imports every returned file at once
(:func:`plan_project_import` → the preview → :func:`commit_project_import`). :func:`project_export_frame`
writes what is recorded in the import format, so that importing an export changes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from kamiplan import labels
from kamiplan.errors import InputError, Problem
from kamiplan.plan.periods import FISCAL_YEAR, year_label
from kamiplan.plan.values import format_number
from kamiplan.reading.layout import shorten
from kamiplan.reading.textkey import name_key
from kamiplan.reading.when import year_ref
from kamiplan.records.actuals_file import UnusualValuesError
from kamiplan.records.actuals_io import STATUS_CHANGED, STATUS_NEW, STATUS_UNCHANGED
from kamiplan.records.project_file import (
    AMOUNTS,
    FIELDS,
    SKIP_CARRIED_OVER,
    Notice,
    ParsedProjects,
    ProjectRow,
    Skipped,
    parse_project_files,
)
from kamiplan.records.projects import (
    DIRECTIONS,
    EMPTY_PROJECT,
    GRADES,
    STATUSES,
    ProjectChange,
    ProjectRecord,
    ProjectStore,
)
from kamiplan.records.store import Describe, SaveResult, same_number

__all__ = [
    "EXPORT_COLUMNS",
    "TEMPLATE_COLUMNS",
    "FieldChange",
    "PreviewRow",
    "ProjectImportPlan",
    "UnusualAmountsError",
    "carried_over",
    "commit_project_import",
    "plan_project_import",
    "project_describer",
    "project_export_frame",
    "project_template",
    "template_rows",
]

UNUSUAL_RATIO = 1.5  # 決算額 above 1.5 × 予算額: a 円/千円 slip far more often than a real overrun
_COLUMN = labels.PROJECT_COLUMNS
EXPORT_COLUMNS = tuple(_COLUMN[k] for k in ("action_id", "name", "year", *FIELDS))
TEMPLATE_COLUMNS = tuple(_COLUMN[k] for k in ("action_id", "name", "summary", "tag", "year", *FIELDS))
CARRIED = ("direction", "department")  # what the template carries over from last year

Records = Mapping[tuple[str, int], ProjectRecord]


class UnusualAmountsError(UnusualValuesError):
    """The files are readable, but amounts were questioned and not confirmed (``accept_unusual``)."""


def project_describer(actions: pd.DataFrame) -> Describe:
    """``(action_id, year) → 「子ども家庭センター設置事業(1-1-1-01)・R7(2025)年度」`` for the store's messages."""
    rows = {r["action_id"]: r for r in actions.to_dict("records")}

    def describe(action_id: str, year: int) -> str:
        row = rows.get(action_id)
        ref = labels.project_ref(row) if row is not None else action_id
        return f"{ref}・{year_ref(int(year), FISCAL_YEAR)}"

    return describe


def _history(records: Records, action_id: str, before: int) -> list[ProjectRecord]:
    """The project's records of the years before ``before``, the latest first."""
    years = sorted((y for (a, y) in records if a == action_id and y < before), reverse=True)
    return [records[(action_id, y)] for y in years]


def carried_over(records: Records, action_id: str, year: int) -> ProjectRecord:
    """What the template carries into ``year``: 担当課 and 今後の方向性 of the latest earlier year that has them.

    Parameters
    ----------
    records : mapping (action_id, year) → ProjectRecord
        What is recorded (``ProjectStore.records()``).
    action_id : str
        The project row (a 再掲 row has no records: pass its original).
    year : int
        The year the template is for.

    Returns
    -------
    ProjectRecord
        Only ``direction`` and ``department`` set (each from the latest year before ``year`` that has it).
    """
    carried: dict[str, str] = {}
    for record in _history(records, action_id, year):
        for name in CARRIED:
            if name not in carried and getattr(record, name):
                carried[name] = getattr(record, name)
    return ProjectRecord(**carried)


def latest_department(records: Records, action_id: str, year: int) -> str:
    """The 担当課 recorded for the project in ``year`` or, failing that, the latest year before ("" if none)."""
    this = records.get((action_id, year))
    if this is not None and this.department:
        return this.department
    return carried_over(records, action_id, year).department


# -- the preview ------------------------------------------------------------------------------------------
def show_value(name: str, value) -> str:
    """A field's value for the preview: 「1,200千円」, 「B 概ね計画どおり」, 「(未入力)」."""
    if value is None or value == "":
        return f"({labels.PROJECT_NOT_ENTERED})"
    if name in AMOUNTS:
        return f"{format_number(float(value))}千円"
    if name == "grade":
        return f"{value} {GRADES.get(value, '')}".strip()
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    """One field of one record, as stored and as the file would make it."""

    field: str
    label: str  # 実施状況, 予算額 …
    old: str  # shown: 「(未入力)」, 「1,200千円」, 「B 概ね計画どおり」
    new: str


@dataclass(frozen=True)
class PreviewRow:
    """One row of a file: what it would do to the record of its project and year."""

    file: str
    line: int
    state: str  # 新規 / 変更 / 変更なし
    action_id: str  # the record's project (a 再掲 row's original)
    written_id: str  # the row the file named
    name: str
    year: int
    changes: tuple[FieldChange, ...]  # only the fields that change
    remarks: tuple[str, ...] = ()  # 再掲 mapped, amounts converted, unusual amounts confirmed

    @property
    def year_label(self) -> str:
        return year_ref(self.year, FISCAL_YEAR)

    def summary(self, limit: int = 40) -> str:
        """「実施状況: (未入力) → 実施、予算額: 1,000千円 → 1,200千円」 ("" when nothing changes)."""
        return "、".join(f"{c.label}: {shorten(c.old, limit)} → {shorten(c.new, limit)}" for c in self.changes)


@dataclass(frozen=True)
class ProjectImportPlan:
    """What importing the files would change, computed before anything is written.

    ``rows`` holds one :class:`PreviewRow` per file row that names a project and a year (new, changed
    or unchanged, with old → new per field that changes); ``changes`` the records to save (expected =
    what the preview saw); ``skipped`` every line not used, with its file, line and reason; ``notices``
    (再掲 rows mapped to their original, merged cells, columns not read), ``conversions`` (amounts
    converted to 千円) and ``unusual`` (決算額 above 1.5 × 予算額, confirmed) are shown beside them.
    """

    parsed: ParsedProjects
    rows: tuple[PreviewRow, ...]
    changes: tuple[ProjectChange, ...]
    revision: int
    skipped: tuple[Skipped, ...]
    unusual: tuple[Notice, ...]
    describe: Describe
    filenames: tuple[str, ...]

    @property
    def notices(self) -> list[Notice]:
        return self.parsed.notices

    @property
    def conversions(self):
        return self.parsed.conversions

    def _state(self, state: str) -> list[PreviewRow]:
        return [r for r in self.rows if r.state == state]

    @property
    def new(self) -> list[PreviewRow]:
        return self._state(STATUS_NEW)

    @property
    def changed(self) -> list[PreviewRow]:
        return self._state(STATUS_CHANGED)

    @property
    def unchanged(self) -> list[PreviewRow]:
        return self._state(STATUS_UNCHANGED)

    @property
    def counts(self) -> dict[str, int]:
        """``{"新規": 2, "変更": 1, "変更なし": 0}``."""
        return {s: len(self._state(s)) for s in (STATUS_NEW, STATUS_CHANGED, STATUS_UNCHANGED)}

    def preview_frame(self) -> pd.DataFrame:
        """One row per file row: ファイル, 行, 状態, 事業名, 年度, 変更内容, 確認, 事業ID."""
        rows = [
            {
                "ファイル": r.file,
                "行": r.line,
                "状態": r.state,
                "事業名": r.name,
                "年度": r.year_label,
                "変更内容": r.summary(),
                "確認": "。".join(r.remarks),
                "事業ID": r.action_id,
            }
            for r in self.rows
        ]
        return pd.DataFrame(rows, columns=list(labels.PROJECT_PREVIEW_COLUMNS))

    def changes_frame(self) -> pd.DataFrame:
        """One row per field that changes (full text): ファイル, 行, 事業名, 年度, 項目, 現在, 新しい値, 事業ID."""
        rows = [
            {
                "ファイル": r.file,
                "行": r.line,
                "事業名": r.name,
                "年度": r.year_label,
                "項目": c.label,
                "現在": c.old,
                "新しい値": c.new,
                "事業ID": r.action_id,
            }
            for r in self.rows
            for c in r.changes
        ]
        return pd.DataFrame(rows, columns=list(labels.PROJECT_CHANGE_COLUMNS))

    def skipped_frame(self) -> pd.DataFrame:
        """Every line not used: ファイル, 行, 理由, 列, 内容 (titles, blanks, notes, 未入力)."""
        rows = [
            {"ファイル": s.file, "行": s.line, "理由": s.reason, "列": s.column, "内容": s.text} for s in self.skipped
        ]
        return pd.DataFrame(rows, columns=list(labels.PROJECT_SKIPPED_COLUMNS))

    def notices_frame(self, which: str = "notices") -> pd.DataFrame:
        """The notices (再掲 mapped, merged cells, columns not read), or with ``"unusual"`` the confirmed amounts."""
        notices = self.unusual if which == "unusual" else self.notices
        rows = [
            {"ファイル": n.file, "行": n.line, "列": n.column, "事業": n.subject, "内容": n.message} for n in notices
        ]
        return pd.DataFrame(rows, columns=list(labels.PROJECT_NOTICE_COLUMNS))

    def conversions_frame(self) -> pd.DataFrame:
        """Amounts converted to 千円: ファイル, 行, 列, 事業, 換算 (「1,200,000円 → 1,200千円」)."""
        rows = [
            {"ファイル": c.file, "行": c.line, "列": c.column, "事業": c.subject, "換算": c.text}
            for c in self.conversions
        ]
        return pd.DataFrame(rows, columns=list(labels.PROJECT_CONVERSION_COLUMNS))


def _only_carried(row: ProjectRow, records: Records) -> bool:
    """The row holds nothing but the 担当課・今後の方向性 the template carried over from last year."""
    filled = {k: v for k, v in row.values.items() if v not in ("", None)}
    if not filled or not set(filled) <= set(CARRIED):
        return False
    carried = carried_over(records, row.action_id, row.year)
    return all(getattr(carried, k) == v for k, v in filled.items())


def _unusual(row: ProjectRow, old: ProjectRecord, new: ProjectRecord) -> str:
    """Why the amounts are questioned ("" when they are not): 決算額 above 1.5 × 予算額, newly written."""
    if not (set(row.values) & set(AMOUNTS)) or new.budget is None or new.spent is None:
        return ""
    if new.spent <= UNUSUAL_RATIO * new.budget:
        return ""
    if same_number(old.budget, new.budget) and same_number(old.spent, new.spent):
        return ""  # confirmed when it was saved: re-importing an export does not ask again
    ratio = f"({new.spent / new.budget:.1f}倍)" if new.budget > 0 else ""
    return labels.PROJECT_UNUSUAL.format(spent=format_number(new.spent), budget=format_number(new.budget), ratio=ratio)


def plan_project_import(
    files: Mapping[str, bytes] | Sequence[tuple[str, bytes]],
    actions: pd.DataFrame,
    store: ProjectStore,
    *,
    year: int | None = None,
    sheet: str | None = None,
    accept_unusual: bool = False,
) -> ProjectImportPlan:
    """Read the files and compare them with the store: the preview of what importing them would change.

    Parameters
    ----------
    files : sequence of (name, bytes), or a mapping name → bytes
        The files given together (all or nothing).
    actions : DataFrame
        The 実施計画 rows (``queries.actions``).
    store : ProjectStore
        The projects' records.
    year : int, optional
        The 年度 of files without a 年度 column (``--year``).
    sheet : str, optional
        The Excel sheet to read.
    accept_unusual : bool
        The person checked the questioned amounts (決算額 above 1.5 × 予算額): record them.

    Returns
    -------
    ProjectImportPlan
        A row's columns replace the stored record's fields; columns the file lacks keep what is stored.
        A row holding only last year's 担当課・今後の方向性 (an untouched template row) is skipped as 未入力:
        it neither makes a record nor changes one.

    Raises
    ------
    InputError
        Every problem of every file (see :func:`~kamiplan.records.project_file.parse_project_files`).
    UnusualAmountsError
        When the only problems are amounts questioned and not confirmed.
    """
    current = store.records()
    revision = store.revision()
    pairs = list(files.items()) if isinstance(files, Mapping) else list(files)
    parsed = parse_project_files(pairs, actions, year=year, sheet=sheet)
    describe = project_describer(actions)
    names = {r["action_id"]: r["name"] for r in actions.to_dict("records")}
    remarks: dict[tuple[str, int], list[str]] = {}
    for n in parsed.notices:
        if n.subject and n.line is not None:
            remarks.setdefault((n.file, n.line), []).append(n.message)
    for c in parsed.conversions:
        remarks.setdefault((c.file, c.line), []).append(f"{c.column}: {c.text}")
    rows: list[PreviewRow] = []
    changes: list[ProjectChange] = []
    skipped = list(parsed.skipped)
    questioned: list[Notice] = []
    for r in parsed.rows:
        old = current.get((r.action_id, r.year), EMPTY_PROJECT)
        new = r.over(old)
        if _only_carried(r, current):
            # An untouched template row: last year's words are no record of this year, and must not
            # overwrite one made since the template was sent (another 担当課 taking the project over).
            ref = labels.project_ref({"name": names[r.written_id], "action_id": r.written_id})
            skipped.append(Skipped(r.line, SKIP_CARRIED_OVER, ref, file=r.file))
            continue
        why = _unusual(r, old, new)
        notes = list(remarks.get((r.file, r.line), []))
        if why:
            # The column the file wrote: 決算額, or the 予算額 set against a 決算額 already recorded.
            field = "spent" if "spent" in r.values else "budget"
            questioned.append(
                Notice(r.file, r.line, r.columns[field], describe(r.action_id, r.year), why, r.read[field])
            )
            notes.append(labels.PROJECT_UNUSUAL_CONFIRMED)
        if old.is_empty():
            state = STATUS_NEW
        elif old.same_as(new):
            state = STATUS_UNCHANGED
        else:
            state = STATUS_CHANGED
        diffs = tuple(
            FieldChange(name, labels.PROJECT_FIELD_LABELS[name], show_value(name, before), show_value(name, after))
            for name in FIELDS
            if name in r.values
            for before, after in [(getattr(old, name), getattr(new, name))]
            if not (same_number(before, after) if name in AMOUNTS else before == after)
        )
        rows.append(
            PreviewRow(
                file=r.file,
                line=r.line,
                state=state,
                action_id=r.action_id,
                written_id=r.written_id,
                name=names[r.action_id],
                year=r.year,
                changes=diffs,
                remarks=tuple(notes),
            )
        )
        if state != STATUS_UNCHANGED:
            changes.append(ProjectChange(key=r.action_id, year=r.year, new=new, expected=old))
    if questioned and not accept_unusual:
        raise UnusualAmountsError([n.problem() for n in questioned], questioned)
    order = {f.name: i for i, f in enumerate(parsed.files)}
    skipped.sort(key=lambda s: (order.get(s.file, 0), s.line))
    return ProjectImportPlan(
        parsed=parsed,
        rows=tuple(rows),
        changes=tuple(changes),
        revision=revision,
        skipped=tuple(skipped),
        unusual=tuple(questioned),
        describe=describe,
        filenames=tuple(name for name, _ in pairs),
    )


def commit_project_import(
    plan: ProjectImportPlan, store: ProjectStore, by: str, filenames: Sequence[str] | None = None
) -> SaveResult:
    """Save what the preview showed (``how`` = ``file:<names>``); refused as stale if a record changed since.

    Raises
    ------
    StaleError
        Someone changed one of the records after the preview (each listed, both versions); nothing saved.
    InputError
        No name given (``by``), or the store's lock not had within 15 s.
    """
    names = "、".join(filenames if filenames is not None else plan.filenames)
    return store.save(list(plan.changes), by=by, how=f"file:{names}", describe=plan.describe)


# -- export ---------------------------------------------------------------------------------------------
def _amount(value: float | None):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def project_export_frame(actions: pd.DataFrame, records: Records) -> pd.DataFrame:
    """The recorded projects in the import format: importing it changes nothing.

    Parameters
    ----------
    actions : DataFrame
        The 実施計画 rows (for the 事業名 and the order).
    records : mapping (action_id, year) → ProjectRecord
        What is recorded (``ProjectStore.records()``).

    Returns
    -------
    DataFrame
        Columns :data:`EXPORT_COLUMNS` (事業ID, 事業名, 年度 as ``R7(2025)``, then the eight fields with the
        headings of ``labels.PROJECT_COLUMNS``), in the plan's order then by year; amounts in 千円 as numbers
        (2380, not 2380.0), not entered as empty. A record of a project the plan no longer has is kept, last,
        with an empty 事業名 (importing it back is refused, naming it).
    """
    by_id = {r["action_id"]: r for r in actions.to_dict("records")}
    keys = sorted(records, key=lambda k: (by_id[k[0]]["seq"] if k[0] in by_id else float("inf"), k[0], k[1]))
    rows = []
    for action_id, year in keys:
        record = records[(action_id, year)]
        rows.append(
            {
                _COLUMN["action_id"]: action_id,
                _COLUMN["name"]: by_id[action_id]["name"] if action_id in by_id else "",
                _COLUMN["year"]: year_label(int(year)),
                **{_COLUMN[name]: getattr(record, name) for name in FIELDS if name not in AMOUNTS},
                **{_COLUMN[name]: _amount(getattr(record, name)) for name in AMOUNTS},
            }
        )
    frame = pd.DataFrame(rows, columns=list(EXPORT_COLUMNS))
    for name in AMOUNTS:  # numbers stay numbers (2380, not 2380.0), an empty cell stays empty
        frame[_COLUMN[name]] = pd.Series([r[_COLUMN[name]] for r in rows], dtype=object)
    return frame


# -- the template -----------------------------------------------------------------------------------------
_WIDTHS = {
    "action_id": 11,
    "name": 26,
    "summary": 42,
    "tag": 8,
    "year": 11,
    "status": 11,
    "grade": 7,
    "direction": 13,
    "budget": 14,
    "spent": 14,
    "work": 42,
    "outcome": 42,
    "department": 14,
}
_WRAPPED = {"name", "summary", "work", "outcome", "department"}
_AMOUNT_FORMAT = '#,##0"千円"'


def template_rows(actions: pd.DataFrame, records: Records, year: int, department: str | None = None) -> list[dict]:
    """The 実施計画 rows a template lists (no 再掲 rows); with ``department``, its projects and the unclaimed ones.

    Raises
    ------
    InputError
        ``department`` matches none of the 担当課 recorded (the known ones are listed).
    """
    rows = [r for r in actions.sort_values("seq").to_dict("records") if not r["is_repeat"]]
    if department is None or not department.strip():
        return rows
    key = name_key(department)
    latest = {r["action_id"]: latest_department(records, r["action_id"], year) for r in rows}
    known = sorted({d for d in latest.values() if d})
    if known and key not in {name_key(d) for d in known}:
        listed = "、".join(f"「{d}」" for d in known)
        raise InputError([Problem(labels.PROJECT_DEPARTMENT_UNKNOWN.format(department=department, known=listed))])
    # Projects no 担当課 has claimed yet are in every 担当課's sheet: whoever runs one fills it in.
    return [r for r in rows if not latest[r["action_id"]] or name_key(latest[r["action_id"]]) == key]


def project_template(actions: pd.DataFrame, records: Records, year: int, department: str | None = None) -> bytes:
    """The Excel book a 担当課 fills in for one year, importable as it is returned.

    Parameters
    ----------
    actions : DataFrame
        The 実施計画 rows; 再掲 rows are left out (their record is their original's).
    records : mapping (action_id, year) → ProjectRecord
        What is recorded (``ProjectStore.records()``).
    year : int
        The 年度 (2025–2029).
    department : str, optional
        Only the projects whose latest recorded 担当課 is this one (compared with look-alikes folded), and
        those without a 担当課 yet. None: every project.

    Returns
    -------
    bytes
        An .xlsx book of one sheet: an instruction row, the header (:data:`TEMPLATE_COLUMNS`), one row per
        project with 事業ID, 事業名, 概要, 備考 (新規/拡充) and the year filled in and locked (sheet protection
        without a password: it guards against slips, not people), and the entry columns unlocked: this year's
        record where there is one, else last year's 担当課 and 今後の方向性 (:func:`carried_over`); dropdowns
        for 実施状況, 評価 (A–D) and 今後の方向性, amounts as 千円 numbers, the header frozen, a filter.

    Raises
    ------
    InputError
        A ``year`` outside R7–R11, or a ``department`` matching none recorded (the known ones are listed).
    """
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from kamiplan.records.project_file import read_fiscal_year

    checked, reason = read_fiscal_year(year)
    if checked is None:
        raise InputError([Problem(reason)])
    selected = template_rows(actions, records, year, department)
    keys = ("action_id", "name", "summary", "tag", "year", *FIELDS)
    entry = set(FIELDS)

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = labels.PROJECT_TEMPLATE_SHEET.format(year=year_label(year))
    last_col = get_column_letter(len(keys))
    ws["A1"] = labels.PROJECT_TEMPLATE_INSTRUCTION.format(
        year=year_label(year), grades=labels.PROJECT_TEMPLATE_GRADE_PROMPT
    )
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True)
    ws.merge_cells(f"A1:{last_col}1")
    ws.row_dimensions[1].height = 66

    thin = Side(style="thin", color="A6A6A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    grey = PatternFill("solid", fgColor="EDEDED")
    head = PatternFill("solid", fgColor="D9E1F2")
    for c, key in enumerate(keys, start=1):
        cell = ws.cell(row=2, column=c, value=_COLUMN[key])
        cell.font = Font(bold=True)
        cell.fill = head
        cell.border = border
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = _WIDTHS[key]

    def clean(text) -> str:
        return ILLEGAL_CHARACTERS_RE.sub("", str(text)) if text else ""

    for r, action in enumerate(selected, start=3):
        stored = records.get((action["action_id"], year))
        prefill = stored if stored is not None else carried_over(records, action["action_id"], year)
        values = {
            "action_id": action["action_id"],
            "name": action["name"],
            "summary": clean(action["summary"]),
            "tag": clean(action["tag"]),
            "year": year_label(year),
            **{name: getattr(prefill, name) for name in FIELDS},
        }
        for c, key in enumerate(keys, start=1):
            value = values[key]
            cell = ws.cell(row=r, column=c)
            if key in AMOUNTS:
                cell.value = _amount(value)
                cell.number_format = _AMOUNT_FORMAT
            elif value:
                cell.value = clean(value)
                cell.data_type = "s"  # text, even when it starts with "=": never a formula
            cell.border = border
            cell.alignment = Alignment(wrap_text=key in _WRAPPED, vertical="top")
            if key in entry:
                cell.protection = Protection(locked=False)
            else:
                cell.fill = grey
    last_row = max(2 + len(selected), 3)

    def dropdown(key: str, words: Sequence[str], prompt: str) -> None:
        column = get_column_letter(keys.index(key) + 1)
        rule = DataValidation(
            type="list",
            formula1='"' + ",".join(words) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=labels.PROJECT_FIELD_LABELS[key],
            error=labels.PROJECT_TEMPLATE_LIST_ERROR,
            showInputMessage=True,
            promptTitle=labels.PROJECT_FIELD_LABELS[key],
            prompt=prompt,
        )
        ws.add_data_validation(rule)
        rule.add(f"{column}3:{column}{last_row}")

    dropdown("status", STATUSES, "、".join(STATUSES))
    dropdown("grade", tuple(GRADES), labels.PROJECT_TEMPLATE_GRADE_PROMPT)
    dropdown("direction", DIRECTIONS, "、".join(DIRECTIONS))
    for key in AMOUNTS:
        column = get_column_letter(keys.index(key) + 1)
        rule = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=labels.PROJECT_FIELD_LABELS[key],
            error=labels.PROJECT_TEMPLATE_AMOUNT_ERROR,
        )
        ws.add_data_validation(rule)
        rule.add(f"{column}3:{column}{last_row}")

    ws.freeze_panes = "C3"
    ws.auto_filter.ref = f"A2:{last_col}{last_row}"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    # Locked key columns, unlocked entry columns; resizing and the filter stay allowed.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
