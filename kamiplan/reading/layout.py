"""Where the table is in a file staff send: the header row, its columns, and the lines that are not data.

Offices do not send clean CSV. Statistics tables (e-Stat, 北海道, the town's own Excel sheets) have
title and blank rows above the header, 注・※出典 rows below it, headers of two rows (a merged
「実績値」 over ``R7 | R8 | R9``) and come in two shapes:

- **long** (縦長): one row per indicator and year — columns 指標, 年度, 実績値 (+ 備考, 出典);
- **wide** (横長): one row per indicator, one column per year — ``R7``, ``R7実績``, ``令和7年度``,
  ``2025年度``, ``2025`` or a date (``R7.3.31現在``); other columns (単位, 基準値, 目標値(R11), 評価)
  are read only to be compared with the plan, never as values.

This module finds the header (in the first 30 rows) and names every column's role; it never guesses
a value. Every line it does not use is returned with its line number and the reason, so that the
preview can show it: nothing is dropped without a word.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from kamiplan import labels
from kamiplan.reading.tabular import Grid, Row, Value, column_letter, is_empty, text_of
from kamiplan.reading.textkey import name_key
from kamiplan.reading.when import When, excel_serial, parse_when

LONG = "long"
WIDE = "wide"
HEADER_SEARCH_ROWS = 30

# Skipped-line kinds (the preview groups and explains them).
SKIP_ABOVE = "above"  # title rows above the header
SKIP_BLANK = "blank"
SKIP_NOTE = "note"  # 注1)…, ※出典:…
SKIP_HEADING = "heading"  # a group heading inside the table (no value, not a plan name)
SKIP_NO_VALUE = "no_value"  # －, …, x, *** or blank where a value goes
SKIP_TOTAL = "total"  # 合計・小計 rows of a statistics table
SKIP_HEADER_AGAIN = "header_again"  # the header repeated (two files pasted together)
SKIP_SAME_SERIES = "same_series"  # an indicator printed in two places, given twice with the same value
TOTAL_WORDS = frozenset({"合計", "計", "小計", "総計", "総数", "全体", "合計値", "total"})

SKIP_REASONS = labels.SKIP_REASONS  # kind → what the preview says

# After name_key. Parenthesised units or years after a header word are ignored (「実績値(人)」).
ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator_id": ("indicator_id", "指標id", "指標番号", "指標no", "指標no."),
    "indicator": ("indicator", "name", "指標", "指標名", "項目", "項目名", "kpi", "評価指標", "成果指標", "kpi指標"),
    "year": ("year", "date", "年度", "年", "時点", "年月日", "基準日", "調査日", "調査時点", "日付"),
    "value": ("value", "実績値", "実績", "値", "数値", "実数"),
    "note": ("note", "備考", "要因分析・コメント", "要因分析", "コメント", "説明", "注記"),
    "source": ("source", "出典", "資料", "出所", "データ出典"),
}
# Columns people keep beside the values; read only for warnings (単位, 基準値) or not at all.
INFORMATIONAL: dict[str, tuple[str, ...]] = {
    "unit": ("unit", "単位"),
    "baseline": ("baseline", "基準値", "現状値", "基準"),
    "target": ("target", "目標値", "目標", "計画値"),
    "other": (
        "大綱",
        "基本計画",
        "施策",
        "区分",
        "分野",
        "section",
        "pillar",
        "policy",
        "評価",
        "達成率",
        "進捗率",
        "達成状況",
        "no",
        "no.",
        "番号",
        "項番",
        "担当課",
        "所管課",
        "担当",
    ),
}
# Words around a year in a wide header: 「R7実績」「令和7年度(実績)」「実績値 R7」.
_YEAR_WORDS = re.compile(r"(実績値|実績|の値|値|現在|時点)")
_ANNOTATION = re.compile(r"(※.*$|速報値|速報|暫定値|暫定|確定値|確定)")
_PARENS = re.compile(r"\(([^()]*)\)")
_YEAR_TOKEN = re.compile(r"(令和|平成|昭和|(?<![a-z])[rhs]\d|(?<!\d)(19|20)\d\d(?!\d)|\d年)")
# A column header that names a year but is not an actual (目標値(R11), 基準値(R5), 前年比).
_NOT_ACTUAL = re.compile(r"(目標|基準|計画|見込|予算|決算|前年|比|差|増減率|評価)")
_PAREN_SUFFIX = re.compile(r"\([^()]*\)$")
_NOTE_START = re.compile(r"^(注|※|\*|＊|\(注|〔注|\[注|【注|資料[:：]|出典[:：]|出所[:：]|備考[:：]|\(資料|\(出典)")


@dataclass(frozen=True)
class Column:
    """One column of the table as the file names it."""

    index: int
    label: str  # the header as written (two header rows joined with a space)
    role: str | None = None  # indicator_id, indicator, year, value, note, source, unit, baseline, target, other
    when: When | None = None  # wide layout: the year or date of this value column
    year_like: bool = False  # names a year but could not be read as one (questioned if it holds values)

    def name(self, excel: bool = False) -> str:
        """「R7実績」, or 「R7実績」(D列) for an Excel sheet."""
        label = self.label or f"{self.index + 1}列目"
        return f"{label}({column_letter(self.index)}列)" if excel else label


@dataclass(frozen=True)
class Skipped:
    """A line the reader did not use, and why (shown in the preview)."""

    line: int
    kind: str
    text: str = ""  # what the line (or cell) held, shortened
    column: str = ""
    detail: str = ""  # e.g. the meaning of a no-value mark

    @property
    def reason(self) -> str:
        base = SKIP_REASONS[self.kind]
        return f"{base}({self.detail})" if self.detail else base


@dataclass
class Table:
    """The header found in a grid, its columns, the data rows and the lines skipped so far."""

    grid: Grid
    layout: str
    header_lines: tuple[int, ...]
    columns: list[Column]
    rows: list[Row]
    skipped: list[Skipped] = field(default_factory=list)

    def column(self, role: str) -> Column | None:
        return next((c for c in self.columns if c.role == role), None)

    @property
    def year_columns(self) -> list[Column]:
        return [c for c in self.columns if c.when is not None]

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(c.role for c in self.columns if c.role)

    def ignored(self) -> list[str]:
        """Headers of columns that are not read (informational columns excluded)."""
        return [c.label for c in self.columns if c.role is None and c.when is None and c.label]


def shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def row_text(row: Row) -> str:
    """A line as one short text; a merged cell's value, repeated over the cells it covers, shown once."""
    texts: list[str] = []
    for cell in row.cells:
        text = text_of(cell)
        if text and (not texts or texts[-1] != text):
            texts.append(text)
    return shorten(" | ".join(texts))


def _header_key(value: Value) -> str:
    return name_key(text_of(value))


def role_of(value: Value, aliases: Mapping[str, tuple[str, ...]] = ROLE_ALIASES) -> str | None:
    """The role of a header cell (「指標名」 → indicator, 「実績値(人)」 → value, 「単位」 → unit)."""
    key = _header_key(value)
    if not key:
        return None
    candidates = [key]
    stripped = _PAREN_SUFFIX.sub("", key)
    if stripped and stripped != key:
        candidates.append(stripped)
    for candidate in candidates:
        for table in (aliases, INFORMATIONAL):
            for role, names in table.items():
                if candidate in names:
                    return role
    return None


def year_of_header(value: Value) -> When | None:
    """The year or date a wide-layout header stands for, or None (「目標値(R11)」 is not an actual).

    Words around the year are dropped: 「R7実績」「令和7年度実績値」「実績値 R7」「令和7年度実績(人)」
    「R8(速報値)」「2026年度(暫定)」「令和8年度 ※」; a bracketed year stays (「R7(2025)」).
    """
    typed = year_typed_as_date(value)
    if typed is not None:
        return typed
    if isinstance(value, (int, float)) or not isinstance(value, str):
        return parse_when(value) if value is not None else None
    text = name_key(value)
    if not text or _NOT_ACTUAL.search(text):
        return None
    when = parse_when(text)
    if when is not None:
        return when
    bare = _ANNOTATION.sub("", text)
    bare = _PARENS.sub(lambda m: m.group(0) if parse_when(m.group(1)) is not None else "", bare)
    bare = _YEAR_WORDS.sub("", bare)
    return parse_when(bare) if bare else None


def year_typed_as_date(value: Value) -> When | None:
    """2025 typed into a cell formatted as a date: Excel shows 1905/7/17 (serial 2025). Read as the year typed."""
    if not isinstance(value, (dt.date, dt.datetime)) or value.year >= 1950:
        return None
    serial = excel_serial(dt.date(value.year, value.month, value.day))
    if not 1950 <= serial <= 2100:
        return None
    return When(year=serial, basis="", date=None, month_only=False, text=str(serial))


def looks_like_a_year(value: Value) -> bool:
    """A header that names a year somehow (R8, 令和8年, 2026): read as a year column, or questioned."""
    return isinstance(value, str) and bool(_YEAR_TOKEN.search(name_key(value)))


def is_note(row: Row) -> bool:
    """注1)…, ※出典:…, (資料)… : a note under (or inside) a statistics table."""
    first = next((text_of(c) for c in row.cells if not is_empty(c)), "")
    return bool(_NOTE_START.match(name_key(first).replace("(", "(")))


def _column(index: int, label: str, source: Value) -> Column:
    role = role_of(source)
    when = year_of_header(source) if role is None else None
    year_like = role is None and when is None and looks_like_a_year(source) and not _NOT_ACTUAL.search(name_key(label))
    return Column(index=index, label=label, role=role, when=when, year_like=year_like)


def _columns_single(row: Row) -> list[Column]:
    return [_column(index, text_of(cell), cell) for index, cell in enumerate(row.cells)]


def _header_word(cell: Value) -> bool:
    if is_empty(cell) or role_of(cell) is not None or year_of_header(cell) is not None:
        return True
    text = name_key(text_of(cell))
    return bool(re.fullmatch(r"\((?:19|20)\d\d\)", text)) or bool(_NOT_ACTUAL.search(text) and len(text) <= 6)


def _is_header_row(row: Row) -> bool:
    """Every filled cell is a header word or a year: not a data row (「人口」, 「2,390」)."""
    return all(_header_word(c) for c in row.cells)


def _columns_double(top: Row, sub: Row) -> list[Column] | None:
    """Two header rows: a group label (merged, or written once) above sub-headers.

    「実績値」 over 「R7 | R8」, 「令和7年度」 over 「目標 | 実績」, 「令和7年」 over 「(2025)」: the two are read
    together (「令和7年度 実績」); 「目標」「計画」 columns are not actuals.
    """
    if not _is_header_row(sub):
        return None
    width = max(len(top.cells), len(sub.cells))
    out: list[Column] = []
    group = ""
    for index in range(width):
        upper, lower = top.cell(index), sub.cell(index)
        upper_text, lower_text = text_of(upper), text_of(lower)
        if upper_text:
            group = upper_text
        elif not lower_text:
            group = ""
        upper_role = role_of(upper) if upper_text else None
        if upper_role not in (None, "value") or (upper_text and not lower_text):
            out.append(_column(index, upper_text, upper))  # 「指標名」, or a header written in one row
            continue
        if not lower_text:
            out.append(Column(index=index, label=group))
            continue
        label = f"{group} {lower_text}".strip() if group else lower_text
        combined = f"{group}{lower_text}" if group else lower_text
        column = _column(index, label, combined)
        if column.when is None and column.role is None:
            column = _column(index, label, lower)  # 「指標名」 written in the second row only
        out.append(column)
    return out


def _valid(columns: list[Column]) -> str | None:
    roles = {c.role for c in columns}
    if not roles & {"indicator", "indicator_id"}:
        return None
    if {"year", "value"} <= roles:
        return LONG
    if any(c.when is not None for c in columns):
        return WIDE
    return None


def _duplicate_roles(columns: list[Column]) -> list[tuple[Column, Column]]:
    seen: dict[str, Column] = {}
    dup = []
    for c in columns:
        if c.role not in ("indicator_id", "indicator", "year", "value", "note", "source"):
            continue  # 単位・基準値・目標値 may repeat (「令和7年度 目標」「令和8年度 目標」)
        if c.role in seen:
            dup.append((seen[c.role], c))
        else:
            seen[c.role] = c
    return dup


@dataclass(frozen=True)
class HeaderProblem:
    """Why no header was found, for the caller's message."""

    searched: int
    duplicate: tuple[Column, Column] | None = None
    line: int | None = None


def find_table(grid: Grid) -> Table | HeaderProblem:
    """Find the header and split the grid into header, data rows and lines before the header.

    Parameters
    ----------
    grid : Grid
        The rows of the file.

    Returns
    -------
    Table or HeaderProblem
        The table with ``skipped`` holding the lines above the header; or why no header was found.
    """
    rows = list(grid.rows)
    limit = min(len(rows), HEADER_SEARCH_ROWS)
    for position in range(limit):
        row = rows[position]
        if row.is_blank():
            continue
        single = _columns_single(row)
        layout = _valid(single)
        chosen, header = single, (row.line,)
        if position + 1 < len(rows):
            double = _columns_double(row, rows[position + 1])
            double_layout = _valid(double) if double is not None else None
            if double is not None and double_layout == WIDE and layout != LONG:
                chosen, layout, header = double, WIDE, (row.line, rows[position + 1].line)
        if layout is None:
            continue
        dup = _duplicate_roles(chosen)
        if dup:
            return HeaderProblem(searched=limit, duplicate=dup[0], line=row.line)
        if layout == WIDE:
            # A wide table reads the year columns; a 年度/実績値 column would be ambiguous there.
            chosen = [c if c.role not in ("year", "value") else Column(c.index, c.label, None, None) for c in chosen]
        skipped = [
            Skipped(r.line, SKIP_BLANK if r.is_blank() else SKIP_ABOVE, "" if r.is_blank() else row_text(r))
            for r in rows[:position]
        ]
        data = rows[position + len(header) :]
        return Table(grid=grid, layout=layout, header_lines=header, columns=chosen, rows=data, skipped=skipped)
    return HeaderProblem(searched=limit)
