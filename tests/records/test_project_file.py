"""The 事業の評価 file reader: layout, projects, years, words and amounts, all or nothing (テスト用の架空データ)."""

from __future__ import annotations

import datetime as dt

import pytest

from kamiplan.errors import InputError
from kamiplan.records.project_file import parse_project_files, read_fiscal_year
from tests.office_files import book, xlsx
from tests.project_files import CASES, HEADER, csv


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_naming_file_line_column_and_project(case, actions):
    with pytest.raises(InputError) as info:
        parse_project_files(case.files, actions, year=case.year)
    problems = info.value.problems
    assert len(problems) == len(case.errors), [str(p) for p in problems]
    for problem, expect in zip(problems, case.errors, strict=True):
        assert problem.path == expect.file, str(problem)
        assert problem.line == expect.line, str(problem)
        assert expect.column in problem.column, str(problem)
        assert expect.message in problem.message, str(problem)
        assert expect.project in str(problem), str(problem)


def test_cp932_csv_with_a_title_row_and_a_note_row(actions):
    text = (
        "令和7年度 事業の評価(テスト用の架空データ)\n"
        "\n"
        "事業ID,事業名,年度,実施状況,評価,今後の方向性,予算額(千円),決算額(千円),取組内容・実績,成果・課題,担当課,概要,委員意見\n"
        '1-1-1-01,子ども家庭センター設置事業,R7,実施,B,継続実施,"1,200",1100,相談①件(テスト用),髙い満足度,テスト課,,\n'
        "1-1-1-02,不妊治療費等助成事業,R7,,,,,,,,,,\n"
        "\n"
        "注1)金額はテスト用の架空データです。\n"
        "※出典:テスト用\n"
    )
    parsed = parse_project_files([("評価.csv", text.encode("cp932"))], actions)
    [row] = parsed.rows
    assert (row.file, row.line, row.action_id, row.year) == ("評価.csv", 4, "1-1-1-01", 2025)
    assert dict(row.values) == {
        "status": "実施",
        "grade": "B",
        "direction": "継続",  # 継続実施 is 継続
        "budget": 1200.0,
        "spent": 1100.0,
        "work": "相談①件(テスト用)",  # cp932 holds ① and 髙 (shift_jis would not)
        "outcome": "髙い満足度",
        "department": "テスト課",
    }
    assert [(s.line, s.kind) for s in parsed.skipped] == [
        (1, "above"),
        (2, "blank"),
        (5, "not_entered"),
        (6, "blank"),
        (7, "note"),
        (8, "note"),
    ]
    assert parsed.skipped[2].reason == "未入力(記録する列がすべて空欄)"
    assert "不妊治療費等助成事業" in parsed.skipped[2].text
    [read] = parsed.files
    assert read.source_label == "CSV・Shift_JIS(cp932)・カンマ区切り" and read.header_lines == (3,)
    assert read.ignored_columns == ("概要", "委員意見")


def test_xlsx_with_a_title_row_and_a_merged_two_row_header(actions):
    rows = [
        ["令和7年度 事業評価シート(テスト用の架空データ)", None, None, None, None, None, None, None],
        ["事業ID", "事業名", "年度", "評価", "事業費(千円)", None, "担当課", "備考"],
        [None, None, None, None, "予算額", "決算額", None, None],
        ["1-1-1-01", "子ども家庭センター設置事業", "R7", "Ａ", 1200, 1150, "テスト課", "新規"],
        ["1-1-1-02", "不妊治療費等助成事業", "令和7年度", "B", "1,000", "980", None, None],
        ["1-1-1-03", "妊婦一般健康診査助成事業", 2025, "C", None, None, None, None],
        ["注)テスト用の架空データ", None, None, None, None, None, None, None],
    ]
    data = xlsx(book(rows, merges=("A1:H1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2", "G2:G3", "H2:H3", "G4:G5")))
    parsed = parse_project_files([("評価.xlsx", data)], actions)
    got = {r.action_id: dict(r.values) for r in parsed.rows}
    assert got == {
        "1-1-1-01": {"grade": "A", "budget": 1200.0, "spent": 1150.0, "department": "テスト課"},
        "1-1-1-02": {"grade": "B", "budget": 1000.0, "spent": 980.0, "department": "テスト課"},
        "1-1-1-03": {"grade": "C", "budget": None, "spent": None, "department": ""},
    }
    [read] = parsed.files
    assert read.header_lines == (2, 3)
    assert read.fields == ("grade", "budget", "spent", "department")
    assert read.ignored_columns == ("備考",)
    assert [(s.line, s.kind) for s in parsed.skipped] == [(1, "above"), (7, "note")]
    # The 担当課 merged over two projects is recorded for both, and the preview says so.
    [merged] = [n for n in parsed.notices if "結合" in n.message]
    assert merged.line == 5 and merged.column == "担当課(G列)" and "「テスト課」" in merged.message


def test_amounts_in_yen_and_man_yen_are_converted_and_listed(actions):
    data = csv(
        '1-1-1-01,,R7,実施,B,継続,"1,200,000円",１２０万円,テスト課',
        "1-1-1-02,,R7,実施,B,継続,3千円,0,テスト課",
    )
    parsed = parse_project_files([("a.csv", data)], actions)
    assert [(r.values["budget"], r.values["spent"]) for r in parsed.rows] == [(1200.0, 1200.0), (3.0, 0.0)]
    assert [(c.line, c.column, c.text) for c in parsed.conversions] == [
        (3, "予算額(千円)", "1,200,000円 → 1,200千円"),
        (3, "決算額(千円)", "120万円 → 1,200千円"),
    ]
    assert "子ども家庭センター設置事業(1-1-1-01)・R7(2025)年度" == parsed.conversions[0].subject


def test_a_unit_in_the_heading_sets_the_column_unit(actions):
    header = "事業ID,年度,予算額(円),決算額\n"
    parsed = parse_project_files([("a.csv", csv("1-1-1-01,R7,2500000,2400", header=header))], actions)
    [row] = parsed.rows
    assert (row.values["budget"], row.values["spent"]) == (2500.0, 2400.0)
    assert [c.text for c in parsed.conversions] == ["2,500,000円 → 2,500千円"]


def test_a_repeat_row_is_recorded_on_its_original(actions):
    parsed = parse_project_files([("a.csv", csv("1-3-2-01,ケアラー支援推進事業,R7,実施,B,継続,,,テスト課"))], actions)
    [row] = parsed.rows
    assert (row.written_id, row.action_id) == ("1-3-2-01", "1-3-1-02")
    [notice] = parsed.notices
    assert notice.line == 3 and "再掲の行です。元の事業 ケアラー支援推進事業(1-3-1-02) に記録します" in notice.message


def test_a_name_shared_by_an_original_and_its_repeat_is_one_project(actions):
    parsed = parse_project_files([("a.csv", csv(",ケアラー支援推進事業,R7,実施,,,,,"))], actions)
    assert [(r.written_id, r.action_id) for r in parsed.rows] == [("1-3-1-02", "1-3-1-02")]
    assert parsed.notices == []


@pytest.mark.parametrize(
    ("written", "field", "stored"),
    [
        ("継続実施", "direction", "継続"),
        ("事業拡充", "direction", "拡充"),
        ("実施済み", "status", "実施"),
        ("未着手", "status", "未実施"),
        ("Ａ", "grade", "A"),
        ("b 概ね計画どおり", "grade", "B"),
    ],
)
def test_words_with_a_certain_meaning_are_accepted(actions, written, field, stored):
    header = {
        "direction": "事業ID,年度,今後の方向性\n",
        "status": "事業ID,年度,実施状況\n",
        "grade": "事業ID,年度,評価\n",
    }
    parsed = parse_project_files([("a.csv", csv(f"1-1-1-01,R7,{written}", header=header[field]))], actions)
    assert parsed.rows[0].values == {field: stored}


def test_the_year_argument_gives_the_year_of_a_file_without_one(actions):
    data = csv("1-1-1-01,実施", "1-1-1-02,一部実施", header="事業ID,実施状況\n")
    parsed = parse_project_files([("a.csv", data)], actions, year=2026)
    assert [(r.action_id, r.year) for r in parsed.rows] == [("1-1-1-01", 2026), ("1-1-1-02", 2026)]


def test_a_padded_id_and_an_id_with_look_alikes(actions):
    data = csv("１－１－１－１,,R7,実施,,,,,", "1ー1ー1ー02,,R7,実施,,,,,")
    assert [r.action_id for r in parse_project_files([("a.csv", data)], actions).rows] == ["1-1-1-01", "1-1-1-02"]


def test_a_total_row_is_skipped_not_refused(actions):
    data = csv("1-1-1-01,,R7,実施,B,継続,100,90,テスト課", ",合計,,,,,100,90,")
    parsed = parse_project_files([("a.csv", data)], actions)
    assert [(s.line, s.reason) for s in parsed.skipped if s.line == 4] == [(4, "合計の行(事業ではありません)")]


def test_no_header_says_what_it_looked_for(actions):
    with pytest.raises(InputError, match="見出しには、事業の列") as info:
        parse_project_files([("a.csv", "テスト用の架空データ\n名前,値\nx,1\n".encode())], actions)
    assert "1つ目の行は「テスト用の架空データ」です" in str(info.value)


def test_a_file_with_nothing_to_record_is_refused_listing_what_was_skipped(actions):
    with pytest.raises(InputError, match="記録する行がありません") as info:
        parse_project_files([("a.csv", csv("1-1-1-01,,R7,,,,,,"))], actions)
    assert "3行目 未入力" in str(info.value)


def test_same_columns_twice_are_refused(actions):
    with pytest.raises(InputError) as info:
        parse_project_files([("a.csv", csv("1-1-1-01,R7,A,B", header="事業ID,年度,評価,自己評価\n"))], actions)
    [problem] = info.value.problems
    assert (problem.line, problem.column) == (2, "自己評価")
    assert problem.message.startswith("同じ意味の列が2つあります(「評価」と「自己評価」)")


@pytest.mark.parametrize(
    ("cell", "year"),
    [
        ("R7", 2025),
        ("令和7年度", 2025),
        ("2025", 2025),
        ("2025年度", 2025),
        ("R7(2025)", 2025),
        ("Ｒ１１", 2029),
        (2026, 2026),
        (2026.0, 2026),
        (dt.datetime(1905, 7, 17), 2025),  # 2025 typed into a date cell
    ],
)
def test_fiscal_years(cell, year):
    assert read_fiscal_year(cell) == (year, "")


@pytest.mark.parametrize("cell", ["H27", "R12", "2024", "2030年度", "昭和55年", "7", "来年", "", None, True])
def test_years_refused(cell):
    year, reason = read_fiscal_year(cell)
    assert year is None and reason


def test_the_header_line_of_the_actuals_file_is_not_a_project_file(actions):
    """An actuals file given by mistake is refused by its header, not read as projects."""
    with pytest.raises(InputError, match="表の見出し行が見つかりません"):
        parse_project_files([("a.csv", "指標,年度,実績値\n人口,R7,2390\n".encode())], actions)


def test_the_reader_does_not_change_the_plan_frame(actions):
    before = actions.copy()
    parse_project_files([("a.csv", csv("1-1-1-01,,R7,実施,,,,,"))], actions)
    assert actions.equals(before)


def test_header_constant_names_every_field():
    assert HEADER.strip().split(",")[3:] == [
        "実施状況",
        "評価",
        "今後の方向性",
        "予算額(千円)",
        "決算額(千円)",
        "担当課",
    ]
