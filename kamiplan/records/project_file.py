"""The 事業の評価 file: each project's record of one year, as the 担当課 send it back (issue 13).

One reader for ``kamiplan import-projects`` (and the upload on the page, later). Several files are read
together, all or nothing. :mod:`kamiplan.reading.tabular` reads each file (CSV in UTF-8, cp932 or UTF-16,
or an Excel book: the first visible sheet or the one named) and this module finds the table in it and
reads each row:

- **Header**: found in the first 30 rows (title and blank rows above it are listed as skipped), in one row
  or two (a merged 「事業費(千円)」 over 「予算額 | 決算額」). Words, after
  :func:`~kamiplan.reading.textkey.name_key`: 事業ID/事業番号/ID; 事業名/事務事業名/事業; 年度/評価年度/対象年度;
  実施状況/進捗状況/取組状況; 評価/自己評価/評価区分; 今後の方向性/方向性/今後の方針; 予算額/予算/当初予算額;
  決算額/決算/決算見込額/執行額; 取組内容・実績/取組内容/取組実績/実施内容; 成果・課題/成果と課題/課題;
  担当課/所管課/担当部署. A unit in the heading (「予算額(円)」) is the column's unit. 概要, 備考, 大綱,
  基本計画, 施策, 委員意見, 対応方針 are kept beside the record and not read (listed as ignored).
- **Project**: by 事業ID (preferred) or 事業名 (look-alikes, widths and spaces folded). A name that several
  rows of the 実施計画 share (the ten 「保護者負担の軽減」) needs the ID: the message lists them with the
  start of their 概要. A 再掲 row is recorded on its original row, and the reader says so. An ID and a name
  that disagree are refused, naming both.
- **Year**: ``R7``, ``令和7年度``, ``2025``, ``2025年度``, ``R7(2025)`` — a 年度; only the plan's R7–R11.
  Without a 年度 column the caller gives the year (``year=``, ``--year``).
- **Words**: :func:`~kamiplan.records.projects.read_status`, ``read_grade``, ``read_direction``; anything
  else is refused with the words allowed.
- **Amounts**: :func:`~kamiplan.reading.yen.read_thousand_yen` (千円; 円・万円 converted and listed).

Below the table, 注/※ rows and blank rows are skipped and listed; a row whose record columns are all blank
is 「未入力」 (listed, not stored). A row is the whole record of its project and year for the columns the
file has; columns it does not have keep what is stored (the caller merges).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from kamiplan import labels
from kamiplan.errors import InputError, Problem
from kamiplan.plan.periods import FISCAL_YEAR
from kamiplan.plan.values import nfkc
from kamiplan.reading import layout
from kamiplan.reading.layout import (
    HEADER_SEARCH_ROWS,
    SKIP_ABOVE,
    SKIP_BLANK,
    SKIP_HEADER_AGAIN,
    SKIP_HEADING,
    SKIP_NOTE,
    SKIP_TOTAL,
    TOTAL_WORDS,
    is_note,
    row_text,
    shorten,
    year_typed_as_date,
)
from kamiplan.reading.tabular import (
    XLSX,
    Grid,
    Row,
    Value,
    column_letter,
    is_empty,
    read_grid,
    text_of,
    unescape_formula,
)
from kamiplan.reading.textkey import name_key, suggest
from kamiplan.reading.when import indicator_year, parse_when, year_ref
from kamiplan.reading.yen import YEN_UNITS, heading_unit, read_thousand_yen
from kamiplan.records.projects import (
    DIRECTIONS,
    FIRST_YEAR,
    LAST_YEAR,
    STATUSES,
    ProjectRecord,
    read_direction,
    read_grade,
    read_status,
)

__all__ = [
    "FIELDS",
    "Conversion",
    "FileRead",
    "Notice",
    "ParsedProjects",
    "ProjectResolver",
    "ProjectRow",
    "Skipped",
    "parse_project_files",
    "read_fiscal_year",
]

FIELDS = ("status", "grade", "direction", "budget", "spent", "work", "outcome", "department")
AMOUNTS = ("budget", "spent")
MAX_TEXT = 2000
MAX_GROUP_LABEL = 20  # a label over several columns of a two-row header (「事業費(千円)」); a title is longer
SKIP_NOT_ENTERED = "not_entered"  # a row whose record columns are all blank
SKIP_CARRIED_OVER = "carried_over"  # a template row holding only last year's 担当課・方向性 (projects_io)

# After name_key (NFKC, spaces removed, ・ folded, lower case). A bracket at the end is read apart (a unit).
ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "action_id": ("事業id", "事業番号", "id", "事業no", "事業no."),
    "name": ("事業名", "事務事業名", "事業", "事業の名称"),
    "year": ("年度", "評価年度", "対象年度"),
    "status": ("実施状況", "進捗状況", "取組状況", "取り組み状況"),
    "grade": ("評価", "自己評価", "評価区分"),
    "direction": ("今後の方向性", "方向性", "今後の方針"),
    "budget": ("予算額", "予算", "当初予算額"),
    "spent": ("決算額", "決算", "決算見込額", "執行額"),
    "work": ("取組内容・実績", "取組内容", "取組実績", "実施内容", "取り組み内容", "取組内容及び実績"),
    "outcome": ("成果・課題", "成果と課題", "課題", "成果及び課題"),
    "department": ("担当課", "所管課", "担当部署"),
}
# Columns kept beside the record (the template's 概要・備考, a sheet's 大綱, the committee's words): not read.
INFORMATIONAL = frozenset(
    name_key(w)
    for w in (
        "概要",
        "事業概要",
        "備考",
        "大綱",
        "基本計画",
        "施策",
        "施策名",
        "委員意見",
        "対応方針",
        "No",
        "No.",
        "番号",
        "項番",
        "区分",
        "新規・拡充",
    )
)
_BY_KEY = {alias: role for role, aliases in ROLE_ALIASES.items() for alias in aliases}
_SUFFIX = re.compile(r"[(\[【〔][^()\[\]【】〔〕]*[)\]】〕]$")
_UNIT_ONLY = re.compile(r"^[(\[【〔]?(?:単位[:：]?)?(百万円|千円|万円|億円|円)[)\]】〕]?$")
_ID_FORM = re.compile(r"(\d+)-(\d+)-(\d+)-(\d{1,2})")
_NAME_WITH_ID = re.compile(r"(?P<name>.+)\((?P<id>[^()]+)\)")
_BARE_NUMBER = re.compile(r"^[+-]?\d+(?:\.0+)?$")


# -- what the reader returns -------------------------------------------------------------------------
@dataclass(frozen=True)
class Skipped(layout.Skipped):
    """A line not used, and why (the actuals' kinds, 未入力, and in which file)."""

    file: str = ""

    @property
    def reason(self) -> str:
        base = labels.PROJECT_SKIP_REASONS[self.kind]
        return f"{base}({self.detail})" if self.detail else base


@dataclass(frozen=True)
class Notice:
    """Something the preview says about a line: a 再掲 row mapped, a merged cell, a column not read."""

    file: str
    line: int | None
    column: str
    subject: str
    message: str
    value: str = ""

    def problem(self) -> Problem:
        return Problem(self.message, self.file, self.line, self.column, self.value, self.subject)


@dataclass(frozen=True)
class Conversion:
    """An amount given in another unit and converted to 千円 (「1,200,000円 → 1,200千円」)."""

    file: str
    line: int
    column: str
    subject: str
    text: str


@dataclass(frozen=True)
class ProjectRow:
    """One row of a file: which project and year, and the value of every record column the file has."""

    file: str
    line: int
    action_id: str  # where it is recorded: a 再掲 row's original
    written_id: str  # the row of the 実施計画 the file named (the 再掲 row itself)
    year: int
    values: Mapping[str, str | float | None]  # field → value, for the record columns the file has
    columns: Mapping[str, str] = field(default_factory=dict)  # field → the column as the file names it
    read: Mapping[str, str] = field(default_factory=dict)  # field → the cell as written

    def over(self, stored: ProjectRecord) -> ProjectRecord:
        """The stored record with this row's columns in place (columns the file lacks are kept)."""
        return replace(stored, **dict(self.values))


@dataclass(frozen=True)
class FileRead:
    """How one file was read, for the preview."""

    name: str
    source_label: str
    header_lines: tuple[int, ...]
    fields: tuple[str, ...]  # record columns the file has, in FIELDS order
    has_year: bool
    ignored_columns: tuple[str, ...]


@dataclass
class ParsedProjects:
    """Every row of every file given together, and every line not used with its reason."""

    rows: list[ProjectRow]
    files: list[FileRead] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    conversions: list[Conversion] = field(default_factory=list)


# -- years --------------------------------------------------------------------------------------------
def _year_words(year: int) -> str:
    return year_ref(year, FISCAL_YEAR) if 1 <= year <= 9999 else f"{year}年度"


def read_fiscal_year(value: Value) -> tuple[int | None, str]:
    """The 年度 of a cell or a ``--year`` argument, within the plan period R7–R11 (2025–2029).

    Parameters
    ----------
    value : str, int, float, date or None
        ``R7``, ``令和7年度``, ``2025``, ``2025年度``, ``R7(2025)``; an Excel number; 2025 typed into a date cell.
        A date goes to the 年度 containing it (April–March, 地方自治法 第208条).

    Returns
    -------
    (int, "") or (None, reason)
        The Western year, or why it is refused in Japanese: blank, unreadable, or outside R7–R11
        (``H27``, ``R12``: projects are evaluated within the plan period, 計画書 第1章).
    """
    if is_empty(value):
        return None, labels.PROJECT_YEAR_EMPTY
    typed = year_typed_as_date(value)
    text = nfkc(text_of(value)).strip()
    if typed is not None:
        year = typed.year
    elif isinstance(value, bool):
        return None, labels.PROJECT_YEAR_UNREADABLE
    elif _BARE_NUMBER.match(text):
        year = int(float(text))
    else:
        when = parse_when(value if isinstance(value, (dt.date, dt.datetime)) else text)
        if when is None:
            return None, labels.PROJECT_YEAR_UNREADABLE
        year = indicator_year(when, FISCAL_YEAR)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None, labels.PROJECT_YEAR_OUTSIDE.format(year=_year_words(year), period=labels.PROJECT_PERIOD)
    return year, ""


# -- projects -----------------------------------------------------------------------------------------
def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


class ProjectResolver:
    """Find the 実施計画 row of an ID or a name as people write it, and the row its record is kept on."""

    def __init__(self, actions: pd.DataFrame) -> None:
        ordered = actions.sort_values("seq").to_dict("records")
        self.rows = {r["action_id"]: r for r in ordered}
        self.by_id = {name_key(a): a for a in self.rows}
        self.by_name: dict[str, list[str]] = {}
        for r in ordered:
            self.by_name.setdefault(name_key(r["name"]), []).append(r["action_id"])
        self.choices = {labels.project_ref(r): r["name"] for r in ordered if not r["is_repeat"]}

    def target(self, action_id: str) -> str:
        """The row a record is kept on: a 再掲 row's original, else the row itself."""
        row = self.rows[action_id]
        original = _text(row.get("repeat_of"))
        return original if row["is_repeat"] and original in self.rows else action_id

    def ref(self, action_id: str) -> str:
        return labels.project_ref(self.rows[action_id])

    def by_written_id(self, text: str) -> tuple[str | None, str]:
        """(row ID, "") or (None, reason with the closest IDs)."""
        key = name_key(text)
        if key in self.by_id:
            return self.by_id[key], ""
        m = _ID_FORM.fullmatch(key)
        if m:  # 1-1-1-1 for 1-1-1-01: only one row it can be
            padded = f"{m.group(1)}-{m.group(2)}-{m.group(3)}-{int(m.group(4)):02d}"
            if padded in self.by_id:
                return self.by_id[padded], ""
        hint = suggest(text, {self.ref(a): a for a in self.rows}, cutoff=80)
        maybe = labels.PROJECT_MAYBE.format(names="、".join(hint)) if hint else ""
        return None, labels.PROJECT_UNKNOWN_ID.format(maybe=maybe)

    def by_name_written(self, text: str) -> tuple[str | None, str]:
        """(row ID, "") or (None, why: unknown with the closest names, or shared with the candidates)."""
        key = name_key(text)
        ids = self.by_name.get(key, [])
        m = _NAME_WITH_ID.fullmatch(key)
        if not ids and m and m.group("id") in self.by_id:  # 「事業名(1-1-1-01)」, as kamiplan names a project
            found = self.by_id[m.group("id")]
            if name_key(self.rows[found]["name"]) == m.group("name"):
                return found, ""
        if not ids:
            hint = suggest(text, self.choices)
            maybe = labels.PROJECT_MAYBE.format(names="、".join(hint)) if hint else ""
            return None, labels.PROJECT_UNKNOWN_NAME.format(maybe=maybe)
        targets = list(dict.fromkeys(self.target(i) for i in ids))
        if len(targets) == 1:
            # An original and its 再掲 rows share a name: one project. Name the original when it is there.
            return (targets[0] if targets[0] in ids else ids[0]), ""
        candidates = "、".join(f"{t}(「{shorten(_text(self.rows[t]['summary']), 21)}」)" for t in targets)
        return None, labels.PROJECT_AMBIGUOUS.format(n=len(targets), candidates=candidates)


# -- the header -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column as the file names it, and what it holds."""

    index: int
    label: str
    role: str | None = None  # action_id, name, year, or one of FIELDS
    unit: str = ""  # amounts: the unit its heading names
    informational: bool = False  # 概要, 備考…: kept beside the record, not read

    def name(self, excel: bool = False) -> str:
        """「予算額(千円)」, or 「予算額(千円)(I列)」 for an Excel sheet."""
        label = self.label or f"{self.index + 1}列目"
        return f"{label}({column_letter(self.index)}列)" if excel else label


def _heading(value: Value) -> tuple[str | None, str, bool]:
    """(role, unit, informational) of one heading cell."""
    written = text_of(value)
    key = name_key(written)
    if not key:
        return None, "", False
    unit = heading_unit(written)
    bare = _SUFFIX.sub("", key)
    for candidate in (key, bare):
        if candidate in _BY_KEY:
            return _BY_KEY[candidate], unit, False
    for written_unit in sorted(YEN_UNITS, key=len, reverse=True):  # 「予算額千円」
        if key.endswith(written_unit) and key[: -len(written_unit)] in _BY_KEY:
            return _BY_KEY[key[: -len(written_unit)]], written_unit, False
    return None, unit, key in INFORMATIONAL or bare in INFORMATIONAL


def _columns(row: Row) -> list[Column]:
    out = []
    for index, cell in enumerate(row.cells):
        role, unit, informational = _heading(cell)
        out.append(Column(index, text_of(cell), role, unit, informational))
    return out


def _unit_only(text: str) -> str:
    m = _UNIT_ONLY.match(re.sub(r"\s+", "", nfkc(text)))
    return m.group(1) if m else ""


def _is_heading_cell(value: Value) -> bool:
    if is_empty(value):
        return True
    role, _unit, informational = _heading(value)
    return role is not None or informational or bool(_unit_only(text_of(value)))


def _columns_double(top: Row, sub: Row) -> list[Column] | None:
    """Two header rows: 「事業費(千円)」 merged over 「予算額 | 決算額」, or 「予算額」 over 「(千円)」."""
    if sub.is_blank() or not all(_is_heading_cell(c) for c in sub.cells):
        return None
    # The upper row is a header too: some column named there (merged down over both rows), the rest short
    # group labels. A title merged across the sheet (the template's instruction row) is not.
    tops = [text_of(c) for c in top.cells if not is_empty(c)]
    if not any(_heading(t)[0] for t in tops) or any(len(name_key(t)) > MAX_GROUP_LABEL for t in tops):
        return None
    out = []
    for index in range(max(len(top.cells), len(sub.cells))):
        upper, lower = text_of(top.cell(index)), text_of(sub.cell(index))
        up_role, up_unit, up_info = _heading(upper)
        if lower and _unit_only(lower) and up_role is not None:
            out.append(Column(index, f"{upper} {lower}", up_role, _unit_only(lower), False))
            continue
        low_role, low_unit, low_info = _heading(lower)
        if lower and (low_role is not None or low_info):
            label = lower if not upper or upper == lower else f"{upper} {lower}"
            out.append(Column(index, label, low_role, low_unit or up_unit, low_info and low_role is None))
        else:
            out.append(Column(index, upper, up_role, up_unit, up_info))
    return out


def _roles(columns: list[Column]) -> set[str]:
    return {c.role for c in columns if c.role}


def _valid(columns: list[Column] | None) -> bool:
    roles = _roles(columns or [])
    return bool(roles & {"action_id", "name"}) and bool(roles & set(FIELDS))


@dataclass
class _Table:
    grid: Grid
    header_lines: tuple[int, ...]
    columns: list[Column]
    rows: list[Row]
    skipped: list[Skipped]

    def column(self, role: str) -> Column | None:
        return next((c for c in self.columns if c.role == role), None)


def _find_table(grid: Grid) -> _Table | Problem:
    rows = list(grid.rows)
    limit = min(len(rows), HEADER_SEARCH_ROWS)
    for position in range(limit):
        row = rows[position]
        if row.is_blank():
            continue
        single = _columns(row)
        double = _columns_double(row, rows[position + 1]) if position + 1 < len(rows) else None
        if _valid(double) and (not _valid(single) or _roles(double) > _roles(single)):
            chosen, header = double, (row.line, rows[position + 1].line)
        elif _valid(single):
            chosen, header = single, (row.line,)
        else:
            continue
        seen: dict[str, Column] = {}
        for column in chosen:
            if column.role in seen:
                message = labels.PROJECT_SAME_COLUMN.format(a=seen[column.role].label, b=column.label)
                return Problem(message, grid.filename, row.line, column.name(grid.kind == XLSX))
            if column.role:
                seen[column.role] = column
        skipped = [
            Skipped(r.line, SKIP_BLANK if r.is_blank() else SKIP_ABOVE, "" if r.is_blank() else row_text(r))
            for r in rows[:position]
        ]
        data = rows[position + len(header) :]
        return _Table(grid, header, chosen, data, [replace(s, file=grid.filename) for s in skipped])
    first = next((r for r in rows if not r.is_blank()), None)
    seen_text = f"1つ目の行は「{row_text(first)}」です。" if first is not None else ""
    if grid.kind == XLSX:
        others = [n for n in grid.sheets if n != grid.sheet]
        seen_text = f"シート「{grid.sheet}」を読みました。{seen_text}"
        if others:
            listed = "、".join(f"「{n}」" for n in others)
            seen_text += f"ほかのシート({listed})の表なら、シートを選んでください(コマンドでは --sheet シート名)。"
    return Problem(labels.PROJECT_NO_HEADER.format(searched=limit, seen=seen_text), grid.filename)


# -- rows -------------------------------------------------------------------------------------------------
_WORD_READERS = {"status": read_status, "grade": read_grade, "direction": read_direction}
_ALLOWED = {
    "status": "、".join(STATUSES),
    "grade": labels.PROJECT_GRADE_CHOICES,
    "direction": "、".join(DIRECTIONS),
}


@dataclass
class _Seen:
    file: str
    line: int
    written_id: str


class _FileReader:
    """Reads the rows of one file; problems, notices and the (project, year) seen are shared by all files."""

    def __init__(
        self,
        table: _Table,
        resolver: ProjectResolver,
        year: int | None,
        seen: dict[tuple[str, int], _Seen],
        out: ParsedProjects,
        problems: list[Problem],
    ) -> None:
        self.table = table
        self.grid = table.grid
        self.file = table.grid.filename
        self.excel = self.grid.kind == XLSX
        self.resolver = resolver
        self.year = year
        self.seen = seen
        self.out = out
        self.problems = problems
        self.fields = [(c.role, c) for c in table.columns if c.role in FIELDS]
        self.fields.sort(key=lambda fc: FIELDS.index(fc[0]))
        self.year_column = table.column("year")
        self.width = max(c.index for c in table.columns if c.label or c.role) + 1
        self.merged: dict[tuple[str, str], list[int]] = {}
        self.rows_read = 0

    def col(self, column: Column | None) -> str:
        return column.name(self.excel) if column is not None else ""

    def problem(self, message: str, line: int | None, column: Column | None, value: str = "", subject: str = ""):
        self.problems.append(Problem(message, self.file, line, self.col(column), shorten(value, 60), subject))

    def skip(self, line: int, kind: str, text: str = "", column: str = "", detail: str = "") -> None:
        self.out.skipped.append(Skipped(line, kind, text, column, detail, file=self.file))

    def notice(self, line: int | None, column: str, subject: str, message: str, value: str = "") -> None:
        self.out.notices.append(Notice(self.file, line, column, subject, message, value))

    def text(self, row: Row, role: str) -> str:
        column = self.table.column(role)
        return text_of(row.cell(column.index)) if column is not None else ""

    def read(self) -> FileRead:
        if all(r.is_blank() for r in self.table.rows):
            self.problem(labels.PROJECT_NO_DATA, None, None)
        if self.year_column is None and self.year is None:
            self.problem(labels.PROJECT_NO_YEAR, self.table.header_lines[-1], None)
        self.check_columns()
        skipped_before = len(self.out.skipped)
        for row in self.table.rows:
            self.read_row(row)
        for (column, value), lines in self.merged.items():
            listed = "・".join(f"{n}行目" for n in lines[:8]) + ("…" if len(lines) > 8 else "")
            self.notice(lines[0], column, "", labels.PROJECT_MERGED_TEXT.format(value=shorten(value), lines=listed))
        if not self.rows_read and not any(p.path == self.file for p in self.problems):
            mine = self.out.skipped[skipped_before:]
            listed = ""
            if mine:
                listed = (
                    f"(読み飛ばした行 {len(mine)}行: "
                    + "、".join(f"{s.line}行目 {s.reason}" for s in mine[:8])
                    + ("…" if len(mine) > 8 else "")
                    + ")"
                )
            self.problem(labels.PROJECT_NO_ROWS.format(listed=listed), None, None)
        ignored = [c.label for c in self.table.columns if c.role is None and c.label]
        return FileRead(
            name=self.file,
            source_label=self.grid.source_label,
            header_lines=self.table.header_lines,
            fields=tuple(f for f, _ in self.fields),
            has_year=self.year_column is not None,
            ignored_columns=tuple(ignored),
        )

    def check_columns(self) -> None:
        header_line = self.table.header_lines[-1]
        for column in self.table.columns:
            if column.role is None and column.label and not column.informational:
                self.notice(header_line, self.col(column), "", labels.PROJECT_UNKNOWN_COLUMN.format(label=column.label))
            if column.role in FIELDS and column.index in self.grid.hidden_columns:
                self.notice(header_line, self.col(column), "", labels.PROJECT_HIDDEN_COLUMN)

    def is_header_again(self, row: Row) -> bool:
        filled = [c for c in row.cells if not is_empty(c)]
        return len(filled) >= 2 and all(_is_heading_cell(c) for c in filled) and _valid(_columns(row))

    def read_row(self, row: Row) -> None:
        if row.is_blank():
            self.skip(row.line, SKIP_BLANK)
            return
        if is_note(row):
            self.skip(row.line, SKIP_NOTE, row_text(row))
            return
        if self.is_header_again(row):
            self.skip(row.line, SKIP_HEADER_AGAIN, row_text(row))
            return
        beyond = [c for i, c in enumerate(row.cells) if i >= self.width and not is_empty(c)]
        if beyond and not self.excel:
            # 1-1-1-01,…,1,200,… — an unquoted thousands comma would shift every later column.
            message = labels.PROJECT_TOO_MANY_CELLS.format(cells=len(row.cells), width=self.width)
            self.problem(message, row.line, None, row_text(row))
            return
        unlabelled = [row.cell(c.index) for c in self.table.columns if not c.label and not is_empty(row.cell(c.index))]
        if beyond or unlabelled:
            text = shorten(" ".join(text_of(c) for c in [*unlabelled, *beyond]))
            self.notice(row.line, "", "", labels.PROJECT_CELLS_BEYOND.format(text=text))
        id_text, name_text = self.text(row, "action_id"), self.text(row, "name")
        cells = {f: row.cell(c.index) for f, c in self.fields}
        filled = any(not is_empty(c) for c in cells.values())
        id_col, name_col = self.table.column("action_id"), self.table.column("name")
        if not id_text and not name_text:
            if filled:
                self.problem(labels.PROJECT_EMPTY, row.line, name_col or id_col)
            else:
                self.skip(row.line, SKIP_HEADING, row_text(row))
            return
        if not id_text and name_key(name_text) in TOTAL_WORDS:
            self.skip(row.line, SKIP_TOTAL, row_text(row), self.col(name_col))
            return
        if not filled:
            self.skip(row.line, SKIP_NOT_ENTERED, shorten(" ".join(t for t in (id_text, name_text) if t)))
            return
        # Every cell is read even when the project or the year is refused: the person sees every problem at once.
        written = self.project_of(row, id_text, name_text, id_col, name_col)
        project = self.resolver.ref(written) if written is not None else (name_text or id_text)
        year = self.year_of(row, project)
        subject = project + (f"・{_year_words(year)}" if year is not None else "")
        if row.line in self.grid.hidden_rows:
            self.notice(row.line, "", subject, labels.PROJECT_HIDDEN_ROW)
        values, read = self.values_of(row, subject)
        if written is None or year is None or values is None:
            return
        target = self.resolver.target(written)
        if not self.first_time(row, target, year, written, subject):
            return
        if target != written:
            message = labels.PROJECT_REPEAT_MAPPED.format(
                repeat=self.resolver.ref(written), original=self.resolver.ref(target)
            )
            self.notice(row.line, self.col(id_col or name_col), subject, message)
        self.rows_read += 1
        self.out.rows.append(
            ProjectRow(
                file=self.file,
                line=row.line,
                action_id=target,
                written_id=written,
                year=year,
                values=values,
                columns={f: self.col(c) for f, c in self.fields},
                read=read,
            )
        )

    def project_of(
        self, row: Row, id_text: str, name_text: str, id_col: Column | None, name_col: Column | None
    ) -> str | None:
        if id_text:
            found, reason = self.resolver.by_written_id(id_text)
            if found is None:
                self.problem(reason, row.line, id_col, id_text)
                return None
            if name_text:
                by_name, _ = self.resolver.by_name_written(name_text)
                rows = self.resolver.rows
                same_name = name_key(rows[found]["name"]) == name_key(name_text) or by_name == found
                if not same_name:
                    message = labels.PROJECT_ID_NAME_DISAGREE.format(
                        written_id=id_text, id_name=rows[found]["name"], written_name=name_text
                    )
                    self.problem(message, row.line, name_col, f"{id_text} / {name_text}")
                    return None
            return found
        found, reason = self.resolver.by_name_written(name_text)
        if found is None:
            self.problem(reason, row.line, name_col, name_text)
        return found

    def year_of(self, row: Row, subject: str) -> int | None:
        if self.year_column is None:
            return self.year
        cell = row.cell(self.year_column.index)
        if is_empty(cell) and self.year is not None:
            return self.year
        year, reason = read_fiscal_year(cell)
        if year is None:
            self.problem(reason, row.line, self.year_column, text_of(cell), subject)
            return None
        if self.year is not None and year != self.year:
            message = labels.PROJECT_YEAR_DIFFERS.format(written=_year_words(year), given=_year_words(self.year))
            self.problem(message, row.line, self.year_column, text_of(cell), subject)
            return None
        return year

    def values_of(self, row: Row, subject: str) -> tuple[dict | None, dict]:
        values: dict[str, str | float | None] = {}
        read: dict[str, str] = {}
        ok = True
        for name, column in self.fields:
            cell = row.cell(column.index)
            written = text_of(cell)
            read[name] = written
            merged = (row.line, column.index) in self.grid.merged_copies and not is_empty(cell)
            if name in AMOUNTS:
                if merged:
                    self.problem(labels.PROJECT_MERGED_AMOUNT, row.line, column, written, subject)
                    ok = False
                    continue
                amount = read_thousand_yen(cell, column.unit)
                if amount.refused:
                    self.problem(amount.refused, row.line, column, written, subject)
                    ok = False
                    continue
                if amount.converted:
                    self.out.conversions.append(
                        Conversion(self.file, row.line, self.col(column), subject, amount.converted)
                    )
                values[name] = amount.value
                continue
            if merged:
                self.merged.setdefault((self.col(column), written), []).append(row.line)
            if name in _WORD_READERS:
                word = _WORD_READERS[name](written)
                if word is None:
                    message = labels.PROJECT_WORDS_REFUSED.format(
                        value=shorten(written, 30), what=labels.PROJECT_FIELD_LABELS[name], allowed=_ALLOWED[name]
                    )
                    self.problem(message, row.line, column, written, subject)
                    ok = False
                    continue
                values[name] = word
                continue
            text = unescape_formula(written)
            if len(text) > MAX_TEXT:
                message = labels.PROJECT_TEXT_TOO_LONG.format(limit=MAX_TEXT, length=len(text))
                self.problem(message, row.line, column, text[:20], subject)
                ok = False
                continue
            values[name] = text
        return (values if ok else None), read

    def first_time(self, row: Row, target: str, year: int, written: str, subject: str) -> bool:
        key = (target, year)
        first = self.seen.get(key)
        if first is None:
            self.seen[key] = _Seen(self.file, row.line, written)
            return True
        where = f"{first.line}行目" if first.file == self.file else f"「{first.file}」の{first.line}行目"
        why = ""
        repeat = next((w for w in (written, first.written_id) if w != target), None)
        if repeat is not None:
            why = labels.PROJECT_DUPLICATE_REPEAT.format(
                repeat=self.resolver.ref(repeat), original=self.resolver.ref(target)
            )
        column = self.year_column or self.table.column("action_id") or self.table.column("name")
        value = text_of(row.cell(column.index)) if column is not None else ""
        self.problem(labels.PROJECT_DUPLICATE.format(first=where, why=why), row.line, column, value, subject)
        return False


def _pairs(files: Mapping[str, bytes] | Iterable[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    return list(files.items()) if isinstance(files, Mapping) else list(files)


def parse_project_files(
    files: Mapping[str, bytes] | Sequence[tuple[str, bytes]],
    actions: pd.DataFrame,
    year: int | None = None,
    sheet: str | None = None,
) -> ParsedProjects:
    """Read one or more 事業の評価 files together (all or nothing).

    Parameters
    ----------
    files : sequence of (name, bytes), or a mapping name → bytes
        Each file's name (used in messages) and content (CSV/TSV or .xlsx, at most 2 MB each).
    actions : DataFrame
        The 実施計画 rows (``queries.actions``): action_id, seq, name, summary, is_repeat, repeat_of.
    year : int, optional
        The 年度 of files without a 年度 column, and of blank 年度 cells; a file's year that differs is refused.
    sheet : str, optional
        The Excel sheet to read (default: the first visible one).

    Returns
    -------
    ParsedProjects
        The rows (project, year, the values of the columns each file has), the lines skipped with their
        reason, notices (再掲 rows mapped, merged cells, columns not read) and amounts converted to 千円.

    Raises
    ------
    InputError
        Listing every problem of every file (file, line, column, project and year, what was read, what to
        do) when anything can't be read: nothing is to be written then.
    """
    resolver = ProjectResolver(actions)
    out = ParsedProjects(rows=[])
    problems: list[Problem] = []
    seen: dict[tuple[str, int], _Seen] = {}
    for name, data in _pairs(files):
        try:
            grid = read_grid(data, name, sheet)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        found = _find_table(grid)
        if isinstance(found, Problem):
            problems.append(found)
            continue
        out.skipped.extend(found.skipped)
        out.files.append(_FileReader(found, resolver, year, seen, out, problems).read())
    if problems:
        raise InputError(problems)
    out.skipped.sort(key=lambda s: ([f.name for f in out.files].index(s.file), s.line))
    return out
