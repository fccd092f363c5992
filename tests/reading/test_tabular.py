"""Reading table files: strict quotes with the line where a field began, Excel books as Excel shows them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamiplan.errors import InputError
from kamiplan.reading.tabular import CSV, XLSX, book_sheets, decode, read_grid
from tests import office_files as of

HEADER = "指標,年度,実績値,備考\n"


def lines_of(grid):
    return [(r.line, list(r.cells)) for r in grid.rows]


def test_typographic_close_quote_refuses_naming_the_line_where_the_field_began():
    data = (HEADER + '人口,R7,2390,"速報値(住基)”\n人口,R8,2340,確定値\n新規出店数,R7,2,補助金\n').encode()
    with pytest.raises(InputError) as info:
        read_grid(data, "a.csv")
    (problem,) = info.value.problems
    assert problem.line == 2 and "閉じられていません" in problem.message and "”" in problem.message


def test_text_after_a_closing_quote_is_refused():
    with pytest.raises(InputError) as info:
        read_grid((HEADER + '人口,R7,2390,"速報"値\n').encode(), "a.csv")
    assert info.value.problems[0].line == 2 and "続いています" in info.value.problems[0].message


def test_a_doubled_quote_inside_an_open_field_does_not_move_the_reported_line():
    data = (HEADER + '人口,R7,2390,"速報値”\n人口,R8,2340,確定値\n新規出店数,R7,2,"",x\n').encode()
    with pytest.raises(InputError) as info:
        read_grid(data, "a.csv")
    assert info.value.problems[0].line == 2


def test_the_opening_line_of_an_unclosed_quote_inside_a_multiline_record():
    data = (HEADER + '人口,R7,2390,"1行目\n2行目",x,"まだ閉じない\n続き\n').encode()
    with pytest.raises(InputError) as info:
        read_grid(data, "a.csv")
    assert info.value.problems[0].line == 3


def test_a_cell_spanning_lines_is_kept_unless_it_swallows_rows():
    ok = read_grid((HEADER + '人口,R7,2390,"速報値\n(住基)"\n人口,R8,2340,確定値\n').encode())
    assert lines_of(ok)[1:] == [(2, ["人口", "R7", "2390", "速報値\n(住基)"]), (4, ["人口", "R8", "2340", "確定値"])]
    # The quote opened on line 2 closes at the end of line 4: valid CSV that would merge three rows into one.
    swallowing = HEADER + '人口,R7,2390,"速報値”\n人口,R8,2340,確定値\n新規出店数,R7,2,補助金"\n'
    with pytest.raises(InputError) as info:
        read_grid(swallowing.encode())
    assert info.value.problems[0].line == 2 and "表の行のような内容" in info.value.problems[0].message


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        ((HEADER + "人口,R7,2390\n").encode("utf-8"), "utf-8", ","),
        ((HEADER + "人口,R7,2390\n").encode("utf-8-sig"), "utf-8-sig", ","),
        ((HEADER + "髙橋①,R7,2390\n").encode("cp932"), "cp932", ","),
        ("指標\t年度\t実績値\n人口\tR7\t2,390\n".encode("utf-16"), "utf-16", "\t"),
        ("指標\t年度\t実績値\n人口\tR7\t2,390\n".encode("cp932"), "cp932", "\t"),
    ],
    ids=["utf8", "utf8-bom", "cp932", "utf16-unicode-text", "cp932-tab"],
)
def test_encodings_and_delimiters(data, encoding, delimiter):
    grid = read_grid(data, "a.csv")
    assert (grid.kind, grid.encoding, grid.delimiter) == (CSV, encoding, delimiter)
    assert grid.rows[1].cells[0] in ("人口", "髙橋①")


def test_encoding_is_detected_not_guessed():
    text = HEADER + "髙橋①,2025,1\n"
    assert decode(text.encode("cp932"))[1] == "cp932"  # shift_jis would reject ① and 髙
    assert decode(text.encode("utf-8"))[1] == "utf-8"
    assert decode(text.encode("utf-8-sig"))[1] == "utf-8-sig"


# -- the property: a row the reader returns came from exactly one line --------------------------------------
_TEXT = st.text(alphabet=st.sampled_from(list("abc人口, \"”“'=+-")), max_size=8)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_TEXT, st.integers(0, 9999), st.booleans()), min_size=1, max_size=6))
def test_every_row_comes_from_exactly_one_line(rows):
    """Rows written properly (csv.writer) or by hand (a raw join, stray quotes and all): read back exactly, or refused."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["指標", "年度", "実績値", "備考"])
    for note, value, raw in rows:
        if raw:
            buf.write(f"人口,R7,{value},{note.replace(chr(10), ' ')}\n")
        else:
            writer.writerow(["人口", "R7", value, note])
    try:
        grid = read_grid(buf.getvalue().encode(), "p.csv")
    except InputError:
        return  # refused with a line number: nothing merged
    data = [r for r in grid.rows[1:]]
    assert len(data) == len(rows)
    for line, (row, (_note, value, _raw)) in enumerate(zip(data, rows, strict=True), start=2):
        assert row.line == line == row.last_line
        assert row.cells[:3] == ("人口", "R7", str(value))


# -- Excel ----------------------------------------------------------------------------------------------------
def test_xlsx_merged_headers_numbers_dates_and_percent_cells():
    grid = read_grid(of.wide_statistics_table(), "kpi.xlsx")
    assert (grid.kind, grid.sheet, grid.sheets) == (XLSX, "効果検証", ("効果検証", "メモ"))
    rows = {r.line: r.cells for r in grid.rows}
    assert rows[3][:6] == ("指標名", "単位", "基準値", "実績値", "実績値", "実績値")  # the merge gives D3 to E3:F3
    assert rows[4][0] == "指標名"  # merged over two rows
    assert rows[5][3] == "2,390" and rows[5][2] == 2438  # text stays text, numbers stay numbers
    assert rows[6][3] == "91.5%"  # Excel keeps 0.915 under a % format: read as the person sees it


def test_xlsx_date_cells_stay_dates():
    rows = {r.line: r.cells for r in read_grid(of.dated_cells(), "d.xlsx").rows}
    assert rows[2][1] == dt.datetime(2020, 10, 1)


def test_xlsx_other_sheet_and_missing_sheet():
    assert read_grid(of.wide_statistics_table(), "k.xlsx", sheet="メモ").rows[0].cells == (
        "このシートは読み込みません",
    )
    with pytest.raises(InputError, match="「効果検証」、「メモ」"):
        read_grid(of.wide_statistics_table(), "k.xlsx", sheet="集計")
    assert book_sheets(of.wide_statistics_table()) == ("効果検証", "メモ")
    assert book_sheets(b"a,b\n") == ()


def test_xlsx_formula_without_saved_result_is_refused():
    with pytest.raises(InputError) as info:
        read_grid(of.formula_without_result(), "f.xlsx")
    problem = info.value.problems[0]
    assert (problem.line, problem.column) == (2, "C列") and "=2000+390" in problem.message


def test_zip_bomb_and_broken_books_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    with pytest.raises(InputError, match="大きすぎます"):
        read_grid(buf.getvalue(), "bomb.xlsx")
    with pytest.raises(InputError, match="Excel ブック"):
        read_grid(b"PK\x03\x04broken", "b.xlsx")
    with pytest.raises(InputError, match="Excel ブック"):
        read_grid(b"not a zip at all", "b.xlsx")


def test_a_book_with_dropdowns_and_no_formulas_is_loaded_once(monkeypatch):
    """<formula1> of a data validation is not a cell formula: no second load for cached values."""
    import openpyxl
    from openpyxl.worksheet.datavalidation import DataValidation

    from kamiplan.reading import tabular

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["事業ID", "実施状況"])
    ws.append(["1-1-1-01", "実施"])
    dv = DataValidation(type="list", formula1='"実施,未実施"')
    ws.add_data_validation(dv)
    dv.add("B2:B10")
    buffer = io.BytesIO()
    book.save(buffer)
    loads = []
    real = openpyxl.load_workbook  # imported inside the reader: patch the module's attribute
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: loads.append(k) or real(*a, **k))
    grid = tabular.read_grid(buffer.getvalue(), "template.xlsx")
    assert [r.cells for r in grid.rows][1][1] == "実施" and len(loads) == 1
