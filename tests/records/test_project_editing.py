"""The 事業の評価 table → project changes: what is read (IME input), what is refused (named, nothing saved)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from kamiplan.errors import InputError
from kamiplan.records.project_editing import (
    COL_BUDGET,
    COL_DEPARTMENT,
    COL_DIRECTION,
    COL_GRADE,
    COL_ID,
    COL_OUTCOME,
    COL_PREVIOUS_DIRECTION,
    COL_SPENT,
    COL_STATUS,
    COL_SUMMARY,
    COL_WORK,
    TABLE_COLUMNS,
    changes_from_project_editor,
    measure_label,
    project_change_summary,
    project_editor_frame,
    project_log_frame,
    read_thousand_yen,
    repeat_notes,
)
from kamiplan.records.projects import EMPTY_PROJECT, ProjectRecord, ProjectStore
from kamiplan.records.projects_io import project_describer

YEAR = 2025
FIRST = "1-1-1-01"  # 子ども家庭センター設置事業, the first row of 大綱1(1)①
SUBJECT = "子ども家庭センター設置事業(1-1-1-01)・R7(2025)年度"
LEFTOVER = re.compile(r"\b(None|null|NaN|nan|NaT|<NA>)\b")


@pytest.fixture
def measure(actions) -> pd.DataFrame:
    """大綱1(1)① 妊娠期からの切れ目ない支援: ten projects, none 再掲."""
    return actions[(actions.pillar == 1) & (actions.policy == 1) & (actions.measure == 1)]


def edited(before: pd.DataFrame, action_id: str, **cells) -> pd.DataFrame:
    """``before`` with cells of one row changed (column name → text), as the editor returns it."""
    after = before.copy()
    row = after.index[after[COL_ID] == action_id][0]
    for column, value in cells.items():
        after[column] = after[column].astype(object)
        after.at[row, column] = value
    return after


def save_table(tmp_path, before, after, records=None, year=YEAR, actions=None) -> ProjectStore:
    """What the page does on 保存: read the table, then save (or not)."""
    store = ProjectStore(tmp_path)
    changes = changes_from_project_editor(before, after, records or {}, year)
    if changes:
        store.save(changes, by="企画課 テスト", how="form")
    return store


def test_the_table_of_a_measure(measure):
    frame = project_editor_frame(measure, {}, YEAR)
    assert list(frame.columns) == list(TABLE_COLUMNS)
    assert len(frame) == 10 and frame[COL_ID].iloc[0] == FIRST
    assert frame[COL_SUMMARY].str.len().max() <= 30 and frame[COL_SUMMARY].iloc[0].endswith("…")
    assert frame[COL_STATUS].isna().all()  # an empty choice is None (the select box's empty option)
    assert (frame[COL_BUDGET] == "").all() and (frame[COL_DEPARTMENT] == "").all()


def test_recorded_values_are_shown_with_every_digit(measure):
    record = ProjectRecord("実施", "B", "継続", 1234567.0, 2300.5, "相談 120件", "利用が増えた", "子育て支援課")
    frame = project_editor_frame(measure, {(FIRST, YEAR): record}, YEAR)
    row = frame.iloc[0]
    assert (row[COL_STATUS], row[COL_GRADE], row[COL_DIRECTION]) == ("実施", "B", "継続")
    assert (row[COL_BUDGET], row[COL_SPENT]) == ("1,234,567", "2,300.5")
    assert changes_from_project_editor(frame, frame.copy(), {(FIRST, YEAR): record}, YEAR) == []


def test_department_and_direction_come_from_the_latest_earlier_record(measure):
    records = {
        (FIRST, 2025): ProjectRecord(status="実施", direction="拡充", department="保健福祉課"),
        (FIRST, 2026): ProjectRecord(status="実施", direction="", department="子育て支援課"),
        ("1-1-1-02", 2027): ProjectRecord(status="実施", department="企画課"),  # the year shown
    }
    frame = project_editor_frame(measure, records, 2027).set_index(COL_ID)
    assert frame.loc[FIRST, COL_DEPARTMENT] == "子育て支援課"  # R8's, the latest earlier one
    assert frame.loc[FIRST, COL_PREVIOUS_DIRECTION] == "拡充(R7年度)"  # R8 had none: R7's, and it says so
    assert frame.loc["1-1-1-02", COL_DEPARTMENT] == "企画課"  # recorded this year: its own
    assert frame.loc["1-1-1-03", COL_DEPARTMENT] == ""  # never recorded: kamiplan invents none
    earlier = project_editor_frame(measure, records, 2025).set_index(COL_ID)
    assert earlier.loc[FIRST, COL_PREVIOUS_DIRECTION] == "" and earlier.loc["1-1-1-02", COL_DEPARTMENT] == ""


def test_an_offered_department_alone_is_not_saved(tmp_path, measure):
    records = {(FIRST, 2025): ProjectRecord(status="実施", department="保健福祉課")}
    before = project_editor_frame(measure, records, 2026)
    assert changes_from_project_editor(before, before.copy(), records, 2026) == []
    after = edited(before, FIRST, **{COL_STATUS: "一部実施"})
    (change,) = changes_from_project_editor(before, after, records, 2026)
    assert change.new == ProjectRecord(status="一部実施", department="保健福祉課")  # offered, now recorded
    assert change.expected == EMPTY_PROJECT and (change.key, change.year) == (FIRST, 2026)


def test_the_expected_record_is_what_the_page_showed(measure):
    shown = ProjectRecord("実施", "B", "継続", 1000.0, 900.0)
    before = project_editor_frame(measure, {(FIRST, YEAR): shown}, YEAR)
    after = edited(before, FIRST, **{COL_SPENT: "950"})
    (change,) = changes_from_project_editor(before, after, {(FIRST, YEAR): shown}, YEAR)
    assert change.expected == shown and change.new.spent == 950.0 and change.new.budget == 1000.0


def test_clearing_every_cell_clears_the_record(measure):
    shown = ProjectRecord("実施", "B", "継続", 1000.0)
    before = project_editor_frame(measure, {(FIRST, YEAR): shown}, YEAR)
    after = edited(before, FIRST, **{COL_STATUS: None, COL_GRADE: None, COL_DIRECTION: None, COL_BUDGET: ""})
    (change,) = changes_from_project_editor(before, after, {(FIRST, YEAR): shown}, YEAR)
    assert change.new.is_empty()


# Typed with the IME on, pasted from Excel, or written the way the office writes: read, never lost.
READ = [
    (COL_SPENT, "２，３００", "spent", 2300.0),
    (COL_SPENT, "２３００", "spent", 2300.0),
    (COL_BUDGET, "２３００　千円", "budget", 2300.0),
    (COL_BUDGET, "2,300千円", "budget", 2300.0),
    (COL_BUDGET, "１２３４．５", "budget", 1234.5),
    (COL_BUDGET, "0", "budget", 0.0),
    (COL_BUDGET, 2300, "budget", 2300.0),
    (COL_GRADE, "b", "grade", "B"),
    (COL_GRADE, "ｂ", "grade", "B"),
    (COL_GRADE, "B 概ね計画どおり", "grade", "B"),
    (COL_GRADE, "計画どおり以上", "grade", "A"),
    (COL_STATUS, "実施済み", "status", "実施"),
    (COL_STATUS, " 一部実施 ", "status", "一部実施"),
    (COL_DIRECTION, "継続実施", "direction", "継続"),
    (COL_DIRECTION, "事業拡充", "direction", "拡充"),
]


@pytest.mark.parametrize(("column", "typed", "field", "stored"), READ, ids=[str(r[1]) for r in READ])
def test_what_people_type_is_read(tmp_path, measure, column, typed, field, stored):
    before = project_editor_frame(measure, {}, YEAR)
    store = save_table(tmp_path, before, edited(before, FIRST, **{column: typed}))
    assert getattr(store.records()[(FIRST, YEAR)], field) == stored


# (column, typed, words the message must hold). Each: refused, named, and nothing saved.
REFUSED = [
    (COL_SPENT, "-500", "マイナスの金額は記録できません"),
    (COL_SPENT, "▲500", "マイナスの金額は記録できません"),
    (COL_SPENT, "ー500", "マイナスの金額は記録できません"),  # a long vowel mark typed for a minus
    (COL_BUDGET, "約2000", "金額として読めません"),
    (COL_BUDGET, "未定", "金額として読めません"),
    (COL_BUDGET, "1,00", "金額として読めません"),
    (COL_BUDGET, "230万円", "金額は千円単位で書きます。230万円なら「2,300」と書きます"),
    (COL_BUDGET, "2,300,000円", "2,300,000円なら「2,300」と書きます"),
    (COL_BUDGET, "2300人", "「人」を金額の単位として読めません"),
    (COL_SPENT, "－", "金額として読めません"),
    (COL_SPENT, "#VALUE!", "Excel のエラー値です"),
    (
        COL_STATUS,
        "やってます",
        "実施状況として選べる言葉ではありません。次のどれかを書いてください: 実施、一部実施、未実施",
    ),
    (
        COL_GRADE,
        "E",
        "評価として選べる言葉ではありません。次のどれかを書いてください: A(計画どおり以上)、B(概ね計画どおり)",
    ),
    (COL_GRADE, "◎", "「◎」は評価として選べる言葉ではありません"),
    (COL_DIRECTION, "拡大", "今後の方向性として選べる言葉ではありません。次のどれかを書いてください: 拡充、継続、改善"),
    (COL_WORK, "あ" * 2001, "2000文字を超えています(2001文字)"),
    (COL_DEPARTMENT, "課" * 2001, "2000文字を超えています"),
]


@pytest.mark.parametrize(("column", "typed", "words"), REFUSED, ids=[str(r[1])[:10] for r in REFUSED])
def test_bad_input_is_named_and_nothing_is_saved(tmp_path, measure, column, typed, words):
    before = project_editor_frame(measure, {}, YEAR)
    after = edited(before, FIRST, **{COL_STATUS: "実施", column: typed})  # a good cell beside the bad one
    with pytest.raises(InputError) as info:
        save_table(tmp_path, before, after)
    (problem,) = info.value.problems
    message = str(problem)
    assert words in message
    assert problem.subject == SUBJECT and problem.column == column  # the project by name and ID, the column
    assert f"列「{column}」" in message and SUBJECT in message
    if len(str(typed)) < 100:
        assert f"「{typed}」" in message  # what was typed
    assert LEFTOVER.findall(message) == []
    assert not (tmp_path / "projects.parquet").exists() and not (tmp_path / "projects_log.parquet").exists()


def test_every_problem_of_every_row_is_listed_and_nothing_is_saved(tmp_path, measure):
    before = project_editor_frame(measure, {}, YEAR)
    after = edited(before, FIRST, **{COL_STATUS: "実施", COL_SPENT: "-1", COL_GRADE: "Z"})
    after = edited(after, "1-1-1-02", **{COL_BUDGET: "二千"})
    after = edited(after, "1-1-1-03", **{COL_SPENT: "２，３００"})  # good, but not saved with the others
    with pytest.raises(InputError) as info:
        save_table(tmp_path, before, after)
    assert [(p.subject.split("・")[0], p.column) for p in info.value.problems] == [
        ("子ども家庭センター設置事業(1-1-1-01)", COL_GRADE),
        ("子ども家庭センター設置事業(1-1-1-01)", COL_SPENT),
        ("不妊治療費等助成事業(1-1-1-02)", COL_BUDGET),
    ]
    assert ProjectStore(tmp_path).current().empty


def test_a_row_the_page_did_not_show_is_refused(measure, actions):
    before = project_editor_frame(measure, {}, YEAR)
    stranger = before.iloc[[0]].assign(**{COL_ID: "1-2-4-02", COL_STATUS: "実施"})  # a 再掲 row
    with pytest.raises(InputError, match="再掲の事業は元の事業の行で記録します"):
        changes_from_project_editor(before, pd.concat([before, stranger]), {}, YEAR)


def test_repeat_rows_are_left_out_and_name_their_original(actions):
    sports = actions[(actions.pillar == 1) & (actions.policy == 2) & (actions.measure == 4)]
    frame = project_editor_frame(sports, {}, YEAR)
    assert "1-2-4-02" not in set(frame[COL_ID]) and len(frame) == len(sports) - 1
    assert repeat_notes(sports, actions) == [
        "放課後子ども教室推進事業(1-2-4-02) → 元の事業: 大綱1(2)② 放課後子ども教室推進事業(1-2-2-22)"
    ]


def test_the_inputs_are_not_changed(measure):
    records = {(FIRST, YEAR): ProjectRecord("実施")}
    before = project_editor_frame(measure, records, YEAR)
    kept_measure, kept_before = measure.copy(), before.copy()
    after = edited(before, FIRST, **{COL_SPENT: "100"})
    kept_after = after.copy()
    changes_from_project_editor(before, after, records, YEAR)
    pd.testing.assert_frame_equal(measure, kept_measure)
    pd.testing.assert_frame_equal(before, kept_before)
    pd.testing.assert_frame_equal(after, kept_after)
    assert records == {(FIRST, YEAR): ProjectRecord("実施")}


def test_read_thousand_yen_keeps_blank_apart_from_zero():
    assert read_thousand_yen("") == (None, "") and read_thousand_yen(None) == (None, "")
    assert read_thousand_yen("０") == (0.0, "") and read_thousand_yen(float("nan")) == (None, "")


def test_measure_label_and_describer(actions):
    assert measure_label(1, "妊娠期からの切れ目ない支援") == "① 妊娠期からの切れ目ない支援"
    assert project_describer(actions)(FIRST, 2026) == "子ども家庭センター設置事業(1-1-1-01)・R8(2026)年度"


def test_the_change_log_for_people(tmp_path, measure, actions):
    before = project_editor_frame(measure, {}, YEAR)
    after = edited(before, FIRST, **{COL_STATUS: "実施", COL_GRADE: "B", COL_SPENT: "２，３００"})
    store = save_table(tmp_path, before, after)
    records = store.records()
    before = project_editor_frame(measure, records, YEAR)
    store.save(
        changes_from_project_editor(before, edited(before, FIRST, **{COL_SPENT: "2400"}), records, YEAR),
        by="企画課 山田",
        how="form",
    )
    log = project_log_frame(store.log(), actions)
    assert log[["変更番号", "項目", "変更前", "変更後"]].values.tolist() == [
        [2, COL_SPENT, "2,300千円", "2,400千円"],
        [1, COL_STATUS, "(未入力)", "実施"],
        [1, COL_GRADE, "(未入力)", "B 概ね計画どおり"],
        [1, COL_SPENT, "(未入力)", "2,300千円"],
    ]
    assert set(log["事業"]) == {"子ども家庭センター設置事業(1-1-1-01)"} and set(log["年度"]) == {"R7(2025)年度"}
    assert log["記録者"].iloc[0] == "企画課 山田" and log["方法"].iloc[0] == "画面で入力"
    assert "年" in log["日時"].iloc[0] and "T" not in log["日時"].iloc[0]
    assert LEFTOVER.findall(log.to_csv()) == []
    lines = project_change_summary(store.log(), 2, actions, reverse=True)
    assert lines[0].startswith("変更番号 2・") and lines[0].endswith("企画課 山田・画面で入力")
    assert lines[1:] == [f"{SUBJECT}・{COL_SPENT}: 2,400千円 → 2,300千円"]


def test_long_texts_are_shortened_in_the_undo_summary(tmp_path, measure, actions):
    before = project_editor_frame(measure, {}, YEAR)
    save_table(tmp_path, before, edited(before, FIRST, **{COL_OUTCOME: "成果" * 100}))
    (line,) = project_change_summary(ProjectStore(tmp_path).log(), 1, actions)[1:]
    assert line.endswith("…") and len(line) < 120
