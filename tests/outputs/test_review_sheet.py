"""効果検証シート: the Excel book read back with openpyxl (テスト用の架空データ)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import openpyxl
import pandas as pd
import pytest

from kamiplan import labels
from kamiplan.cli import main
from kamiplan.errors import InputError
from kamiplan.model.project_rollup import project_table, rollup
from kamiplan.outputs import review_sheet
from kamiplan.outputs.report import build_report
from kamiplan.plan import queries
from kamiplan.plan.db import PlanDB
from kamiplan.records.actuals_store import ActualsStore
from kamiplan.records.projects import ProjectStore
from tests.conftest import DATA
from tests.synthetic import LABEL, plan_folder, populate_projects, synthetic_changes, synthetic_project_changes

LEFTOVER = re.compile(r"\b(None|null|NaN|nan|NaT|<NA>)\b")
FORMULA_NOTE = '=HYPERLINK("http://example.invalid","click")'  # typed text, never a formula
CREATED = date(2026, 5, 20)
YEAR = 2025


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The plan with invented actuals (R7・R8) and project records (R7); one note looks like a formula."""
    out = plan_folder(tmp_path_factory.mktemp("review") / "data", DATA)
    con = PlanDB(out).cursor()
    changes = [
        replace(c, new=replace(c.new, note=FORMULA_NOTE)) if (c.series_id, c.year) == ("1-1-T3", YEAR) else c
        for c in synthetic_changes(queries.indicators(con))
    ]
    ActualsStore(out).save(changes, by="テスト", how="form")
    populate_projects(out, queries.actions(con))
    return out


@pytest.fixture(scope="module")
def inputs(folder):
    return PlanDB(folder).cursor(), ActualsStore(folder).current(), ProjectStore(folder).current()


@pytest.fixture(scope="module")
def book(inputs):
    con, actuals, projects = inputs
    return openpyxl.load_workbook(io.BytesIO(review_sheet.review_workbook(con, actuals, projects, YEAR, CREATED)))


def table_of(ws) -> list[dict]:
    """The rows of a data sheet as dicts keyed by its header row."""
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)]


def blocks_of(ws) -> dict[str, list[dict]]:
    """The 総括's tables by their heading: rows below the header row until the first empty row."""
    found: dict[str, list[dict]] = {}
    headings = {*labels.REVIEW_INDICATOR_HEADINGS.values(), *labels.REVIEW_PROJECT_HEADINGS.values()}
    rows = list(ws.iter_rows(values_only=True))
    for i, row in enumerate(rows):
        if row[0] in headings:
            header = [h for h in rows[i + 1] if h is not None]
            body = []
            for values in rows[i + 2 :]:
                if values[0] is None:
                    break
                body.append(dict(zip(header, values[: len(header)], strict=True)))
            found[row[0]] = body
    return found


def test_three_sheets_and_the_title(book):
    assert book.sheetnames == ["総括", "指標", "事業"]
    ws = book["総括"]
    assert ws["A1"].value == "令和7年度(R7) 効果検証シート"
    assert "第8期上砂川町総合計画前期基本計画" in ws["A2"].value
    assert ws["A3"].value == "評価年度 R7(2025)年度 ・ 作成日 2026年5月20日"
    assert review_sheet.review_title(2029) == "令和11年度(R11) 効果検証シート"
    assert review_sheet.review_filename(2025) == "効果検証シート_R7(2025)年度.xlsx"


def test_every_indicator_row_once_in_plan_order(book, inputs):
    con, _, _ = inputs
    rows = table_of(book["指標"])
    plan = queries.indicators(con)
    assert len(rows) == len(plan) == 46
    assert [r["指標ID"] for r in rows] == plan["indicator_id"].tolist()
    assert list(rows[0])[-2:] == list(labels.REVIEW_COMMITTEE_COLUMNS)
    assert all(r["委員意見"] is None and r["対応方針"] is None for r in rows)


def test_an_indicator_row_worked_by_hand(book, inputs):
    """人口 (0-V1), R7: baseline 2,438 (R6.4.1), target 2,020 (R11.4.1); the path is at 2,354.4 in R7
    (tests/outputs/test_report.py). The invented actual runs 1.3 × the path's step: 2,438 − 83.6 × 1.3 =
    2,329.32, i.e. (2,438 − 2,329.32) ÷ (2,438 − 2,020) = 26.0 % of the way. The grade is the report's."""
    con, actuals, _ = inputs
    row = next(r for r in table_of(book["指標"]) if r["指標ID"] == "0-V1")
    report = build_report(con, actuals, YEAR).set_index("indicator_id")
    assert (row["大綱"], row["基本計画"], row["指標名"], row["単位"]) == ("計画全体", None, "人口", "人")
    assert (row["基準値"], row["基準年"], row["目標値"], row["目標年"]) == (2438, "R6.4.1(2024)", 2020, "R11.4.1(2029)")
    assert row["R7(2025)"] == pytest.approx(2329.32) and row["R8(2026)"] == pytest.approx(2220.64)
    assert row["R9(2027)"] is None and row["R11(2029)"] is None
    assert row[labels.REVIEW_INDICATOR_COLUMNS["actual"]] == pytest.approx(2329.32)
    assert row["計画線上の値"] == pytest.approx(2354.4)
    assert row["進捗率"] == pytest.approx(0.26)
    assert row["達成率"] == pytest.approx(round(report.loc["0-V1", "achievement_pct"], 1) / 100)
    grade = report.loc["0-V1", "grade"]
    assert row["評価"] == f"{labels.GRADE_SYMBOLS[grade]} {report.loc['0-V1', 'grade_label']}"
    assert (row["要因分析"], row["出典"]) == (LABEL, "テスト")
    # Every row's grade is the report's (nothing is evaluated twice).
    for r in table_of(book["指標"]):
        assert r["評価"].split(" ", 1)[1] == report.loc[r["指標ID"], "grade_label"]
    # A 5か年合計 indicator shows each year's count and the cumulative figure evaluated.
    shops = next(r for r in table_of(book["指標"]) if r["指標ID"] == "2-1-K1")
    assert shops["目標年"].endswith(labels.REVIEW_CUMULATIVE_TARGET)
    assert shops[labels.REVIEW_INDICATOR_COLUMNS["actual"]] == pytest.approx(report.loc["2-1-K1", "actual"])


def test_every_action_row_with_its_record(book, inputs):
    con, _, _ = inputs
    rows = table_of(book["事業"])
    actions = queries.actions(con)
    assert len(rows) == len(actions) == 196
    assert [r["事業ID"] for r in rows] == actions["action_id"].tolist()
    first = rows[0]  # 1-1-1-01, the first pattern of the invented records: 実施・A・拡充, 100 / 90 千円
    assert (first["大綱"], first["基本計画"], first["施策"]) == (
        "大綱1 健康で心豊かに暮らせるまち",
        "(1) 安心して子どもを産み育てられるまちづくり",
        "① 妊娠期からの切れ目ない支援",
    )
    assert (first["事業名"], first["備考"], first["再掲元"]) == (
        "子ども家庭センター設置事業",
        "新規",
        None,
    )
    assert first["概要"].startswith("妊産婦から子ども、子育て世代の相談支援事業")
    assert (first["実施状況"], first["評価"], first["今後の方向性"], first["担当課"]) == (
        "実施",
        "A 計画どおり以上",
        "拡充",
        "テスト課A",
    )
    assert (first["予算額(千円)"], first["決算額(千円)"]) == (100, 90)
    assert (first["取組内容・実績"], first["成果・課題"]) == (LABEL, "テスト用の成果・課題")


def test_a_repeat_row_shows_its_originals_record(book, inputs):
    con, _, _ = inputs
    rows = {r["事業ID"]: r for r in table_of(book["事業"])}
    record = {c.key: c.new for c in synthetic_project_changes(queries.actions(con))}["3-1-3-01"]
    repeat = rows["4-2-1-05"]  # 下水道GIS導入, 大綱4 再掲 of 3-1-3-01 in 大綱3(1)③
    assert repeat["備考"] == "新規 (再掲)"
    assert repeat["再掲元"] == "3-1-3-01 下水道GIS導入(大綱3(1)③)の記録を表示"
    assert (repeat["実施状況"], repeat["評価"], repeat["予算額(千円)"], repeat["決算額(千円)"]) == (
        record.status,
        "C 遅れ",
        record.budget,
        record.spent,
    )
    original = rows["3-1-3-01"]
    assert [original[k] for k in ("実施状況", "評価", "取組内容・実績")] == [
        repeat[k] for k in ("実施状況", "評価", "取組内容・実績")
    ]
    # Not entered: every record field empty, never 「未入力」 or None written out.
    empty = next(r for r in rows.values() if r["実施状況"] is None)
    assert all(empty[k] is None for k in ("評価", "予算額(千円)", "決算額(千円)", "取組内容・実績", "担当課"))


def test_summary_counts_are_the_rollups(book, inputs):
    con, actuals, projects = inputs
    blocks = blocks_of(book["総括"])
    table = project_table(queries.actions(con), projects, YEAR)
    for by, keys in (("pillar", ("pillar",)), ("policy", ("pillar", "policy"))):
        expected = rollup(table, by=keys)
        shown = blocks[labels.REVIEW_PROJECT_HEADINGS[by]]
        assert len(shown) == len(expected) + 1 and shown[-1]["区分"] == "合計"
        for row, exp in zip(shown, expected.to_dict("records"), strict=False):
            assert row["事業(行)"] == exp["projects"] and row["未評価"] == exp["grade_none"]
            assert [row[f"{g} {w}"] for g, w in labels.PROJECT_GRADES.items()] == [
                exp[f"grade_{g}"] for g in labels.PROJECT_GRADES
            ]
            assert [row[w] for w in labels.PROJECT_STATUSES] == [exp[f"status_{w}"] for w in labels.PROJECT_STATUSES]
            assert row["未入力"] == exp["status_none"] and row["予算額(千円)"] == pytest.approx(exp["budget"])
        total = shown[-1]
        assert total["事業(行)"] == 186 == expected["projects"].sum()  # 196 rows less the 10 再掲
        assert total["A 計画どおり以上"] == expected["grade_A"].sum()
        assert total["実施"] == expected["status_実施"].sum()
        assert total["決算額(千円)"] == pytest.approx(expected["spent"].sum())
    grades = build_report(con, actuals, YEAR)["grade"]
    for by in ("pillar", "policy"):
        shown = blocks[labels.REVIEW_INDICATOR_HEADINGS[by]]
        total = shown[-1]
        assert total["区分"] == "合計" and total["計"] == 46
        for g in labels.GRADES:
            assert total[labels.grade_text(g)] == int((grades == g).sum())
            assert sum(r[labels.grade_text(g)] for r in shown[:-1]) == total[labels.grade_text(g)]
    assert blocks[labels.REVIEW_INDICATOR_HEADINGS["pillar"]][0]["区分"] == "計画全体"


def test_numbers_are_numbers_with_formats(book):
    ws = book["事業"]
    header = [c.value for c in ws[1]]
    budget = ws.cell(row=2, column=header.index("予算額(千円)") + 1)
    assert isinstance(budget.value, (int, float)) and budget.number_format == "#,##0"
    ws = book["指標"]
    header = [c.value for c in ws[1]]
    for name in ("進捗率", "達成率"):
        cell = ws.cell(row=2, column=header.index(name) + 1)
        assert isinstance(cell.value, float) and cell.number_format.startswith("0.0%")
    rate = ws.cell(row=3, column=header.index("基準値") + 1)  # 63.9 %, written with one decimal
    assert rate.value == pytest.approx(63.9) and rate.number_format.startswith("#,##0.0;")
    social = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "0-P2")
    minus = ws.cell(row=social, column=header.index("基準値") + 1)
    assert minus.value == -41 and minus.number_format == '#,##0;"▲"#,##0'  # shown ▲41 as in the plan
    assert review_sheet.number_format(2) == '#,##0.00;"▲"#,##0.00'


def test_office_formatting(book):
    for name in ("指標", "事業"):
        ws = book[name]
        last = openpyxl.utils.get_column_letter(ws.max_column)
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}"
        assert ws.print_title_rows == "$1:$1"
        assert ws["A1"].font.b and ws["A1"].alignment.wrap_text
        assert ws.cell(row=1, column=ws.max_column).value == "対応方針"
    for ws in book:
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws["A1"].font.name == review_sheet.FONT_NAME
    ws = book["事業"]
    header = [c.value for c in ws[1]]
    summary = ws.cell(row=2, column=header.index("概要") + 1)
    assert summary.alignment.wrap_text and ws.column_dimensions["F"].width == pytest.approx(28)
    assert ws.row_dimensions[2].height > 2 * review_sheet.LINE_HEIGHT  # a long 概要 gets its lines


def test_no_programmer_words_and_formula_like_text_stays_text(book):
    for ws in book:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert not LEFTOVER.search(cell.value), (ws.title, cell.coordinate, cell.value)
                    assert cell.value.strip(), (ws.title, cell.coordinate)  # empty is an empty cell
                    assert cell.data_type != "f", (ws.title, cell.coordinate)
                elif isinstance(cell.value, float):
                    assert cell.value == cell.value, (ws.title, cell.coordinate)  # no NaN
    note = next(r for r in table_of(book["指標"]) if r["指標ID"] == "1-1-T3")["要因分析"]
    assert note == FORMULA_NOTE


def test_an_empty_year_and_inputs_not_modified(inputs):
    con, actuals, projects = inputs
    before = (actuals.copy(), projects.copy())
    data = review_sheet.review_data(con, actuals, projects, 2029)  # nothing recorded for R11
    pd.testing.assert_frame_equal(actuals, before[0])
    pd.testing.assert_frame_equal(projects, before[1])
    assert len(data.indicators.rows) == 46 and len(data.projects.rows) == 196
    book = openpyxl.load_workbook(io.BytesIO(review_sheet.render_workbook(data, CREATED)))
    assert set(r["評価"] for r in table_of(book["指標"])) == {"− 評価不能"}
    assert all(r["実施状況"] is None for r in table_of(book["事業"]))
    for ws in book:
        for row in ws.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and LEFTOVER.search(v) for v in row)


def test_a_year_outside_the_plan_is_refused(inputs):
    con, actuals, projects = inputs
    with pytest.raises(InputError, match="計画期間"):
        review_sheet.review_workbook(con, actuals, projects, 2030)


def test_command_writes_the_book(folder, tmp_path, capsys):
    out = tmp_path / "効果検証シート.xlsx"
    assert main(["review-sheet", "--year", "令和7年度", "--out", str(out), "--data-dir", str(folder)]) == 0
    book = openpyxl.load_workbook(out)
    assert book["総括"]["A1"].value == "令和7年度(R7) 効果検証シート" and book["事業"].max_row == 197
    assert "書き出しました" in capsys.readouterr().err


def test_command_refuses_a_year_outside_the_plan(folder, tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    assert main(["review-sheet", "--year", "R12", "--out", str(out), "--data-dir", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "計画期間(R7(2025)〜R11(2029)年度)の中で指定してください" in err and "何も書き込んでいません" in err
    assert not out.exists() and not list(tmp_path.iterdir())


def test_characters_excel_refuses_are_left_out(inputs):
    """A vertical tab (Excel's Alt+Enter pasted from another book) in a record would stop openpyxl."""
    con, actuals, _ = inputs
    record = {"action_id": "1-1-1-01", "year": YEAR, "status": "実施", "grade": "A", "direction": "継続"}
    record |= {"budget": 1200.0, "spent": None, "work": "説明会\x0b2回", "outcome": "\x00", "department": ""}
    book = openpyxl.load_workbook(
        io.BytesIO(review_sheet.review_workbook(con, actuals, pd.DataFrame([record]), YEAR, CREATED))
    )
    row = table_of(book["事業"])[0]
    assert (row["取組内容・実績"], row["成果・課題"], row["決算額(千円)"]) == ("説明会2回", None, None)
    assert row["予算額(千円)"] == 1200


def test_amounts_are_shown_as_recorded_not_rounded():
    """A tester imported 1,499.5千円: the sheet showed 1,500 while the app said 1,499.5."""
    from kamiplan.outputs.review_sheet import amount_format

    assert amount_format(1200.0) == amount_format(1200) == "#,##0"
    assert amount_format(1499.5) == "#,##0.0"
    assert amount_format(1234.567) == "#,##0.000"
    assert amount_format(None) == "#,##0"
