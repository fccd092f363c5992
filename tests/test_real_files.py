"""Issue 11's examples, end to end: ``kamiplan import`` → the store, read back; and each kind around them.

Every value is invented for testing (テスト用の架空データ) and is not the town's data.
"""

from __future__ import annotations

import pytest

from kamiplan.cli import main
from kamiplan.errors import InputError
from kamiplan.records.actuals_file import ReadOptions, UnusualValuesError, parse_actuals
from kamiplan.records.actuals_store import ActualsStore
from tests import office_files as of


@pytest.fixture
def folder(plan_copy):
    return plan_copy


def store_bytes(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name.startswith("actuals")}


def run_import(capsys, folder, tmp_path, data: bytes, name: str = "実績.csv", *flags: str):
    path = tmp_path / name
    path.write_bytes(data)
    code = main(["import", str(path), "--data-dir", str(folder), "--by", "テスト", *flags])
    out = capsys.readouterr()
    return code, out.out, out.err


def stored(folder) -> dict[tuple[str, int], float]:
    return {k: c.value for k, c in ActualsStore(folder).cells().items()}


def test_wave_dash_name(folder, tmp_path, capsys):
    data = "指標,年度,実績値,備考\n20〜30代世代の移住数,R7,21,テストデータ\n".encode()
    assert run_import(capsys, folder, tmp_path, data)[0] == 0
    assert stored(folder) == {("2-2-K2", 2025): 21.0}


def test_typographic_quote_refused_at_line_2_and_nothing_written(folder, tmp_path, capsys):
    data = '指標,年度,実績値,備考\n人口,R7,2390,"速報値(住基)”\n人口,R8,2340,確定値\n新規出店数,R7,2,補助金\n'
    code, _, err = run_import(capsys, folder, tmp_path, data.encode())
    assert code == 1 and "2行目" in err and "閉じられていません" in err
    assert store_bytes(folder) == {}


def test_date_goes_to_the_fiscal_year_containing_it(folder, tmp_path, capsys):
    data = "指標,年度,実績値,備考\n認知症サポーターの延べ人数,令和7年3月31日,930,年度末現在\n".encode()
    assert run_import(capsys, folder, tmp_path, data)[0] == 0
    cell = ActualsStore(folder).cells()[("1-3-K3", 2024)]  # R6年度, not R7
    assert (cell.value, cell.as_of, cell.note) == (930.0, "2025-03-31", "年度末現在")


def test_dash_is_listed_as_no_value_or_zero_on_request(folder, tmp_path, capsys):
    data = '指標,年度,実績値,出典\n交通死亡事故発生件数,R7,－,統計表\n人口,R7,"2,390",住基\n'.encode()
    code, out, _ = run_import(capsys, folder, tmp_path, data)
    assert code == 0 and "2行目  読み飛ばし 列「実績値」: 値なし(「－」: 該当なし" in out
    assert stored(folder) == {("0-V1", 2025): 2390.0}
    code, out, _ = run_import(capsys, folder, tmp_path, data, "b.csv", "--dash-as-zero")
    assert code == 0 and "「－」を 0 として記録" in out
    assert stored(folder) == {("0-V1", 2025): 2390.0, ("3-2-K2", 2025): 0.0}


def test_title_blank_and_note_rows_are_skipped_and_listed(folder, tmp_path, capsys):
    data = (
        '人口の推移(テスト用の表),,,\n,,,\n指標,年度,実績値,備考\n人口,R7,"2,390",\n,,,\n注1)住民基本台帳による。,,,\n'
    )
    code, out, _ = run_import(capsys, folder, tmp_path, data.encode("cp932"))
    assert code == 0
    assert stored(folder) == {("0-V1", 2025): 2390.0}
    for line, reason in ((1, "見出し行より上の行"), (2, "空行"), (5, "空行"), (6, "注記の行")):
        assert f"{line:>5}行目  読み飛ばし: {reason}" in out


def test_name_header_units_and_calendar_year(folder, tmp_path, capsys):
    data = '指標名,年度,実績値,備考\n人口,令和7年度,"2,390人",\n社会増減数(転入者数－転出者数),令和7年,▲35,\n※出典:住民基本台帳,,,\n'
    code, out, _ = run_import(capsys, folder, tmp_path, data.encode())
    assert code == 0 and "4行目  読み飛ばし: 注記の行" in out
    assert stored(folder) == {("0-V1", 2025): 2390.0, ("0-P2", 2025): -35.0}


def test_wide_layout(folder, tmp_path, capsys):
    data = '指標名,単位,基準値,R7実績,R8実績,目標値(R11),評価\n人口,人,"2,438","2,390",,"2,020",A\n新規出店数,件,1,2,,6,B\n'
    code, out, _ = run_import(capsys, folder, tmp_path, data.encode())
    assert code == 0 and "横長の表" in out
    assert stored(folder) == {("0-V1", 2025): 2390.0, ("2-1-K1", 2025): 2.0}


def test_people_for_an_indicator_in_man_nin_is_refused_unless_confirmed(folder, tmp_path, capsys):
    data = '指標,年度,実績値,備考\n観光入込客数,R7,"95,100",調査の人数\n'.encode()
    code, _, err = run_import(capsys, folder, tmp_path, data)
    assert code == 1 and "単位は「万人」" in err and "基準値は 9.5万人" in err and "--accept-unusual" in err
    assert "「9.51」" in err  # the hint: 95,100 people are 9.51 万人
    assert store_bytes(folder) == {}
    assert run_import(capsys, folder, tmp_path, data, "b.csv", "--accept-unusual")[0] == 0
    assert stored(folder) == {("2-2-K1", 2025): 95100.0}  # confirmed: kept as written


def test_unit_written_in_the_cell_is_converted_once_confirmed(folder, tmp_path, capsys):
    data = "指標,年度,実績値\n観光入込客数,R7,98000人\n".encode()
    code, _, err = run_import(capsys, folder, tmp_path, data)
    assert code == 1 and "9.8万人として記録するには" in err
    assert run_import(capsys, folder, tmp_path, data, "b.csv", "--accept-unusual")[0] == 0
    assert stored(folder) == {("2-2-K1", 2025): 9.8}


def test_xlsx_long(folder, tmp_path, capsys):
    assert run_import(capsys, folder, tmp_path, of.long_simple(), "実績.xlsx")[0] == 0
    assert stored(folder) == {("0-V1", 2025): 2390.0, ("2-1-K1", 2025): 1.0}


def test_xlsx_wide_with_title_merged_header_notes_and_other_sheet(folder, tmp_path, capsys):
    code, out, _ = run_import(capsys, folder, tmp_path, of.wide_statistics_table(), "効果検証.xlsx")
    assert code == 0, out
    assert stored(folder) == {
        ("0-V1", 2025): 2390.0,
        ("1-1-T3", 2025): 91.5,
        ("1-1-T3", 2026): 93.0,
        ("2-2-K1", 2025): 9.7,
    }
    assert "見出し 3行目・4行目" in out and "7行目 列「基準値(C列)」  注意" in out and "9.5万人 と違います" in out
    assert "9行目  読み飛ばし: 注記の行" in out
    code, _, err = run_import(capsys, folder, tmp_path, of.wide_statistics_table(), "c.xlsx", "--sheet", "メモ")
    assert code == 1 and "見出し行が見つかりません" in err


def test_xlsx_dates(folder, tmp_path, capsys):
    assert run_import(capsys, folder, tmp_path, of.dated_cells(), "d.xlsx")[0] == 0
    cells = ActualsStore(folder).cells()
    assert (cells[("0-V1", 2020)].value, cells[("0-V1", 2020)].as_of) == (2800.0, "2020-10-01")
    assert (cells[("1-3-K3", 2024)].value, cells[("1-3-K3", 2024)].as_of) == (930.0, "2025-03-31")


def test_census_date_is_shown_where_the_value_is(folder, indicators):
    from kamiplan.model.dashboard import series_cells
    from kamiplan.model.trajectory import build

    ActualsStore(folder)  # nothing stored yet
    parsed = parse_actuals(of.dated_cells(), indicators, "d.xlsx")
    cells = series_cells(parsed.frame())
    traj = build(indicators.loc["0-V1"].to_dict(), cells["0-V1"], 2025, 2025)
    history = traj.points[traj.points["series"] == "過去の実績(参考)"]
    assert history["as_of"].tolist() == ["令和2年(2020年)10月1日時点"]
    table = traj.table()
    assert table.loc[table["年度"] == "R2(2020)", "時点"].tolist() == ["令和2年(2020年)10月1日時点"]
    fy = build(indicators.loc["1-3-K3"].to_dict(), cells["1-3-K3"], 2025, 2025)
    assert "時点" not in fy.table().columns  # 3月31日 is the usual day of a 年度 count: nothing to flag


# -- each kind, beyond the examples ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("year_cell", "indicator", "year", "as_of"),
    [
        ("R7", "1-3-K3", 2025, ""),
        ("令和7年度", "1-3-K3", 2025, ""),
        ("2025年度", "1-3-K3", 2025, ""),
        ("平成27年", "0-V1", 2015, ""),
        ("H27", "0-V1", 2015, ""),
        ("昭和55年", "0-V1", 1980, ""),
        ("令和7年3月31日", "1-3-K3", 2024, "2025-03-31"),
        ("R7.3.31", "1-3-K3", 2024, "2025-03-31"),
        ("2025/3/31", "1-3-K3", 2024, "2025-03-31"),
        ("2025-03-31", "1-3-K3", 2024, "2025-03-31"),
        ("2025-04-01", "1-3-K3", 2025, "2025-04-01"),
        ("令和7年度末", "1-3-K3", 2025, "2026-03-31"),
        ("2025/3/31", "0-P2", 2025, "2025-03-31"),  # 社会増減 counts by calendar year
        ("2025/12/31", "0-P2", 2025, "2025-12-31"),
        ("2025/3/31", "0-V1", 2025, "2025-03-31"),  # 人口 (point in time): the year of the date
        ("2020年10月1日", "0-V1", 2020, "2020-10-01"),
        ("45747", "1-3-K3", 2024, "2025-03-31"),  # an Excel serial written into a CSV
    ],
)
def test_years_and_dates(indicators, year_cell, indicator, year, as_of):
    label, value = indicators.loc[indicator, "label"], indicators.loc[indicator, "baseline_value"]
    parsed = parse_actuals(f"指標,年度,実績値\n{label},{year_cell},{value:g}\n".encode(), indicators)
    (record,) = parsed.records
    assert (record.series_id, record.year, record.as_of) == (indicators.loc[indicator, "series_id"], year, as_of)


@pytest.mark.parametrize(
    ("mark", "meaning"),
    [
        ("－", "該当なし"),
        ("-", "該当なし"),
        ("—", "該当なし"),
        ("―", "該当なし"),
        ("…", "不詳"),
        ("...", "不詳"),
        ("***", "表示なし"),
        ("x", "秘匿"),
        ("X", "秘匿"),
        ("不詳", "不詳"),
        ("未集計", "不詳"),
        ("", "空欄"),
    ],
)
def test_no_value_marks_are_listed_never_errors(indicators, mark, meaning):
    parsed = parse_actuals(f"指標,年度,実績値\n人口,R6,{mark}\n人口,R7,2390\n".encode(), indicators)
    assert [(r.line, r.value) for r in parsed.records] == [(3, 2390.0)]
    (skipped,) = parsed.skipped
    assert skipped.line == 2 and meaning in skipped.reason and skipped.column == "実績値"


def test_only_dashes_become_zero(indicators):
    data = "指標,年度,実績値\n交通死亡事故発生件数,R6,－\n交通死亡事故発生件数,R7,x\n".encode()
    parsed = parse_actuals(data, indicators, options=ReadOptions(dash_as_zero=True))
    assert [(r.year, r.value) for r in parsed.records] == [(2024, 0.0)]
    assert [s.line for s in parsed.skipped] == [3]


@pytest.mark.parametrize(
    ("indicator", "cell", "fragment"),
    [
        ("2-2-K1", "95,100", "10倍以上"),  # people for 万人
        ("2-2-K1", "98000人", "9.8万人"),  # unit in the cell
        ("2-2-K1", "9万8千人", "数値のあとの"),  # not a unit: refused outright (not unusual)
        ("1-1-T3", "0.915", "91.5"),  # a fraction for a percentage
        ("0-V1", "24", "10倍以上"),  # 2,438 people typed without the last digits
        ("4-2-K2", "44800", "10倍以上"),
    ],
)
def test_unusual_values(indicators, indicator, cell, fragment):
    label = indicators.loc[indicator, "label"]
    data = f'指標,年度,実績値\n{label},R7,"{cell}"\n'.encode()
    with pytest.raises(InputError) as info:
        parse_actuals(data, indicators)
    assert fragment in str(info.value)
    if fragment != "数値のあとの":
        assert isinstance(info.value, UnusualValuesError)
        assert [n.line for n in info.value.unusual] == [2]


@pytest.mark.parametrize(
    ("indicator", "cell"),
    [("3-2-K2", "0"), ("1-3-K1", "0.70"), ("0-P2", "▲5"), ("1-2-T1", "-3"), ("2-1-K1", "0"), ("0-V1", "6000")],
)
def test_plausible_values_are_not_questioned(indicators, indicator, cell):
    label = indicators.loc[indicator, "label"]
    assert parse_actuals(f"指標,年度,実績値\n{label},R7,{cell}\n".encode(), indicators).unusual == []


@pytest.mark.parametrize(
    ("header", "cells"),
    [
        ("項目,年,値", "人口,R7,2390"),
        ("指標名,年度,実績", "人口,R7,2390"),
        ("指標,年度,実績値(人)", "人口,R7,2390"),
        ("指標ID,指標名,単位,年度,実績値,備考,出典", "0-V1,人口,人,R7,2390,,"),
        ("indicator,year,value", "0-V1,2025,2390"),
        ("指標名,R7", "人口,2390"),
        ("指標名,令和7年度", "人口,2390"),
        ("指標名,2025年度", "人口,2390"),
        ("指標名,2025", "人口,2390"),
        ("指標名,R7(2025)", "人口,2390"),
        ("指標名,令和7年度実績", "人口,2390"),
        ("指標名,基準値(R5),R7実績,目標値(R11)", "人口,2438,2390,2020"),
    ],
)
def test_header_words_and_year_columns(indicators, header, cells):
    parsed = parse_actuals(f"{header}\n{cells}\n".encode(), indicators)
    assert [(r.series_id, r.year, r.value) for r in parsed.records] == [("0-V1", 2025, 2390.0)]


def test_wide_merged_header_written_as_csv(indicators):
    data = "指標名,実績値,,\n,R7,R8,R9\n人口,2390,2340,\n".encode()
    parsed = parse_actuals(data, indicators)
    assert parsed.header_lines == (1, 2)
    assert [(r.year, r.value) for r in parsed.records] == [(2025, 2390.0), (2026, 2340.0)]


def test_group_heading_rows_are_listed(indicators):
    data = "指標,年度,実績値\n【子育て】,,\n人口,R7,2390\n".encode()
    parsed = parse_actuals(data, indicators)
    assert [(s.line, s.kind) for s in parsed.skipped] == [(2, "heading")]


def test_refusals_leave_the_store_byte_identical(folder, tmp_path, capsys):
    run_import(capsys, folder, tmp_path, "指標,年度,実績値\n人口,R6,2440\n".encode())
    before = store_bytes(folder)
    for bad in (
        '指標,年度,実績値,備考\n人口,R7,2390,"速報値”\n',
        "指標,年度,実績値\n観光入込客数,R7,95100\n",
        "指標,年度,実績値\n人口,R7,2,390\n",
        "指標,年度,実績値\n20代30代の移住者数,R7,21\n",
    ):
        assert run_import(capsys, folder, tmp_path, bad.encode())[0] == 1
        assert store_bytes(folder) == before
    assert run_import(capsys, folder, tmp_path, of.formula_without_result(), "f.xlsx")[0] == 1
    assert store_bytes(folder) == before


def test_unknown_name_suggests_the_closest(folder, tmp_path, capsys):
    code, _, err = run_import(capsys, folder, tmp_path, "指標,年度,実績値\n20代30代の移住者数,R7,21\n".encode())
    assert code == 1 and "もしかして: 20～30代世代の移住数(2-2-K2)" in err
    assert "(値:" not in err and "'" not in err  # no Python quoting in what people read


# -- what a newcomer's files broke (each found by trying the office's habits; now each a test) ------------
@pytest.mark.parametrize(
    "header",
    [
        "指標,令和7年度実績(人),令和8年度 実績値",
        "指標,R7,R8(速報値)",
        "指標,R7,R8（速報）",
        "指標,R7,2026年度(暫定)",
        "指標,R7,令和8年度 ※",
        "指標,R7実績,R8実績値",
    ],
)
def test_year_headers_with_words_around_them_are_all_read(indicators, header):
    parsed = parse_actuals(f"{header}\n人口,2390,2380\n".encode(), indicators)
    assert [(r.year, r.value) for r in parsed.records] == [(2025, 2390.0), (2026, 2380.0)]


def test_a_year_column_that_cannot_be_read_refuses_the_file_instead_of_dropping_it(indicators):
    with pytest.raises(InputError) as info:
        parse_actuals("指標,R7,R8年半ば\n人口,2390,2350\n".encode(), indicators)
    assert "年度の列のようですが" in str(info.value) and "R8年半ば" in str(info.value)
    projected = parse_actuals("指標,R7,令和8年度見込み\n人口,2390,2350\n".encode(), indicators)
    assert projected.ignored_columns == ["令和8年度見込み"]  # a projection is not an actual: listed, not read


def test_merged_value_cell_is_refused(indicators):
    with pytest.raises(InputError, match="結合されたセル"):
        parse_actuals(of.merged_value_cell(), indicators, "m.xlsx")


def test_hidden_first_sheet_is_not_the_default_and_hidden_rows_are_said(indicators):
    parsed = parse_actuals(of.hidden_first_sheet(), indicators, "h.xlsx")
    assert [(r.series_id, r.value) for r in parsed.records] == [("0-V1", 2390.0), ("2-1-K1", 1.0)]
    assert "シート「提出用」" in parsed.source_label and "作業用" in parsed.source_label
    assert any(w.line == 3 and "非表示" in w.message for w in parsed.warnings)


def test_chart_sheet_and_formatting_only_rows(indicators):
    assert parse_actuals(of.chart_sheet_first(), indicators, "c.xlsx").records[0].value == 2390.0
    assert parse_actuals(of.formatted_empty_rows(), indicators, "f.xlsx").records[0].value == 2390.0
    trailing = "指標,年度,実績値\n人口,R7,2390\n" + ",,\n" * 30000
    assert parse_actuals(trailing.encode(), indicators).records[0].value == 2390.0


def test_literal_percent_sign_in_a_number_format_is_not_multiplied(indicators):
    values = {r.indicator_id: r.value for r in parse_actuals(of.literal_percent_format(), indicators, "p.xlsx").records}
    assert values == {"1-2-K1": 68.5, "1-3-K1": 0.7}


def test_comment_beside_an_excel_table_is_a_warning_not_a_refusal(indicators):
    parsed = parse_actuals(of.comment_beside_table(), indicators, "c.xlsx")
    assert parsed.records[0].value == 2390.0 and "見出しのない列" in parsed.warnings[0].message


def test_cover_sheet_first_names_the_sheets(indicators):
    with pytest.raises(InputError) as info:
        parse_actuals(of.cover_sheet_first(), indicators, "c.xlsx")
    assert "シート「表紙」" in str(info.value) and "「実績」" in str(info.value)
    parsed = parse_actuals(of.cover_sheet_first(), indicators, "c.xlsx", ReadOptions(sheet="実績"))
    assert parsed.records[0].value == 2390.0


def test_year_typed_into_a_date_cell_and_a_date_in_a_value_cell(indicators):
    parsed = parse_actuals(of.year_typed_into_date_cell(), indicators, "y.xlsx")
    assert parsed.records[0].year == 2025 and "2025年として読みました" in parsed.warnings[0].message
    with pytest.raises(InputError, match="日付"):
        parse_actuals(of.date_in_value_cell(), indicators, "v.xlsx")


def test_blank_note_in_the_template_keeps_the_recorded_note(folder, tmp_path, capsys):
    first = "指標,年度,実績値,備考,出典\n人口,R7,2390,要因分析テスト用,住基\n".encode()
    assert run_import(capsys, folder, tmp_path, first)[0] == 0
    again = "指標ID,指標名,単位,年度,実績値,備考,出典\n0-V1,人口,人,2025,2391,,\n".encode("cp932")
    code, out, _ = run_import(capsys, folder, tmp_path, again, "t.csv")
    assert code == 0
    cell = ActualsStore(folder).cells()[("0-V1", 2025)]
    assert (cell.value, cell.note, cell.source) == (2391.0, "要因分析テスト用", "住基")


def test_mixed_encodings_are_refused(indicators):
    data = "指標ID,年度,実績値,備考\r\n0-V1,R7,2390,テスト用\r\n".encode("cp932") + "2-2-K2,R7,20,国勢調査\r\n".encode()
    with pytest.raises(InputError, match="混ざっています"):
        parse_actuals(data, indicators)


def test_fraction_for_a_percentage_without_a_baseline(indicators):
    with pytest.raises(UnusualValuesError, match="目標値 100%"):
        parse_actuals("指標,年度,実績値\nデジタル人材育成研修受講率,R7,0.85\n".encode(), indicators)


@pytest.mark.parametrize(
    "data",
    [
        "指標,年度,実績値,備考\n社会増減数(転入者数－転出者数),R7,−1,234\n",
        "指標,年度,実績値,備考\n人口,R7,2,390人\n",
        "指標,単位,R7,R8,R9\n人口,人,2,390\n",
    ],
)
def test_numbers_split_by_an_unquoted_comma_are_refused(indicators, data):
    with pytest.raises(InputError) as info:
        parse_actuals(data.encode(), indicators)
    assert "分かれて" in str(info.value) and not isinstance(info.value, UnusualValuesError)


def test_alt_enter_note_with_commas_is_kept(indicators):
    data = '指標,年度,実績値,備考\n人口,R7,2390,"テスト用 増加の要因:\n転入増(子育て世帯,単身者,高齢者)"\n'
    (record,) = parse_actuals(data.encode(), indicators).records
    assert record.note == "テスト用 増加の要因:\n転入増(子育て世帯,単身者,高齢者)"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("指標名,令和7年,令和8年\n,(2025),(2026)", [(2025, 2390.0), (2026, 2380.0)]),
        ("指標名,令和7年度,,令和8年度,\n,目標,実績,目標,実績", [(2025, 2380.0), (2026, 2370.0)]),
    ],
)
def test_two_row_headers(indicators, header, expected):
    rows = {"令和7年": "人口,2390,2380", "令和7年度": "人口,2400,2380,2300,2370"}
    body = rows["令和7年度" if "目標" in header else "令和7年"]
    parsed = parse_actuals(f"{header}\n{body}\n".encode(), indicators)
    assert [(r.year, r.value) for r in parsed.records] == expected


def test_total_rows_and_a_repeated_header_are_skipped_and_listed(indicators):
    data = "指標,年度,実績値\n人口,R7,2390\n合計,R7,9999\n指標,年度,実績値\n新規出店数,R7,1\n"
    parsed = parse_actuals(data.encode(), indicators)
    assert [(r.indicator_id, r.value) for r in parsed.records] == [("0-V1", 2390.0), ("2-1-K1", 1.0)]
    assert [(s.line, s.kind) for s in parsed.skipped] == [(3, "total"), (4, "header_again")]


def test_prolonged_sound_mark_as_minus(indicators):
    (record,) = parse_actuals("指標,年度,実績値\n社会増減数(転入者数－転出者数),R7,ー12\n".encode(), indicators).records
    assert record.value == -12.0


def test_the_form_reads_dates_in_the_year_column_like_the_import(indicators):
    from kamiplan.records.actuals_file import parse_year

    assert parse_year("R7年度末", "fiscal_year") == (2025, "")
    assert parse_year("2025/3/31", "fiscal_year") == (2024, "")
    assert parse_year("2025/3/31", "calendar_year") == (2025, "")
