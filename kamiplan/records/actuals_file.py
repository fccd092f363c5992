"""The actuals file: yearly values of the indicators, as other sections send them.

One reader for ``kamiplan report --actuals``, ``kamiplan import`` and the upload on the edit page.
:mod:`kamiplan.reading.tabular` reads the file (CSV/TSV in UTF-8, cp932 or UTF-16, or an Excel book) and
:mod:`kamiplan.reading.layout` finds the table in it (header not on line 1, notes below, long or wide). This
module reads each value:

- **Indicator**: an indicator ID or the plan's name, matched with :func:`kamiplan.reading.textkey.name_key`
  (〜/～, −/－/ー, spaces, full/half width); a name printed in two places resolves to its one series; a
  name that matches nothing is refused with the closest plan names (「もしかして」).
- **Year**: :func:`kamiplan.reading.when.parse_when` — ``R7``, ``令和7年度``, ``H27``, ``2025``, or a date, which
  goes to the fiscal year containing it (年度 indicators: 令和7年3月31日 → R6年度), its calendar year (年
  indicators: 社会増減), or its year (point-in-time indicators: 人口 4月1日). The date is kept with the
  value (``as_of``) and shown where it is not the indicator's usual day (国勢調査 10月1日).
- **Value**: full-width digits, commas, ▲/△, a unit after the number. Marks meaning "no value"
  (－ … x *** 不詳 未集計, blanks) are listed and skipped — ``dash_as_zero`` reads 「－」 as 0. A unit
  of the same family as the indicator's (98000人 for 万人) and values out of scale (more than 10× away
  from both the baseline and the target; a percentage ≤ 1 where the baseline is ≥ 5 %) are
  questioned: refused with a hint unless ``accept_unusual`` (then converted / kept as written).

All or nothing: any problem refuses the whole file, with every problem listed (line, column, what
was read, why, what to do). Text (notes, sources) stays text: never evaluated; exports neutralise
formulas.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from kamiplan.errors import InputError, Problem
from kamiplan.labels import indicator_ref
from kamiplan.plan.periods import CALENDAR_YEAR, FISCAL_YEAR
from kamiplan.plan.values import (
    NA_DASH,
    NA_MEANINGS,
    format_number,
    nfkc,
    parse_number,
    unit_of,
)
from kamiplan.reading.amounts import Amount, plan_numbers, read_amount, sentence
from kamiplan.reading.layout import (
    LONG,
    SKIP_BLANK,
    SKIP_HEADER_AGAIN,
    SKIP_HEADING,
    SKIP_NO_VALUE,
    SKIP_NOTE,
    SKIP_SAME_SERIES,
    SKIP_TOTAL,
    TOTAL_WORDS,
    Column,
    HeaderProblem,
    Skipped,
    Table,
    find_table,
    is_note,
    row_text,
    shorten,
    year_typed_as_date,
)
from kamiplan.reading.tabular import MAX_BYTES, XLSX, Grid, Row, Value, is_empty, read_grid, text_of
from kamiplan.reading.textkey import name_key, suggest
from kamiplan.reading.when import When, indicator_year, parse_when, year_ref

__all__ = ["MAX_BYTES", "ActualRecord", "ParsedActuals", "ReadOptions", "parse_actuals", "parse_year"]

MIN_YEAR, MAX_YEAR = 1950, 2035
MAX_TEXT = 2000


@dataclass(frozen=True)
class ReadOptions:
    """What the person chose when importing (CLI flags, checkboxes on the page)."""

    sheet: str | None = None  # Excel: the sheet to read (default: the first visible one)
    dash_as_zero: bool = False  # 「－」 means 0 in this statistics table (never guessed)
    accept_unusual: bool = False  # the person checked the questioned values: record them
    # What is already recorded ((series_id, year) → value): an unchanged value is not questioned again
    # (it was confirmed when it was saved; re-importing an export must not ask about it).
    recorded: Mapping[tuple[str, int], float] = field(default_factory=dict)


@dataclass(frozen=True)
class ActualRecord:
    """One value the file holds, in the indicator's unit."""

    line: int
    indicator_id: str
    series_id: str
    year: int
    value: float
    note: str
    source: str
    as_of: str = ""  # the date written (``2020-10-01``, ``2024-07``), "" when only a year was written
    column: str = ""
    read: str = ""  # the cell as written
    remark: str = ""  # how it was read when not literally (unit converted, 「－」 as 0, confirmed)


@dataclass(frozen=True)
class Notice:
    """A warning or a questioned value, for the preview (and, unconfirmed, a refusal)."""

    line: int
    column: str
    subject: str
    message: str
    value: str = ""

    def problem(self, path: str) -> Problem:
        return Problem(self.message, path, self.line, self.column, self.value, self.subject)


@dataclass
class ParsedActuals:
    records: list[ActualRecord]
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    unusual: list[Notice] = field(default_factory=list)  # questioned values the person confirmed
    ignored_columns: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    roles: frozenset[str] = frozenset()  # which columns the file has: indicator, year, value, note, source…
    layout: str = LONG
    source_label: str = ""
    header_lines: tuple[int, ...] = ()
    sheets: tuple[str, ...] = ()
    dashes: int = 0  # values written 「－」 and read as no value (``dash_as_zero`` reads them as 0)

    def frame(self) -> pd.DataFrame:
        """Columns line, indicator_id, series_id, year, value, note, source, as_of."""
        return pd.DataFrame(
            [
                {
                    "line": r.line,
                    "indicator_id": r.indicator_id,
                    "series_id": r.series_id,
                    "year": r.year,
                    "value": r.value,
                    "note": r.note,
                    "source": r.source,
                    "as_of": r.as_of,
                }
                for r in self.records
            ],
            columns=["line", "indicator_id", "series_id", "year", "value", "note", "source", "as_of"],
        )


class UnusualValuesError(InputError):
    """The file is readable, but values were questioned and not confirmed (``accept_unusual``)."""

    def __init__(self, problems: list[Problem], unusual: list[Notice]) -> None:
        self.unusual = unusual
        super().__init__(problems)


# -- indicators ---------------------------------------------------------------------------------------
class IndicatorResolver:
    """Find the indicator of an ID or a name as people write it."""

    def __init__(self, indicators: pd.DataFrame) -> None:
        self.rows = {r["indicator_id"]: r for r in indicators.to_dict("records")}
        self.by_id = {name_key(i): i for i in self.rows}
        self.by_name: dict[str, set[str]] = {}
        for r in self.rows.values():
            for key in {name_key(r["name"]), name_key(r["label"])}:
                self.by_name.setdefault(key, set()).add(r["indicator_id"])
        self.choices = {indicator_ref(r): r["label"] for r in self.rows.values()}

    def resolve(self, text: str) -> tuple[str | None, str]:
        """Return (indicator_id, "") or (None, reason in Japanese, with suggestions)."""
        key = name_key(text)
        if not key:
            return None, "指標が空です。指標名か指標IDを書いてください"
        if key in self.by_id:
            return self.by_id[key], ""
        ids = self.by_name.get(key, set())
        # 「人口(0-V1)」: the way kamiplan itself names an indicator.
        m = re.fullmatch(r"(?P<name>.+)\((?P<id>[^()]+)\)", key)
        if not ids and m and m.group("id") in self.by_id:
            found = self.by_id[m.group("id")]
            if name_key(self.rows[found]["label"]) == m.group("name") or name_key(self.rows[found]["name"]) == m.group(
                "name"
            ):
                return found, ""
        series = {self.rows[i]["series_id"] for i in ids}
        if len(series) == 1:
            # A name printed in two places: report it under its first (plan-wide) row.
            return min(ids, key=lambda i: self.rows[i]["seq"]), ""
        if len(series) > 1:
            names = "、".join(sorted({indicator_ref(self.rows[i]) for i in ids}))
            return None, f"この名前の指標が複数あります({names})。区別できる名前か指標IDで書いてください"
        hint = suggest(text, self.choices)
        maybe = f"もしかして: {'、'.join(hint)}。" if hint else ""
        return None, f"計画にない指標です。{maybe}指標IDか計画書どおりの指標名で書いてください"


# -- years ----------------------------------------------------------------------------------------------
_SPLIT_HEAD = re.compile(r"[▲△+\-−ー]?\d{1,3}")
_SPLIT_TAIL = re.compile(r"\d{3}(?:,\d{3})*(?:\.\d+)?\s*[^\d\s,]{0,4}")
OUT_OF_RANGE = f"年が範囲外です({MIN_YEAR}〜{MAX_YEAR}年)。令和7年度なら 2025 か R7 と書きます"
_BARE_NUMBER = re.compile(r"^[+-]?\d+(?:\.0+)?$")


def parse_year(text: str, year_basis: str = FISCAL_YEAR) -> tuple[int | None, str]:
    """A Western year from ``2025`` / ``R7`` / ``令和7年度`` / ``H27`` / ``2025年度`` (for commands and the form).

    A bare number is a year (never an Excel serial here): ``7`` and ``2205`` are out of range. A date goes
    to the indicator's year as in the import files (``R7年度末`` = 2026-03-31 → 2025 for a 年度 indicator).
    """
    norm = nfkc(str(text)).strip()
    if not norm:
        return None, "年度が空です"
    if _BARE_NUMBER.match(norm):
        year = int(float(norm))
    else:
        when = parse_when(norm)
        if when is None:
            return None, "年度として読めません(例: 2025、R7、令和7年度)"
        year = indicator_year(when, year_basis)
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None, OUT_OF_RANGE
    return year, ""


def _as_of(when: When) -> str:
    if when.date is None:
        return ""
    return when.date.strftime("%Y-%m") if when.month_only else when.date.isoformat()


_BASIS_WORD = {FISCAL_YEAR: "年度(4月〜翌年3月)", CALENDAR_YEAR: "年(1〜12月)"}


# -- values -----------------------------------------------------------------------------------------------
def _header_problem(found: HeaderProblem, grid: Grid) -> InputError:
    name = grid.filename
    if found.duplicate is not None:
        a, b = found.duplicate
        return InputError(
            [
                Problem(
                    f"同じ意味の列が2つあります(「{a.label}」と「{b.label}」)。どちらかの列を消してください",
                    name,
                    found.line,
                    b.label,
                )
            ]
        )
    first = next((r for r in grid.rows if not r.is_blank()), None)
    seen = f"1つ目の行は「{row_text(first)}」です。" if first is not None else ""
    if grid.kind == XLSX:
        others = [n for n in grid.sheets if n != grid.sheet]
        seen = f"シート「{grid.sheet}」を読みました。{seen}"
        if others:
            listed = "、".join(f"「{n}」" for n in others)
            seen += f"ほかのシート({listed})の表なら、シートを選んでください(コマンドでは --sheet シート名)。"
    return InputError(
        [
            Problem(
                f"表の見出し行が見つかりません(最初の{found.searched}行を探しました)。{seen}"
                "見出しには、指標の列(「指標」「指標名」「項目」「指標ID」)と、"
                "「年度」「実績値」の列(縦長の表)か、年度ごとの列(「R7」「令和7年度」「2025年度」。横長の表)が必要です",
                name,
            )
        ]
    )


def parse_actuals(
    data: bytes, indicators: pd.DataFrame, filename: str = "", options: ReadOptions | None = None
) -> ParsedActuals:
    """Read an actuals file (all or nothing).

    Parameters
    ----------
    data : bytes
        The file content (CSV/TSV or .xlsx, at most 2 MB).
    indicators : DataFrame
        Rows of ``indicators.parquet`` (IDs, names, units, bounds, baselines, targets, year basis).
    filename : str
        Used in messages.
    options : ReadOptions, optional
        Sheet, 「－」 as 0, confirmed unusual values.

    Returns
    -------
    ParsedActuals
        The values, and every line not used with its reason.

    Raises
    ------
    InputError
        Listing every problem (line, column, what was read, why, what to do) when anything can't be read;
        :class:`UnusualValuesError` when the only problems are questioned values not yet confirmed.
    """
    options = options or ReadOptions()
    grid = read_grid(data, filename, options.sheet)
    found = find_table(grid)
    if isinstance(found, HeaderProblem):
        raise _header_problem(found, grid)
    return _Reader(found, indicators, options).read()


class _Reader:
    def __init__(self, table: Table, indicators: pd.DataFrame, options: ReadOptions) -> None:
        self.table = table
        self.grid = table.grid
        self.options = options
        self.resolver = IndicatorResolver(indicators)
        self.excel = self.grid.kind == XLSX
        self.problems: list[Problem] = []
        self.unusual_open: list[Notice] = []
        self.unusual_accepted: list[Notice] = []
        self.warnings: list[Notice] = []
        self.records: list[ActualRecord] = []
        self.skipped: list[Skipped] = list(table.skipped)
        self.seen: dict[tuple[str, int], tuple[int, str, float | None, str]] = {}
        self.dashes = 0  # 「－」 read as no value (the caller says how to read them as 0)

    # helpers
    def col(self, column: Column | None) -> str:
        return column.name(self.excel) if column is not None else ""

    def cell(self, row: Row, role: str) -> Value:
        column = self.table.column(role)
        return row.cell(column.index) if column is not None else None

    def text(self, row: Row, role: str) -> str:
        return text_of(self.cell(row, role))

    def problem(self, message: str, line: int, column: Column | None, value: str = "", subject: str = "") -> None:
        self.problems.append(Problem(message, self.grid.filename, line, self.col(column), shorten(value, 60), subject))

    def read(self) -> ParsedActuals:
        if all(row.is_blank() for row in self.table.rows):
            raise InputError([Problem("見出し行だけで、データの行がありません", self.grid.filename)])
        width = max(c.index for c in self.table.columns) + 1
        self.check_columns()
        for row in self.table.rows:
            extra = [c for c in row.cells[width:] if not is_empty(c)]
            if extra and not self.excel:
                # 人口,R7,2,390 — an unquoted thousands comma would otherwise store 2.
                self.problem(
                    f"列の数({len(row.cells)})が見出し行({width})より多いです。"
                    '「2,390」のようにカンマを含む数値は「"」で囲むか、カンマなしで書きます',
                    row.line,
                    None,
                    row_text(row),
                )
                continue
            if extra:
                self.warnings.append(
                    Notice(
                        row.line,
                        "",
                        "",
                        f"見出しのない列の内容は読みません:「{shorten(' '.join(map(text_of, extra)))}」",
                    )
                )
            if row.is_blank():
                self.skipped.append(Skipped(row.line, SKIP_BLANK))
                continue
            if is_note(row):
                self.skipped.append(Skipped(row.line, SKIP_NOTE, row_text(row)))
                continue
            if self.repeated_header(row):
                self.skipped.append(Skipped(row.line, SKIP_HEADER_AGAIN, row_text(row)))
                continue
            if row.line in self.grid.hidden_rows:
                self.warnings.append(
                    Notice(
                        row.line,
                        "",
                        "",
                        "Excel で非表示にされている行です。値は読み込みました(読み込まないときは行を消します)",
                    )
                )
            indicator_id = self.indicator_of(row)
            if indicator_id is None:
                continue
            if self.table.layout == LONG:
                self.read_long(row, indicator_id)
            else:
                self.read_wide(row, indicator_id)
        if self.problems or self.unusual_open:
            problems = self.problems + [n.problem(self.grid.filename) for n in self.unusual_open]
            if not self.problems:
                raise UnusualValuesError(problems, self.unusual_open)
            raise InputError(problems)
        if not self.records:
            listed = (
                f"(読み飛ばした行 {len(self.skipped)}行: "
                + "、".join(f"{s.line}行目 {s.reason}" for s in self.skipped[:8])
                + ("…" if len(self.skipped) > 8 else "")
                + ")"
            )
            raise InputError([Problem(f"値の入った行がありません{listed if self.skipped else ''}", self.grid.filename)])
        return ParsedActuals(
            records=self.records,
            skipped=sorted(self.skipped, key=lambda s: s.line),
            warnings=self.warnings,
            unusual=self.unusual_accepted,
            ignored_columns=self.table.ignored(),
            encoding=self.grid.encoding,
            roles=self.table.roles,
            layout=self.table.layout,
            source_label=self.grid.source_label,
            header_lines=self.table.header_lines,
            sheets=self.grid.sheets,
            dashes=self.dashes,
        )

    def check_columns(self) -> None:
        """Columns that name a year the reader cannot read, holding values: refused, never dropped."""
        for column in self.table.columns:
            if column.index in self.grid.hidden_columns and (column.when is not None or column.role == "value"):
                self.warnings.append(
                    Notice(
                        0,
                        self.col(column),
                        "",
                        "Excel で非表示にされている列です。値は読み込みました(読み込まないときは列を消します)",
                    )
                )
            if not column.year_like:
                continue
            filled = [r.line for r in self.table.rows if not is_empty(r.cell(column.index)) and not is_note(r)]
            if filled:
                self.problem(
                    "年度の列のようですが、どの年度か読み取れません。見出しを「R8」「令和8年度」「2026年度」のように"
                    "書き直してください(値の入った行: " + "・".join(f"{n}行目" for n in filled[:5]) + ")",
                    self.table.header_lines[-1],
                    column,
                    column.label,
                )

    def repeated_header(self, row: Row) -> bool:
        """The header again (two files pasted one under the other)."""
        header = [c.label for c in self.table.columns]
        cells = [text_of(c) for c in row.cells]
        return bool(cells) and cells[: len(header)] == header[: len(cells)] and len([c for c in cells if c]) >= 2

    def has_values(self, row: Row) -> bool:
        if self.table.layout == LONG:
            return not is_empty(self.cell(row, "value")) or not is_empty(self.cell(row, "year"))
        return any(not is_empty(row.cell(c.index)) for c in self.table.year_columns)

    def indicator_of(self, row: Row) -> str | None:
        id_col, name_col = self.table.column("indicator_id"), self.table.column("indicator")
        id_text, name_text = self.text(row, "indicator_id"), self.text(row, "indicator")
        if not id_text and not name_text:
            if self.has_values(row):
                self.problem("指標が空です。指標名か指標IDを書いてください", row.line, name_col or id_col)
            else:
                self.skipped.append(Skipped(row.line, SKIP_HEADING, row_text(row)))
            return None
        if id_text:
            found, reason = self.resolver.resolve(id_text)
            if found is None:
                self.problem(reason, row.line, id_col, id_text)
                return None
            if name_text:
                by_name, _ = self.resolver.resolve(name_text)
                rows = self.resolver.rows
                if by_name is None or rows[by_name]["series_id"] != rows[found]["series_id"]:
                    self.problem(
                        f"指標IDと指標名が合いません(指標ID {found} は「{rows[found]['label']}」です)。どちらが正しいか確かめてください",
                        row.line,
                        name_col,
                        name_text,
                    )
                    return None
            return found
        if name_key(name_text) in TOTAL_WORDS:
            self.skipped.append(Skipped(row.line, SKIP_TOTAL, row_text(row), self.col(name_col)))
            return None
        found, reason = self.resolver.resolve(name_text)
        if found is None:
            if not self.has_values(row):
                # A group heading of a statistics table (「【子育て】」): listed, not an error.
                self.skipped.append(Skipped(row.line, SKIP_HEADING, row_text(row), self.col(name_col)))
                return None
            self.problem(reason, row.line, name_col, name_text)
        return found

    def subject(self, ind: dict, year: int | None) -> str:
        ref = indicator_ref(ind)
        return f"{ref}・{year_ref(year, ind['year_basis'])}" if year is not None else ref

    def unit_column(self, row: Row, ind: dict) -> str:
        column = self.table.column("unit")
        if column is None:
            return ""
        written = unit_of(self.text(row, "unit"))
        if written and written != ind["unit"]:
            self.warnings.append(
                Notice(
                    row.line,
                    self.col(column),
                    indicator_ref(ind),
                    f"単位「{written}」が計画の単位「{ind['unit'] or 'なし'}」と違います。値がどちらの単位か確かめてください",
                    written,
                )
            )
        return written

    def check_baseline(self, row: Row, ind: dict) -> None:
        column = self.table.column("baseline")
        if column is None:
            return
        written = self.text(row, "baseline")
        cell = self.cell(row, "baseline")
        number = float(cell) if isinstance(cell, (int, float)) and not isinstance(cell, bool) else None
        if number is None and written:
            parsed = parse_number(written)
            number = parsed.value if parsed is not None else None
        plan = ind.get("baseline_value")
        if number is None or plan is None or pd.isna(plan):
            return
        if abs(number - float(plan)) > 1e-9 * max(1.0, abs(float(plan))):
            self.warnings.append(
                Notice(
                    row.line,
                    self.col(column),
                    indicator_ref(ind),
                    f"基準値「{written}」が計画の基準値 {ind['baseline_label']} と違います(基準値は取り込みません)",
                    written,
                )
            )

    def when_year(self, when: When, ind: dict, row: Row, column: Column) -> int | None:
        year = indicator_year(when, ind["year_basis"])
        if not MIN_YEAR <= year <= MAX_YEAR:
            self.problem(
                f"年が範囲外です({MIN_YEAR}〜{MAX_YEAR}年)。令和7年度なら 2025 か R7 と書きます",
                row.line,
                column,
                when.text,
                indicator_ref(ind),
            )
            return None
        basis = ind["year_basis"]
        if when.basis and basis in _BASIS_WORD and when.basis != basis and when.basis in _BASIS_WORD:
            self.warnings.append(
                Notice(
                    row.line,
                    self.col(column),
                    self.subject(ind, year),
                    f"この指標は{_BASIS_WORD[basis]}で数えます。「{when.text}」を {year_ref(year, basis)} として読みました",
                    when.text,
                )
            )
        return year

    def add(
        self,
        row: Row,
        ind: dict,
        year: int,
        when: When,
        cell: Value,
        column: Column,
        note: str = "",
        source: str = "",
        unit_written: str = "",
        year_column: Column | None = None,
    ) -> None:
        subject = self.subject(ind, year)
        if (row.line, column.index) in self.grid.merged_copies:
            self.problem(
                "結合されたセルの値です。1つの値が複数の年度・指標に数えられてしまうため、受け付けません。"
                "セルの結合を解除し、値はそれぞれのセルに入れてください",
                row.line,
                column,
                text_of(cell),
                subject,
            )
            return
        if isinstance(cell, (dt.date, dt.datetime)):
            self.problem(
                f"実績値のセルが日付({text_of(cell)})になっています。Excel でセルの書式を「数値」にして入力し直してください",
                row.line,
                column,
                text_of(cell),
                subject,
            )
            return
        amount = read_amount(cell, ind, unit_written, self.options.dash_as_zero)
        read = text_of(cell)
        key = (ind["series_id"], year)
        if key in self.seen:
            first_line, first_id, first_value, first_column = self.seen[key]
            same_value = amount.value is not None and first_value is not None and amount.value == first_value
            if same_value and first_id != ind["indicator_id"]:
                # The plan prints 合計特殊出生率 and 社会増減数 in two places: one indicator, one value.
                self.skipped.append(
                    Skipped(
                        row.line,
                        SKIP_SAME_SERIES,
                        subject,
                        self.col(column),
                        f"{first_line}行目の {first_id} と同じ指標(計画書の2か所に載っています)・同じ値",
                    )
                )
                return
            where = f"{first_line}行目" if first_line != row.line else f"列「{first_column}」"
            shared = (
                f"(指標 {first_id} と {ind['indicator_id']} は計画書の2か所に載っている同じ指標です)"
                if first_id != ind["indicator_id"]
                else ""
            )
            self.problem(
                f"同じ指標・同じ年度の値が{where}にもあります{shared}。どちらか一方にしてください",
                row.line,
                year_column or column,
                text_of(cell) if year_column is None else text_of(self.cell(row, "year")),
                subject,
            )
            return
        self.seen[key] = (row.line, ind["indicator_id"], amount.value, self.col(column))
        if amount.refused:
            self.problem(amount.refused, row.line, column, read, subject)
            return
        if amount.na is not None:
            detail = f"「{read}」: {NA_MEANINGS[amount.na]}" if read else NA_MEANINGS[amount.na]
            if amount.na == NA_DASH:
                self.dashes += 1
            self.skipped.append(Skipped(row.line, SKIP_NO_VALUE, subject, self.col(column), detail))
            return
        remark = ""
        recorded = self.options.recorded.get(key)
        if amount.unusual and recorded is not None and abs(recorded - amount.value) <= 1e-12 * max(1.0, abs(recorded)):
            amount = Amount(value=amount.value, converted_from=amount.converted_from)
        if amount.unusual:
            stored = f"確かめると「{format_number(amount.value)}{ind['unit']}」として記録します。"
            message = sentence(amount.unusual) + stored + plan_numbers(ind)
            notice = Notice(row.line, self.col(column), subject, message, read)
            if self.options.accept_unusual:
                self.unusual_accepted.append(notice)
                remark = "確認済み: " + (
                    f"{amount.converted_from} を換算" if amount.converted_from else "書かれたとおり"
                )
            else:
                self.unusual_open.append(notice)
                return
        elif amount.converted_from:
            remark = f"「{amount.converted_from}」を 0 として記録"
        for role, text_value in (("note", note), ("source", source)):
            if len(text_value) > MAX_TEXT:
                self.problem(
                    f"{MAX_TEXT}文字を超えています", row.line, self.table.column(role), text_value[:20], subject
                )
                return
        self.records.append(
            ActualRecord(
                line=row.line,
                indicator_id=ind["indicator_id"],
                series_id=ind["series_id"],
                year=year,
                value=float(amount.value),
                note=note,
                source=source,
                as_of=_as_of(when),
                column=self.col(column),
                read=read,
                remark=remark,
            )
        )

    def read_long(self, row: Row, indicator_id: str) -> None:
        ind = self.resolver.rows[indicator_id]
        year_col, value_col = self.table.column("year"), self.table.column("value")
        year_cell = self.cell(row, "year")
        when = year_typed_as_date(year_cell)
        if when is not None:
            self.warnings.append(
                Notice(
                    row.line,
                    self.col(year_col),
                    indicator_ref(ind),
                    f"日付の書式のセルに {when.year} と入力されています(Excel では {text_of(year_cell)} と表示)。"
                    f"{when.year}年として読みました",
                )
            )
        elif not is_empty(year_cell):
            when = parse_when(year_cell)
        if when is None:
            if is_empty(year_cell):
                reason = "年度が空です(例: 2025、R7、令和7年度、令和7年3月31日)"
            elif _BARE_NUMBER.match(nfkc(text_of(year_cell))):
                reason = OUT_OF_RANGE
            else:
                reason = "年度として読めません(例: 2025、R7、令和7年度、令和7年3月31日)"
            self.problem(reason, row.line, year_col, text_of(year_cell), indicator_ref(ind))
            return
        year = self.when_year(when, ind, row, year_col)
        if year is None:
            return
        self.check_baseline(row, ind)
        if self.split_number(row, value_col):
            return
        note, source = self.text(row, "note"), self.text(row, "source")
        unit = self.unit_column(row, ind)
        self.add(row, ind, year, when, self.cell(row, "value"), value_col, note, source, unit, year_col)

    def split_number(self, row: Row, value_col: Column | None) -> bool:
        """``人口,R7,2,390,…`` written without quotes: the thousands comma split the number in two."""
        if value_col is None or self.grid.kind == XLSX:
            return False
        here, after = row.cell(value_col.index), row.cell(value_col.index + 1)
        if not (isinstance(here, str) and isinstance(after, str)):
            return False
        if _SPLIT_HEAD.fullmatch(nfkc(here).strip()) and _SPLIT_TAIL.fullmatch(nfkc(after).strip()):
            self.problem(
                f"数値「{here.strip()},{after.strip()}」の桁区切りのカンマで、値が2つの列に分かれています。"
                'カンマを含む数値は「"」で囲むか、カンマなしで書きます',
                row.line,
                value_col,
                f"{here},{after}",
            )
            return True
        return False

    def split_across(self, cell: Value, after: Value, ind: dict) -> bool:
        """``人口,人,2,390`` in a wide CSV: R7=2 and R8=390 — caught when the head is out of scale for the indicator."""
        if self.excel or not isinstance(cell, str) or not isinstance(after, str):
            return False
        head, tail = nfkc(cell).strip(), nfkc(after).strip()
        if not (_SPLIT_HEAD.fullmatch(head) and re.fullmatch(r"\d{3}", tail)):
            return False
        # 「105,000」 → 105 | 000: no value is written with a leading 0. Otherwise only a head out of scale tells.
        return tail.startswith("0") or bool(read_amount(cell, ind).unusual)

    def read_wide(self, row: Row, indicator_id: str) -> None:
        ind = self.resolver.rows[indicator_id]
        self.check_baseline(row, ind)
        unit_written = self.unit_column(row, ind)
        blanks: list[str] = []
        filled: list[tuple[int, Column, Value]] = []
        columns = self.table.year_columns
        for position, column in enumerate(columns):
            cell = row.cell(column.index)
            if is_empty(cell):
                blanks.append(column.label)
                continue
            after = row.cell(columns[position + 1].index) if position + 1 < len(columns) else None
            if self.split_across(cell, after, ind):
                self.problem(
                    f"数値「{text_of(cell)},{text_of(after)}」の桁区切りのカンマで、値が2つの年度の列に分かれているようです。"
                    'カンマを含む数値は「"」で囲むか、カンマなしで書きます',
                    row.line,
                    column,
                    f"{text_of(cell)},{text_of(after)}",
                    indicator_ref(ind),
                )
                return
            year = self.when_year(column.when, ind, row, column)
            if year is None:
                continue
            filled.append((year, column, cell))
        note, source = self.text(row, "note"), self.text(row, "source")
        if (note or source) and len(filled) > 1:
            # A 備考 beside several years' values: which year it explains is not written. Not guessed.
            columns_read = "・".join(c.label for c in (self.table.column("note"), self.table.column("source")) if c)
            self.warnings.append(
                Notice(
                    row.line,
                    columns_read,
                    indicator_ref(ind),
                    "この行には年度の値が複数あるため、備考・出典は記録しませんでした"
                    "(どの年度の説明か分からないため)。「指標ごとに入力」か縦長の表で記録してください",
                    shorten(" ".join(t for t in (note, source) if t)),
                )
            )
            note, source = "", ""
        for year, column, cell in filled:
            self.add(row, ind, year, column.when, cell, column, note, source, unit_written)
        if blanks:
            self.skipped.append(
                Skipped(row.line, SKIP_NO_VALUE, indicator_ref(ind), "・".join(blanks), NA_MEANINGS["blank"])
            )
