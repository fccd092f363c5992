"""事業の評価 in and out of files: preview, save, export, the Excel template (テスト用の架空データ throughout)."""

from __future__ import annotations

import csv as csvlib
import io

import openpyxl
import pytest

from kamiplan.errors import InputError
from kamiplan.outputs.export import to_csv_bytes
from kamiplan.records.actuals_file import UnusualValuesError
from kamiplan.records.projects import ProjectChange, ProjectRecord, ProjectStore
from kamiplan.records.projects_io import (
    EXPORT_COLUMNS,
    TEMPLATE_COLUMNS,
    UnusualAmountsError,
    commit_project_import,
    plan_project_import,
    project_export_frame,
    project_template,
)
from kamiplan.records.store import StaleError
from tests.project_files import csv

NOTE = "テスト用の架空データ"


@pytest.fixture
def store(plan_copy):
    return ProjectStore(plan_copy)


def stored_bytes(store):
    return {p.name: p.read_bytes() for p in sorted(store.dir.iterdir()) if p.name.startswith("projects")}


def save(store, *items):
    """Records ((action_id, year), ProjectRecord), saved as one change by 「テスト」."""
    store.save(
        [ProjectChange(key=k[0], year=k[1], new=r, expected=ProjectRecord()) for k, r in items], "テスト", "form"
    )


def fill(book: bytes, cells: dict[str, dict[str, object]]) -> bytes:
    """Type into a template as a 担当課 would: {事業ID: {heading: value}} (text starting with = stays text)."""
    wb = openpyxl.load_workbook(io.BytesIO(book))
    ws = wb.active
    headings = {c.value: c.column for c in ws[2]}
    rows = {ws.cell(row=r, column=1).value: r for r in range(3, ws.max_row + 1)}
    for action_id, values in cells.items():
        for heading, value in values.items():
            cell = ws.cell(row=rows[action_id], column=headings[heading])
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sheet_rows(book: bytes) -> dict[str, dict[str, object]]:
    ws = openpyxl.load_workbook(io.BytesIO(book)).active
    headings = [c.value for c in ws[2]]
    return {
        row[0]: dict(zip(headings, row, strict=True)) for row in ws.iter_rows(min_row=3, values_only=True) if row[0]
    }


def test_template_filled_in_imports_and_its_export_reimports_without_changes(actions, store):
    filled = fill(
        project_template(actions, {}, 2025),
        {
            "1-1-1-01": {
                "実施状況": "実施",
                "評価": "B",
                "今後の方向性": "継続",
                "予算額(千円)": 1200,
                "決算額(千円)": 1150.5,
                "取組内容・実績": f"{NOTE}: 相談 12件\n訪問 3件",
                "成果・課題": "=SUM(A1)",  # text that looks like a formula stays text
                "担当課": "テスト課",
            },
            "1-2-2-09": {"実施状況": "一部実施", "予算額(千円)": "1,200,000円", "担当課": "テスト課"},
        },
    )
    plan = plan_project_import([("評価R7.xlsx", filled)], actions, store)
    assert plan.counts == {"新規": 2, "変更": 0, "変更なし": 0}
    assert [c.text for c in plan.conversions] == ["1,200,000円 → 1,200千円"]
    commit_project_import(plan, store, by="テスト")
    records = store.records()
    assert records[("1-1-1-01", 2025)] == ProjectRecord(
        "実施", "B", "継続", 1200.0, 1150.5, f"{NOTE}: 相談 12件\n訪問 3件", "=SUM(A1)", "テスト課"
    )
    assert records[("1-2-2-09", 2025)] == ProjectRecord(status="一部実施", budget=1200.0, department="テスト課")
    assert store.log()["how"].unique().tolist() == ["file:評価R7.xlsx"]

    before = stored_bytes(store)
    for encoding in ("utf-8-sig", "cp932"):
        data = to_csv_bytes(project_export_frame(actions, records), encoding)
        text = data.decode(encoding)
        assert "'=SUM(A1)" in text and ",1200,1150.5," in text  # formula-safe text, numbers as numbers
        again = plan_project_import([("export.csv", data)], actions, store)
        assert again.counts == {"新規": 0, "変更": 0, "変更なし": 2} and again.changes == ()
    # The template of the same year, with what is recorded, is unchanged too.
    again = plan_project_import([("t.xlsx", project_template(actions, records, 2025))], actions, store)
    assert again.changes == () and again.counts["変更なし"] == 2
    assert stored_bytes(store) == before


def test_the_template_is_a_locked_sheet_with_dropdowns(actions):
    book = project_template(actions, {}, 2025)
    ws = openpyxl.load_workbook(io.BytesIO(book)).active
    assert ws.title == "事業の評価 R7(2025)"
    assert str(ws["A1"].value).startswith("R7(2025)年度 事業の評価(入力用)")
    assert tuple(c.value for c in ws[2]) == TEMPLATE_COLUMNS
    ids = [ws.cell(row=r, column=1).value for r in range(3, ws.max_row + 1)]
    plain = actions[~actions["is_repeat"]]
    assert ids == plain.sort_values("seq")["action_id"].tolist()  # every project but the 再掲 rows, in order
    third = {c.column_letter: c for c in ws[3]}
    assert (
        third["B"].value == "子ども家庭センター設置事業"
        and third["D"].value == "新規"
        and third["E"].value == "R7(2025)"
    )
    assert ws.protection.sheet
    assert all(third[k].protection.locked for k in "ABCDE")  # 事業ID, 事業名, 概要, 備考, 年度
    assert not any(third[k].protection.locked for k in "FGHIJKLM")
    assert ws.freeze_panes == "C3"
    assert third["I"].number_format == third["J"].number_format == '#,##0"千円"'
    assert third["C"].alignment.wrap_text and ws.column_dimensions["C"].width > 30
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    last = ws.max_row
    assert lists == {
        f"F3:F{last}": '"実施,一部実施,未実施,検討中,完了,休止,廃止"',
        f"G3:G{last}": '"A,B,C,D"',
        f"H3:H{last}": '"拡充,継続,改善,縮小,統合,休止,廃止,完了"',
    }


def test_the_second_year_template_carries_last_years_department_and_direction(actions, store):
    save(store, (("1-1-1-01", 2025), ProjectRecord(status="実施", direction="拡充", department="テスト課")))
    book = project_template(actions, store.records(), 2026)
    row = sheet_rows(book)["1-1-1-01"]
    assert (row["年度"], row["今後の方向性"], row["担当課"], row["実施状況"]) == ("R8(2026)", "拡充", "テスト課", None)
    # Sent back untouched: nothing is recorded for R8 (the carried words are not a record of the year).
    untouched = plan_project_import([("R8.xlsx", book)], actions, store)
    assert untouched.changes == ()
    carried = [s for s in untouched.skipped if s.kind == "carried_over"]
    assert [(s.line, s.text) for s in carried] == [(3, "子ども家庭センター設置事業(1-1-1-01)")]
    assert carried[0].reason == "未入力(前年度から引き継いだ担当課・今後の方向性のまま)"
    # Filled in: the carried 担当課 and 方向性 are recorded with the year's status.
    plan = plan_project_import([("R8.xlsx", fill(book, {"1-1-1-01": {"実施状況": "完了"}}))], actions, store)
    commit_project_import(plan, store, by="テスト")
    assert store.records()[("1-1-1-01", 2026)] == ProjectRecord(status="完了", direction="拡充", department="テスト課")


def test_an_untouched_template_row_does_not_overwrite_a_record_made_since(actions, store):
    save(store, (("1-1-1-01", 2025), ProjectRecord(direction="継続", department="テスト課")))
    book = project_template(actions, store.records(), 2026)  # sent with テスト課 carried
    save(store, (("1-1-1-01", 2026), ProjectRecord(status="実施", department="別のテスト課")))  # taken over since
    plan = plan_project_import([("R8.xlsx", book)], actions, store)
    assert plan.changes == () and [s.line for s in plan.skipped if s.kind == "carried_over"] == [3]


def test_a_department_gets_its_projects_and_the_unclaimed_ones(actions, store):
    save(
        store,
        (("1-1-1-01", 2025), ProjectRecord(department="テスト課")),
        (("1-1-1-02", 2025), ProjectRecord(department="別のテスト課")),
    )
    ids = set(sheet_rows(project_template(actions, store.records(), 2026, "テスト課 ")))  # a space typed after
    assert "1-1-1-01" in ids and "1-1-1-02" not in ids and "1-1-1-03" in ids
    assert len(ids) == (~actions["is_repeat"]).sum() - 1
    with pytest.raises(InputError, match="記録のある担当課: 「テスト課」、「別のテスト課」"):
        project_template(actions, store.records(), 2026, "存在しない課")


def test_columns_the_file_does_not_have_keep_what_is_stored(actions, store):
    stored = ProjectRecord("一部実施", "C", "継続", 1000.0, 900.0, NOTE, "課題あり", "テスト課")
    save(store, (("1-1-1-01", 2025), stored))
    data = csv("1-1-1-01,R7,実施,B", header="事業ID,年度,実施状況,評価\n")
    plan = plan_project_import([("a.csv", data)], actions, store)
    [row] = plan.rows
    assert row.state == "変更"
    assert [(c.label, c.old, c.new) for c in row.changes] == [
        ("実施状況", "一部実施", "実施"),
        ("評価", "C 遅れ", "B 概ね計画どおり"),
    ]
    commit_project_import(plan, store, by="テスト")
    assert store.records()[("1-1-1-01", 2025)] == ProjectRecord(
        "実施", "B", "継続", 1000.0, 900.0, NOTE, "課題あり", "テスト課"
    )


def test_a_blank_cell_in_a_column_the_file_has_empties_that_field(actions, store):
    save(store, (("1-1-1-01", 2025), ProjectRecord(status="実施", budget=1000.0)))
    plan = plan_project_import(
        [("a.csv", csv("1-1-1-01,R7,完了,", header="事業ID,年度,実施状況,予算額\n"))], actions, store
    )
    assert [(c.label, c.old, c.new) for c in plan.rows[0].changes] == [
        ("実施状況", "実施", "完了"),
        ("予算額", "1,000千円", "(未入力)"),
    ]


def test_spending_far_above_the_budget_must_be_confirmed(actions, store):
    data = csv("1-1-1-01,,R7,実施,B,継続,1000,2000,テスト課")
    with pytest.raises(UnusualAmountsError) as info:
        plan_project_import([("a.csv", data)], actions, store)
    assert isinstance(info.value, UnusualValuesError)  # the page's handler of questioned values catches it
    [problem] = info.value.problems
    assert (problem.path, problem.line, problem.column, problem.value) == ("a.csv", 3, "決算額(千円)", "2000")
    assert problem.subject == "子ども家庭センター設置事業(1-1-1-01)・R7(2025)年度"
    assert "決算額 2,000千円 が予算額 1,000千円 の1.5倍を超えています(2.0倍)" in problem.message
    assert stored_bytes(store) == {}
    plan = plan_project_import([("a.csv", data)], actions, store, accept_unusual=True)
    assert len(plan.unusual) == 1 and "確認済み" in plan.rows[0].remarks[-1]
    commit_project_import(plan, store, by="テスト")
    assert store.records()[("1-1-1-01", 2025)].spent == 2000.0
    # Recorded once confirmed: importing the same amounts again does not ask again.
    assert plan_project_import([("a.csv", data)], actions, store).changes == ()
    # A 決算額 alone is compared with the 予算額 already recorded.
    alone = csv("1-1-1-01,R7,5000", header="事業ID,年度,決算額\n")
    with pytest.raises(UnusualAmountsError, match="決算額 5,000千円 が予算額 1,000千円"):
        plan_project_import([("b.csv", alone)], actions, store)


def test_a_change_made_after_the_preview_is_not_overwritten(actions, store):
    plan = plan_project_import([("a.csv", csv("1-1-1-01,,R7,実施,B,継続,,,テスト課"))], actions, store)
    save(store, (("1-1-1-01", 2025), ProjectRecord(status="未実施")))
    with pytest.raises(StaleError) as info:
        commit_project_import(plan, store, by="テスト")
    message = str(info.value)
    assert "子ども家庭センター設置事業(1-1-1-01)・R7(2025)年度" in message and "「テスト」が" in message
    assert store.records()[("1-1-1-01", 2025)] == ProjectRecord(status="未実施")


def test_several_files_are_one_import(actions, store):
    files = [
        ("a.csv", csv("1-1-1-01,,R7,実施,B,継続,,,テスト課")),
        ("b.csv", csv("1-3-2-01,,R7,実施,A,拡充,,,テスト課")),  # a 再掲 row: kept on 1-3-1-02
    ]
    plan = plan_project_import(files, actions, store)
    assert [(r.file, r.action_id, r.written_id) for r in plan.rows] == [
        ("a.csv", "1-1-1-01", "1-1-1-01"),
        ("b.csv", "1-3-1-02", "1-3-2-01"),
    ]
    assert "元の事業 ケアラー支援推進事業(1-3-1-02) に記録します" in plan.rows[1].remarks[0]
    result = commit_project_import(plan, store, by="テスト")
    assert result.changed == 2
    assert store.log()["how"].unique().tolist() == ["file:a.csv、b.csv"]
    assert set(store.records()) == {("1-1-1-01", 2025), ("1-3-1-02", 2025)}


def test_the_preview_tables_read_as_japanese(actions, store):
    save(store, (("1-1-1-01", 2025), ProjectRecord(status="一部実施")))
    data = csv(
        '1-1-1-01,,R7,実施,B,継続,"1,200,000円",,テスト課',
        "1-3-2-01,,R7,実施,,,,,",
        "1-1-1-02,,R7,,,,,,",
        "注)テスト用の架空データ",
    )
    plan = plan_project_import([("a.csv", data)], actions, store)
    preview = plan.preview_frame()
    assert preview.columns.tolist() == ["ファイル", "行", "状態", "事業名", "年度", "変更内容", "確認", "事業ID"]
    assert preview["状態"].tolist() == ["変更", "新規"]
    assert preview.loc[0, "変更内容"].startswith("実施状況: 一部実施 → 実施、評価: (未入力) → B 概ね計画どおり")
    assert "予算額(千円): 1,200,000円 → 1,200千円" in preview.loc[0, "確認"]
    assert "再掲の行です" in preview.loc[1, "確認"]
    assert plan.changes_frame()["項目"].tolist()[:2] == ["実施状況", "評価"]
    assert plan.skipped_frame()[["行", "理由"]].values.tolist() == [
        [1, "見出し行より上の行(表題など)"],
        [5, "未入力(記録する列がすべて空欄)"],
        [6, "注記の行(注・※・出典など)"],
    ]
    assert plan.conversions_frame()["換算"].tolist() == ["1,200,000円 → 1,200千円"]
    assert plan.notices_frame()["行"].tolist() == [4]
    for frame in (preview, plan.changes_frame(), plan.skipped_frame(), plan.notices_frame(), plan.conversions_frame()):
        text = to_csv_bytes(frame).decode("utf-8-sig")
        assert not any(word in text for word in ("None", "nan", "NaN", "<NA>")), text


def test_the_export_is_the_import_format(actions, store):
    save(
        store,
        (("1-1-1-02", 2026), ProjectRecord(status="実施", budget=500.0)),
        (("1-1-1-01", 2025), ProjectRecord(grade="A", spent=0.0, department="@テスト課")),
    )
    frame = project_export_frame(actions, store.records())
    assert (
        tuple(frame.columns)
        == EXPORT_COLUMNS
        == (
            "事業ID",
            "事業名",
            "年度",
            "実施状況",
            "評価",
            "今後の方向性",
            "予算額(千円)",
            "決算額(千円)",
            "取組内容・実績",
            "成果・課題",
            "担当課",
        )
    )
    rows = list(csvlib.DictReader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig"))))
    assert [(r["事業ID"], r["年度"], r["予算額(千円)"], r["決算額(千円)"], r["担当課"]) for r in rows] == [
        ("1-1-1-01", "R7(2025)", "", "0", "'@テスト課"),
        ("1-1-1-02", "R8(2026)", "500", "", ""),
    ]


def test_inputs_are_not_changed(actions, store):
    save(store, (("1-1-1-01", 2025), ProjectRecord(direction="継続", department="テスト課")))
    records = store.records()
    frozen_records, frozen_actions = dict(records), actions.copy()
    project_template(actions, records, 2026, "テスト課")
    project_export_frame(actions, records)
    plan_project_import([("a.csv", csv("1-1-1-01,,R7,実施,,,,,"))], actions, store)
    assert records == frozen_records and actions.equals(frozen_actions)


def test_a_template_year_outside_the_plan_is_refused(actions):
    with pytest.raises(InputError, match="計画期間"):
        project_template(actions, {}, 2030)
