"""効果検証シート: the Excel book of one fiscal year for the 外部有識者会議 (``python -m kamiplan review-sheet``).

Three sheets, as the 総合戦略 効果検証 of Japanese municipalities hands them to its committee (issue 13
item 5): 「総括」 (indicator grades, project grades and 実施状況 counted per 大綱 and per 基本計画, with
totals), 「指標」 (one row per indicator row of the plan: plan values, each plan year's actual, the
evaluation, 要因分析 and 出典) and 「事業」 (one row per 実施計画 row, 再掲 rows showing their
original's record). 「指標」 and 「事業」 end with empty 「委員意見」「対応方針」 columns for the committee.

Nothing is evaluated here: the indicators' numbers and grades are those of the progress report
(:func:`kamiplan.outputs.report.build_report`), the projects' counts those of
:mod:`kamiplan.model.project_rollup`. This module only lays them out for Excel and the printer
(A4 landscape, fitted to the width, the header row on every page).
"""

from __future__ import annotations

import io
import math
import unicodedata
from copy import copy
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from kamiplan import labels
from kamiplan.errors import InputError, Problem
from kamiplan.model import dashboard, project_rollup
from kamiplan.model.progress import CUMULATIVE
from kamiplan.model.trajectory import RECORDED_DECIMALS, decimals_of, plan_decimals
from kamiplan.outputs.export import today_jst
from kamiplan.outputs.report import ROUND, build_report
from kamiplan.plan import queries
from kamiplan.plan.periods import period_label, reiwa, year_label
from kamiplan.records.projects import grade_text as project_grade_text

# A Japanese face Excel has on Windows and macOS (LibreOffice substitutes its own CJK font).
FONT_NAME = "游ゴシック"
FONT_SIZE = 10
LINE_HEIGHT = 17.0  # points per wrapped line at FONT_SIZE (Excel's row for 游ゴシック 11 pt is 18.75)
WIDE = 2  # a full-width character takes about two of Excel's width units (the width of "0")
MAX_ACTUAL_DECIMALS = RECORDED_DECIMALS  # a recorded actual is shown as recorded, up to 3 places
AMOUNT_FORMAT = "#,##0"  # 千円, as on every municipal 事業評価シート
PERCENT_FORMAT = '0.0%;"▲"0.0%'
COUNT_FORMAT = "#,##0"

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_COMMITTEE_FILL = PatternFill("solid", fgColor="FFF2CC")  # the columns the committee fills in
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_FONT = Font(name=FONT_NAME, size=FONT_SIZE)
_BOLD = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
_TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)

# How each kind of column is shown: width (Excel units) and whether long text wraps.
TEXT, WRAP, NUMBER, PERCENT, AMOUNT, COUNT = "text", "wrap", "number", "percent", "amount", "count"
COMMITTEE = "committee"  # empty, for the committee to fill in
COMMITTEE_WIDTH = 14
GROUP_WIDTH = 34  # the 総括's first column: 「大綱1(1) 安心して子どもを産み育てられるまちづくり」 in two lines
COUNT_WIDTH = 7.5
AMOUNT_WIDTH = 11  # 千円 sums of a year: 「1,234,567」 must not show as ####
# A4 landscape holds about 150 width units at 100 %: the 「指標」 and 「事業」 tables (~230) print at about
# 65 % (10 pt type as 6.5 pt), the 総括 (~180) at about 80 %. Widths are kept to what the contents need.


@dataclass(frozen=True)
class Column:
    """One column of a table: its header, its kind (``TEXT`` … ``COUNT``) and its width in Excel units."""

    header: str
    kind: str
    width: float


@dataclass
class Table:
    """A table for one sheet: columns, rows of values (None = empty cell) and, for ``NUMBER`` columns,
    one number format per row (the plan writes each indicator with its own decimals)."""

    columns: list[Column]
    rows: list[list]
    formats: dict[str, list[str]] = field(default_factory=dict)
    total_rows: frozenset[int] = frozenset()  # indexes of rows to show as totals


@dataclass(frozen=True)
class ReviewData:
    """Everything the book shows, computed once (see :func:`review_data`)."""

    info: dict
    year: int
    indicator_rows: int
    indicators: Table
    projects: Table
    indicator_rollups: dict[str, Table]  # "pillar" / "policy"
    project_rollups: dict[str, Table]


# -- numbers -----------------------------------------------------------------------------------------
def number_format(decimals: int) -> str:
    """An Excel number format with thousands separators, ``decimals`` places and ▲ for minus (▲41)."""
    base = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return f'{base};"▲"{base}'


def _number(value) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)


def _text(value) -> str | None:
    """A cell's text: None for empty (never the words None / nan), characters Excel refuses removed."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return text if text.strip() else None


# -- the data ----------------------------------------------------------------------------------------
def _check_year(info: dict, year: int) -> None:
    start, end = int(info["start_year"]), int(info["end_year"])
    if not start <= year <= end:
        raise InputError(
            [
                Problem(
                    labels.REVIEW_YEAR_OUTSIDE.format(start=year_label(start), end=year_label(end)),
                    value=str(year),
                )
            ]
        )


def _pillar_names(pillars: pd.DataFrame) -> dict[int, str]:
    """大綱 number → 「大綱1 健康で心豊かに暮らせるまち」 (0 → 計画全体)."""
    names = {int(r.pillar): f"大綱{int(r.pillar)} {r.short_name}" for r in pillars.itertuples()}
    return {0: labels.REVIEW_PLAN_WIDE, **names}


def _policy_names(policies: pd.DataFrame) -> dict[tuple[int, int], str]:
    """(大綱, 基本計画) → 「(1) 安心して子どもを産み育てられるまちづくり」 (plan-wide rows have none)."""
    return {(int(r.pillar), int(r.policy)): f"({int(r.policy)}) {r.name}" for r in policies.itertuples()}


def _circled(n: int) -> str:
    return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"


def indicator_table(
    report: pd.DataFrame,
    indicators: pd.DataFrame,
    actuals: pd.DataFrame,
    pillars: pd.DataFrame,
    policies: pd.DataFrame,
    years: list[int],
    year: int,
) -> Table:
    """The sheet 「指標」: one row per indicator row, numbers and grades as the report has them.

    Parameters
    ----------
    report : DataFrame
        :func:`kamiplan.outputs.report.build_report` for the evaluation year (one row per indicator row).
    indicators : DataFrame
        The plan's indicator rows (:func:`kamiplan.plan.queries.indicators`), same rows as ``report``.
    actuals : DataFrame
        Recorded actuals: ``series_id``, ``year``, ``value``, ``note``, ``source``.
    pillars, policies : DataFrame
        The plan's 大綱 and 基本計画, for their names.
    years : list of int
        The plan years shown as columns (R7 … R11).
    year : int
        The evaluation year (its 要因分析 and 出典 are shown).

    Returns
    -------
    Table
        Columns :data:`kamiplan.labels.REVIEW_INDICATOR_COLUMNS` with the years after 目標年, then the
        committee's two empty columns. 進捗率・達成率 are fractions (0.523 shown 52.3%); plan values are
        shown with the plan's decimals, recorded actuals as recorded (up to 3 places), 計画線上の値 with one
        place more than the plan (as on screen, :func:`kamiplan.model.dashboard.indicator_table`).
    """
    h = labels.REVIEW_INDICATOR_COLUMNS
    cells = {(str(r["series_id"]), int(r["year"])): r for r in actuals.to_dict("records")}
    by_id = {r["indicator_id"]: r for r in indicators.to_dict("records")}
    pillar_names, policy_names = _pillar_names(pillars), _policy_names(policies)
    year_headers = [year_label(y) for y in years]
    columns = [
        Column(h["indicator_id"], TEXT, 7),
        Column(h["pillar"], WRAP, 10),
        Column(h["policy"], WRAP, 12),
        Column(h["section"], WRAP, 9),
        Column(h["name"], WRAP, 16),
        Column(h["unit"], WRAP, 5),
        Column(h["baseline_value"], NUMBER, 8),
        Column(h["baseline_period"], WRAP, 8),
        Column(h["target_value"], NUMBER, 8),
        Column(h["target_period"], WRAP, 8),
        *[Column(header, NUMBER, 8) for header in year_headers],
        Column(h["actual"], NUMBER, 9),
        Column(h["expected"], NUMBER, 8),
        Column(h["progress"], PERCENT, 7),
        Column(h["achievement"], PERCENT, 7),
        Column(h["grade"], WRAP, 8),
        Column(h["note"], WRAP, 18),
        Column(h["source"], WRAP, 10),
    ]
    plan_headers = (h["baseline_value"], h["target_value"])
    actual_headers = (*year_headers, h["actual"])
    formats: dict[str, list[str]] = {c.header: [] for c in columns if c.kind == NUMBER}
    rows = []
    for r in report.to_dict("records"):
        ind = by_id[r["indicator_id"]]
        series = str(ind["series_id"])
        places = plan_decimals(ind)
        basis = str(ind["year_basis"])
        target_period = period_label(int(ind["target_year"]), basis, str(ind["target_as_of"] or ""))
        if r["kind"] == CUMULATIVE:
            target_period += labels.REVIEW_CUMULATIVE_TARGET
        baseline_period = None
        if not pd.isna(ind["baseline_year"]):
            baseline_period = period_label(int(ind["baseline_year"]), basis, str(ind["baseline_as_of"] or ""))
        yearly = [_number(cells.get((series, y), {}).get("value")) for y in years]
        cell = cells.get((series, year), {})
        expected = _number(r["expected"])
        values = {
            h["indicator_id"]: r["indicator_id"],
            h["pillar"]: pillar_names[int(r["pillar"])],
            h["policy"]: policy_names.get((int(r["pillar"]), int(r["policy"]))),
            h["section"]: ind["section_label"],
            h["name"]: r["name"],
            h["unit"]: r["unit"],
            h["baseline_value"]: _number(r["baseline_value"]),
            h["baseline_period"]: baseline_period,
            h["target_value"]: _number(r["target_value"]),
            h["target_period"]: target_period,
            **dict(zip(year_headers, yearly, strict=True)),
            h["actual"]: None if _number(r["actual"]) is None else round(float(r["actual"]), ROUND),
            h["expected"]: None if expected is None else round(expected, places + 1),
            h["progress"]: _fraction(r["progress_pct"]),
            h["achievement"]: _fraction(r["achievement_pct"]),
            h["grade"]: f"{labels.GRADE_SYMBOLS[r['grade']]} {r['grade_label']}",
            h["note"]: cell.get("note"),
            h["source"]: cell.get("source"),
        }
        rows.append([values[c.header] for c in columns])
        for header in plan_headers:
            formats[header].append(number_format(places))
        for header in actual_headers:
            shown = values[header]
            decimals = min(max(places, decimals_of(shown)), MAX_ACTUAL_DECIMALS)
            formats[header].append(number_format(decimals))
        formats[h["expected"]].append(number_format(places + 1))
    return Table(_with_committee(columns), [[*row, None, None] for row in rows], formats)


def _fraction(pct) -> float | None:
    """A percentage (52.34) as the fraction Excel formats as 52.3%, rounded to the 0.1 % shown."""
    value = _number(pct)
    return None if value is None else round(round(value, 1) / 100, 4)


def _with_committee(columns: list[Column]) -> list[Column]:
    return [*columns, *(Column(header, COMMITTEE, COMMITTEE_WIDTH) for header in labels.REVIEW_COMMITTEE_COLUMNS)]


def project_sheet_table(
    table: pd.DataFrame, pillars: pd.DataFrame, policies: pd.DataFrame, measures: pd.DataFrame
) -> Table:
    """The sheet 「事業」: one row per 実施計画 row with the year's record (a 再掲 row with its original's).

    Parameters
    ----------
    table : DataFrame
        :func:`kamiplan.model.project_rollup.project_table` for the evaluation year (196 rows for the plan).
    pillars, policies, measures : DataFrame
        The plan's 大綱, 基本計画 and 施策, for their names.

    Returns
    -------
    Table
        Columns :data:`kamiplan.labels.REVIEW_PROJECT_COLUMNS`, then the committee's two empty columns.
        予算額・決算額 are numbers in 千円; 「再掲元」 names the row whose record a 再掲 row shows.
    """
    h = labels.REVIEW_PROJECT_COLUMNS
    measure_names = {(int(r.pillar), int(r.policy), int(r.measure)): r.name for r in measures.itertuples()}
    pillar_names, policy_names = _pillar_names(pillars), _policy_names(policies)
    originals = {r["action_id"]: r for r in table.to_dict("records")}
    columns = [
        Column(h["pillar"], WRAP, 9),
        Column(h["policy"], WRAP, 11),
        Column(h["measure"], WRAP, 11),
        Column(h["action_id"], TEXT, 8),
        Column(h["name"], WRAP, 16),
        Column(h["summary"], WRAP, 28),
        Column(h["tag"], WRAP, 6),
        Column(h["repeat_of"], WRAP, 12),
        Column(h["department"], WRAP, 8),
        Column(h["status"], WRAP, 7),
        Column(h["grade"], WRAP, 9),
        Column(h["budget"], AMOUNT, 10),
        Column(h["spent"], AMOUNT, 10),
        Column(h["work"], WRAP, 22),
        Column(h["outcome"], WRAP, 22),
        Column(h["direction"], WRAP, 7),
    ]
    rows = []
    for r in table.to_dict("records"):
        pillar, policy, measure = int(r["pillar"]), int(r["policy"]), int(r["measure"])
        repeat_of = None
        if bool(r["is_repeat"]) and _text(r["repeat_of"]):
            original = originals[str(r["repeat_of"])]
            place = f"大綱{int(original['pillar'])}({int(original['policy'])}){_circled(int(original['measure']))}"
            repeat_of = labels.REVIEW_REPEAT_OF.format(action_id=r["repeat_of"], name=original["name"], place=place)
        values = {
            h["pillar"]: pillar_names[pillar],
            h["policy"]: policy_names.get((pillar, policy)),
            h["measure"]: f"{_circled(measure)} {measure_names[(pillar, policy, measure)]}",
            h["action_id"]: r["action_id"],
            h["name"]: r["name"],
            h["summary"]: r["summary"],
            h["tag"]: r["tag"],
            h["repeat_of"]: repeat_of,
            h["department"]: r["department"],
            h["status"]: r["status"],
            h["grade"]: project_grade_text(str(r["grade"] or "")),
            h["budget"]: _number(r["budget"]),
            h["spent"]: _number(r["spent"]),
            h["work"]: r["work"],
            h["outcome"]: r["outcome"],
            h["direction"]: r["direction"],
        }
        rows.append([values[c.header] for c in columns] + [None, None])
    return Table(_with_committee(columns), rows)


def indicator_rollup(report: pd.DataFrame, by: str, pillars: pd.DataFrame, policies: pd.DataFrame) -> Table:
    """Indicator rows per grade (◎ 達成 … − 評価不能) per 大綱 (``by="pillar"``) or 基本計画, and the total.

    The counts are :func:`kamiplan.model.dashboard.grade_counts` (the overview page's roll-up).
    """
    wide = dashboard.rollup_table(dashboard.grade_counts(report, by, pillars, policies))
    counts = [c for c in wide.columns if c != "区分"]
    columns = [Column(labels.REVIEW_GROUP, WRAP, GROUP_WIDTH), *(Column(c, COUNT, COUNT_WIDTH) for c in counts)]
    rows = [[r["区分"], *(int(r[c]) for c in counts)] for r in wide.to_dict("records")]
    rows.append([labels.REVIEW_TOTAL, *(int(wide[c].sum()) for c in counts)])
    return Table(columns, rows, total_rows=frozenset({len(rows) - 1}))


def project_rollup_table(table: pd.DataFrame, by: str, pillars: pd.DataFrame, policies: pd.DataFrame) -> Table:
    """Projects per grade (A–D, 未評価) and per 実施状況 (and 未入力), amounts and 新規, per 大綱 or 基本計画.

    The counts are :func:`kamiplan.model.project_rollup.rollup` (再掲 rows counted once, where their
    original is); the total row is :func:`kamiplan.model.project_rollup.counts` of every row but 再掲.
    Amounts are 千円; a sum of no entered amount is an empty cell.
    """
    keys = ("pillar",) if by == "pillar" else ("pillar", "policy")
    grouped = project_rollup.rollup(table, by=keys)
    own = table[~table["is_repeat"].astype(bool)]
    total = project_rollup.counts(own)
    names = labels.REVIEW_PROJECT_COUNTS
    fields: list[tuple[str, str, str]] = [  # (rollup column, header, kind)
        ("projects", names["projects"], COUNT),
        ("entered", names["entered"], COUNT),
        *((f"grade_{g}", project_grade_text(g), COUNT) for g in labels.PROJECT_GRADES),
        ("grade_none", names["grade_none"], COUNT),
        *((f"status_{w}", w, COUNT) for w in labels.PROJECT_STATUSES),
        ("status_none", names["status_none"], COUNT),
        ("budget", names["budget"], AMOUNT),
        ("spent", names["spent"], AMOUNT),
        ("new", names["new"], COUNT),
        ("new_started", names["new_started"], COUNT),
    ]
    columns = [
        Column(labels.REVIEW_GROUP, WRAP, GROUP_WIDTH),
        *(Column(header, kind, AMOUNT_WIDTH if kind == AMOUNT else COUNT_WIDTH) for _, header, kind in fields),
    ]

    def cells(row) -> list:
        return [_number(row[name]) if kind == AMOUNT else int(row[name]) for name, _, kind in fields]

    rows = []
    for r in grouped.to_dict("records"):
        policy = int(r["policy"]) if by == "policy" else 0
        rows.append([dashboard.group_label(int(r["pillar"]), policy, pillars, policies), *cells(r)])
    rows.append([labels.REVIEW_TOTAL, *cells(total)])
    return Table(columns, rows, total_rows=frozenset({len(rows) - 1}))


def review_data(con: duckdb.DuckDBPyConnection, actuals: pd.DataFrame, projects: pd.DataFrame, year: int) -> ReviewData:
    """Read the plan and lay out every table of the book for ``year``. Inputs are not modified.

    Parameters
    ----------
    con : DuckDB cursor over the plan tables
    actuals : DataFrame
        Recorded actuals (:meth:`kamiplan.records.actuals_store.ActualsStore.current`).
    projects : DataFrame
        The projects' records (:meth:`kamiplan.records.projects.ProjectStore.current`), every year.
    year : int
        The fiscal year evaluated (2025 = R7); must lie in the plan period.

    Returns
    -------
    ReviewData

    Raises
    ------
    InputError
        When ``year`` is outside the plan period (the message says which years are allowed).
    """
    info = queries.plan_info(con)
    _check_year(info, year)
    years = list(range(int(info["start_year"]), int(info["end_year"]) + 1))
    pillars, policies, measures = queries.pillars(con), queries.policies(con), queries.measures(con)
    indicators = queries.indicators(con)
    report = build_report(con, actuals, year)
    table = project_rollup.project_table(queries.actions(con), projects, year)
    return ReviewData(
        info=info,
        year=year,
        indicator_rows=len(report),
        indicators=indicator_table(report, indicators, actuals, pillars, policies, years, year),
        projects=project_sheet_table(table, pillars, policies, measures),
        indicator_rollups={by: indicator_rollup(report, by, pillars, policies) for by in ("pillar", "policy")},
        project_rollups={by: project_rollup_table(table, by, pillars, policies) for by in ("pillar", "policy")},
    )


# -- the workbook ------------------------------------------------------------------------------------
def review_title(year: int) -> str:
    """「令和7年度(R7) 効果検証シート」."""
    n = reiwa(year)
    return labels.REVIEW_TITLE.format(era=f"令和{'元' if n == 1 else n}", n=n)


def review_filename(year: int) -> str:
    """``効果検証シート_R7(2025)年度.xlsx``."""
    return labels.REVIEW_FILENAME.format(year=year_label(year))


def _display_width(text: str) -> int:
    return sum(WIDE if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def amount_format(value) -> str:
    """``#,##0`` for whole 千円; with as many decimals as recorded otherwise (1,499.5 is not shown 1,500:
    the sheet and the app show the same figure, found by a tester)."""
    if not isinstance(value, (int, float)) or float(value).is_integer():
        return AMOUNT_FORMAT
    decimals = min(6, len(f"{float(value):.6f}".rstrip("0").split(".")[1]))
    return AMOUNT_FORMAT + "." + "0" * decimals


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` units wide (an estimate, rounded up)."""
    room = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(_display_width(part) / room)) for part in text.split("\n"))


class _Styles:
    """Cell styles of one workbook, each built once: setting font, border, fill and alignment cell by cell
    costs openpyxl a lookup each (a second for the 196 rows); a cell then takes a copy of the finished one."""

    def __init__(self) -> None:
        self._made: dict[tuple, object] = {}

    def apply(self, cell, font=_FONT, alignment=None, fill=None, border=None, number_format="General") -> None:
        key = (id(font), id(alignment), id(fill), id(border), number_format)
        made = self._made.get(key)
        if made is not None:
            cell._style = copy(made)  # openpyxl's own way of copying a style (StyleArray)
            return
        cell.font = font
        if alignment is not None:
            cell.alignment = alignment
        if fill is not None:
            cell.fill = fill
        if border is not None:
            cell.border = border
        cell.number_format = number_format
        self._made[key] = copy(cell._style)


def _set(cell, value) -> None:
    """Put a value in a cell: empty for None/NaN/blank text, text never read as a formula."""
    value = _text(value) if isinstance(value, str) else (None if value is None or pd.isna(value) else value)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        # Typed text is data, never a formula (a note 「=1+1」 stays those characters).
        cell.data_type = "s"


_WRAP = Alignment(wrap_text=True, vertical="top")
_PLAIN = Alignment(vertical="top")
_CENTERED = Alignment(wrap_text=True, vertical="center", horizontal="center")
_NUMBER_FORMATS = {PERCENT: PERCENT_FORMAT, AMOUNT: AMOUNT_FORMAT, COUNT: COUNT_FORMAT}


def _write_table(ws, top: int, table: Table, styles: _Styles) -> int:
    """Write ``table`` with its header at row ``top``; returns the last row written."""
    header_lines = 1
    for j, col in enumerate(table.columns, start=1):
        cell = ws.cell(row=top, column=j)
        _set(cell, col.header)
        fill = _COMMITTEE_FILL if col.kind == COMMITTEE else _HEADER_FILL
        styles.apply(cell, _BOLD, _CENTERED, fill, _BORDER)
        header_lines = max(header_lines, _lines(col.header, col.width))
    ws.row_dimensions[top].height = LINE_HEIGHT * header_lines + 4
    for i, row in enumerate(table.rows):
        r = top + 1 + i
        lines = 1
        total = i in table.total_rows
        font, fill = (_BOLD, _TOTAL_FILL) if total else (_FONT, None)
        for j, (col, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            cell = ws.cell(row=r, column=j)
            _set(cell, value)
            if col.kind == NUMBER:
                styles.apply(cell, font, _PLAIN, fill, _BORDER, table.formats[col.header][i])
            elif col.kind == AMOUNT:
                styles.apply(cell, font, _PLAIN, fill, _BORDER, amount_format(cell.value))
            elif col.kind in _NUMBER_FORMATS:
                styles.apply(cell, font, _PLAIN, fill, _BORDER, _NUMBER_FORMATS[col.kind])
            else:
                styles.apply(cell, font, _WRAP if col.kind in (WRAP, COMMITTEE) else _PLAIN, fill, _BORDER)
                if col.kind == WRAP and isinstance(cell.value, str):
                    lines = max(lines, _lines(cell.value, col.width))
            if cell.data_type == "s" and isinstance(cell.value, str) and cell.value.startswith("="):
                cell.quotePrefix = True  # and stays text when someone edits the cell in Excel
        if lines > 1:
            ws.row_dimensions[r].height = LINE_HEIGHT * lines + 3
    return top + len(table.rows)


def _print_setup(ws, title: str, repeat_header: bool) -> None:
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    ws.oddHeader.left.text = title.replace("&", "&&")
    ws.oddHeader.right.text = ws.title.replace("&", "&&")
    ws.oddFooter.center.text = "&P / &N"
    if repeat_header:
        ws.print_title_rows = "1:1"


def _data_sheet(wb: Workbook, name: str, table: Table, title: str, styles: _Styles) -> None:
    ws = wb.create_sheet(name)
    last = _write_table(ws, 1, table, styles)
    for j, col in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = col.width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{max(last, 2)}"
    _print_setup(ws, title, repeat_header=True)


def _summary_sheet(wb: Workbook, data: ReviewData, title: str, created: date, styles: _Styles) -> None:
    ws = wb.active
    ws.title = labels.REVIEW_SHEETS["summary"]
    created_text = f"{created.year}年{created.month}月{created.day}日"
    for row, text, font in (
        (1, title, _TITLE_FONT),
        (2, f"{data.info['title']} / {data.info['strategy_title']}", _BOLD),
        (3, labels.REVIEW_SUBTITLE.format(year=year_label(data.year), created=created_text), _FONT),
    ):
        cell = ws.cell(row=row, column=1)
        _set(cell, text)
        styles.apply(cell, font)
    blocks = [
        (labels.REVIEW_INDICATOR_HEADINGS["pillar"], data.indicator_rollups["pillar"]),
        (labels.REVIEW_INDICATOR_HEADINGS["policy"], data.indicator_rollups["policy"]),
        (labels.REVIEW_PROJECT_HEADINGS["pillar"], data.project_rollups["pillar"]),
        (labels.REVIEW_PROJECT_HEADINGS["policy"], data.project_rollups["policy"]),
    ]
    # One set of column widths for the sheet: the widest table's (its headers wrap in the count columns).
    widest = max(blocks, key=lambda b: len(b[1].columns))[1]
    for j, col in enumerate(widest.columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = col.width
    # The notes span the page (merged over the widest table), wrapped: text running past the last
    # column would be cut off on paper.
    notes = [labels.REVIEW_NOTES[0].format(rows=data.indicator_rows), labels.REVIEW_NOTES[1]]
    span = sum(c.width for c in widest.columns)
    for row, note in enumerate(notes, start=4):
        cell = ws.cell(row=row, column=1)
        _set(cell, note)
        styles.apply(cell, _FONT, _WRAP)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widest.columns))
        ws.row_dimensions[row].height = LINE_HEIGHT * _lines(note, span) + 3
    row = 4 + len(notes) + 1
    for heading, table in blocks:
        cell = ws.cell(row=row, column=1)
        _set(cell, heading)
        styles.apply(cell, _BOLD)
        last = _write_table(ws, row + 1, table, styles)
        row = last + 2
    ws.freeze_panes = None
    _print_setup(ws, title, repeat_header=False)


def render_workbook(data: ReviewData, created: date | None = None) -> bytes:
    """The book of :func:`review_data` as xlsx bytes (sheets 総括・指標・事業).

    Parameters
    ----------
    data : ReviewData
    created : date, optional
        The 作成日 printed on 総括 (default: today in Japan).

    Returns
    -------
    bytes
        An Office Open XML workbook: header rows frozen and repeated on every printed page, auto-filter,
        A4 landscape fitted to the width, Japanese font, numbers stored as numbers.
    """
    created = created or today_jst()
    title = review_title(data.year)
    wb = Workbook()
    wb.properties.title = f"{data.info['title']} {title}"
    wb.properties.creator = "kamiplan"
    styles = _Styles()
    _summary_sheet(wb, data, title, created, styles)
    _data_sheet(wb, labels.REVIEW_SHEETS["indicators"], data.indicators, title, styles)
    _data_sheet(wb, labels.REVIEW_SHEETS["projects"], data.projects, title, styles)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def review_workbook(
    con: duckdb.DuckDBPyConnection,
    actuals: pd.DataFrame,
    projects: pd.DataFrame,
    year: int,
    created: date | None = None,
) -> bytes:
    """The 効果検証シート of ``year`` as xlsx bytes (:func:`review_data`, then :func:`render_workbook`).

    Parameters
    ----------
    con : DuckDB cursor over the plan tables
    actuals : DataFrame
        Recorded actuals (:meth:`kamiplan.records.actuals_store.ActualsStore.current`).
    projects : DataFrame
        The projects' records (:meth:`kamiplan.records.projects.ProjectStore.current`).
    year : int
        The fiscal year evaluated (2025 = R7), within the plan period.
    created : date, optional
        The 作成日 (default: today in Japan).

    Returns
    -------
    bytes

    Raises
    ------
    InputError
        When ``year`` is outside the plan period.
    """
    return render_workbook(review_data(con, actuals, projects, year), created)
