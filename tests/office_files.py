"""Excel books as other sections send them, built with openpyxl for the tests.

Every value here is invented for testing (テスト用の架空データ) and is not the town's data.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl


def book(rows: list[list], merges: tuple[str, ...] = (), formats: dict[str, str] | None = None, title: str = "Sheet1"):
    """A one-sheet book from rows of cell values (None = empty); ``merges`` like ``"D1:F1"``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    for rng in merges:
        ws.merge_cells(rng)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    return wb


def xlsx(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def long_simple() -> bytes:
    """指標 | 年度 | 実績値 | 備考 with 人口 R7 2390 and 新規出店数 令和7年度 1 (the issue's example)."""
    return xlsx(
        book(
            [
                ["指標", "年度", "実績値", "備考"],
                ["人口", "R7", 2390, "テスト用の架空データ"],
                ["新規出店数", "令和7年度", 1, None],
            ]
        )
    )


def wide_statistics_table() -> bytes:
    """A KPI 効果検証シート: title row, blank row, a merged 実績値 over R7/R8/R9, notes below.

    Numbers are stored as numbers in one row and as text (「2,390」) in another; a percentage cell is
    formatted as % (Excel stores 0.915); the 基準値 of 観光入込客数 disagrees with the plan (a warning).
    """
    rows = [
        ["KPI 効果検証シート(テスト用の架空データ)", None, None, None, None, None, None],
        [None, None, None, None, None, None, None],
        ["指標名", "単位", "基準値", "実績値", None, None, "目標値(R11)"],
        [None, None, None, "R7", "R8", "R9", None],
        ["人口", "人", 2438, "2,390", None, None, 2020],
        ["乳幼児健診・相談受診率", "%", 0.89, 0.915, 0.93, None, 0.95],
        ["観光入込客数", "万人", 9.6, 9.7, "－", None, 10],
        [None, None, None, None, None, None, None],
        ["注1)人口は住民基本台帳(各年4月1日)。", None, None, None, None, None, None],
        ["※出典:テスト用の架空データ", None, None, None, None, None, None],
    ]
    wb = book(
        rows,
        merges=("A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:G4"),
        formats={"C6": "0.0%", "D6": "0.0%", "E6": "0.0%", "G6": "0.0%"},
        title="効果検証",
    )
    notes = wb.create_sheet("メモ")
    notes["A1"] = "このシートは読み込みません"
    return xlsx(wb)


def dated_cells() -> bytes:
    """Excel date cells in the year column (国勢調査 10月1日, 年度末 3月31日)."""
    return xlsx(
        book(
            [
                ["指標", "時点", "実績値", "出典"],
                ["人口", dt.datetime(2020, 10, 1), 2800, "国勢調査(テスト用)"],
                ["認知症サポーターの延べ人数", dt.datetime(2025, 3, 31), 930, "テスト用"],
            ]
        )
    )


def formula_without_result() -> bytes:
    """A value computed by a formula that Excel never saved (openpyxl writes no cached result)."""
    return xlsx(book([["指標", "年度", "実績値"], ["人口", "R7", "=2000+390"]]))


def merged_value_cell() -> bytes:
    """A value merged over R7 and R8: one 3 would count in two years."""
    wb = book([["指標", "R7", "R8", "R9"], ["新規出店数", 3, None, None]], merges=("B2:C2",))
    return xlsx(wb)


def hidden_first_sheet() -> bytes:
    """A hidden 作業用 sheet before the 提出用 sheet that was meant to be read; a hidden row in it."""
    wb = book([["指標", "年度", "実績値"], ["人口", "R7", 9999]], title="作業用")
    wb.active.sheet_state = "hidden"
    ws = wb.create_sheet("提出用")
    for row in (["指標", "年度", "実績値"], ["人口", "R7", 2390], ["新規出店数", "R7", 1]):
        ws.append(row)
    ws.row_dimensions[3].hidden = True
    return xlsx(wb)


def chart_sheet_first() -> bytes:
    from openpyxl.chart import BarChart, Reference

    wb = book([["指標", "年度", "実績値"], ["人口", "R7", 2390]])
    chart = BarChart()
    chart.add_data(Reference(wb.active, min_col=3, min_row=1, max_row=2), titles_from_data=True)
    wb.create_chartsheet("グラフ", 0).add_chart(chart)
    return xlsx(wb)


def formatted_empty_rows() -> bytes:
    """Two rows of data, and a font set on A3:A25000 (Excel's used range runs to row 25,000)."""
    from openpyxl.styles import Font

    wb = book([["指標", "年度", "実績値"], ["人口", "R7", 2390]])
    ws = wb.active
    for r in range(3, 25001):
        ws.cell(row=r, column=1).font = Font(bold=True)
    return xlsx(wb)


def literal_percent_format() -> bytes:
    """68.5 shown as 「68.5%」 by a format with a literal % (not ×100): the value is 68.5."""
    return xlsx(
        book(
            [["指標", "年度", "実績値"], ["放課後子ども教室参加率", "R7", 68.5], ["介護保険2号認定率", "R7", 0.7]],
            formats={"C2": '0.0"%"', "C3": "0.00\\%"},
        )
    )


def comment_beside_table() -> bytes:
    return xlsx(book([["指標", "年度", "実績値"], ["人口", "R7", 2390, None, "← 速報値です(テスト用)"]]))


def cover_sheet_first() -> bytes:
    wb = book([["令和7年度 実績報告(テスト用)"], ["企画課"]], title="表紙")
    ws = wb.create_sheet("実績")
    for row in (["指標", "年度", "実績値"], ["人口", "R7", 2390]):
        ws.append(row)
    return xlsx(wb)


def year_typed_into_date_cell() -> bytes:
    """2025 typed into a cell formatted as a date: Excel stores serial 2025 and shows 1905/7/17."""
    return xlsx(book([["指標", "年度", "実績値"], ["人口", 2025, 2390]], formats={"B2": "yyyy/m/d"}))


def date_in_value_cell() -> bytes:
    return xlsx(book([["指標", "年度", "実績値"], ["人口", "R7", dt.datetime(2025, 1, 2)]]))
