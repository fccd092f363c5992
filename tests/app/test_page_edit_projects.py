"""AppTest of the edit page's 「事業の評価」 tab: choose a 施策, edit, save, stay on the tab, undo.

Every record is invented for testing (テスト用の架空データ).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from kamiplan import labels
from kamiplan.app import auth
from kamiplan.records.project_editing import COL_DEPARTMENT, COL_ID, COL_PREVIOUS_DIRECTION, COL_SPENT, COL_STATUS
from kamiplan.records.projects import ProjectChange, ProjectRecord, ProjectStore
from tests.app.test_page_edit import FakeClock, edit_page, login

TAB = labels.PROJECT_TAB
FIRST = "1-1-1-01"  # 子ども家庭センター設置事業


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> FakeClock:
    """A fresh server-wide login limiter per test (as in test_page_edit)."""
    fake = FakeClock()
    monkeypatch.setattr(auth, "EDIT_LOGIN", auth.AttemptLimiter(clock=fake))
    return fake


@pytest.fixture
def folder(plan_copy, monkeypatch):
    monkeypatch.setenv("KAMIPLAN_DATA_DIR", str(plan_copy))
    monkeypatch.delenv("KAMIPLAN_READONLY", raising=False)
    return plan_copy


def projects_tab(at: AppTest) -> AppTest:
    """Open the 事業の評価 tab, as a click on it does (the tabs are keyed: the page remembers the tab)."""
    at.session_state["edit_tab"] = TAB
    at.run()
    assert not at.exception, at.exception
    return at


def select(at: AppTest, key: str, value) -> AppTest:
    at.selectbox(key=key).set_value(value).run()
    assert not at.exception, at.exception
    return at


def project_table(at: AppTest):
    """The 事業の評価 editor's table as the page shows it."""
    return next(d for d in at.dataframe if d.editing_mode == "fixed").value


def edit(at: AppTest, key: str, rows: dict) -> AppTest:
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="project_save").click().run()
    assert not at.exception, at.exception
    return at


def test_the_tab_loads_for_pillar1_and_for_pillar4(folder):
    at = projects_tab(login(edit_page()))
    assert [t.label for t in at.tabs] == ["指標ごとに入力", "ファイルで取り込む(CSV・Excel)", "変更履歴・元に戻す", TAB]
    assert at.selectbox(key="project_year_2025").value == 2025  # the evaluation year (no actuals yet: R7)
    assert at.selectbox(key="project_measure_1_1").format_func(1) == "① 妊娠期からの切れ目ない支援"
    table = project_table(at)
    assert len(table) == 10 and table[COL_ID].iloc[0] == FIRST
    assert any(labels.PROJECT_NOT_RECORDED in i.value for i in at.info)
    select(at, "project_pillar", 4)
    select(at, "project_policy_4", 2)
    table = project_table(at)
    assert len(table) == 8  # DXの推進: 11 rows, 3 of them 再掲 (recorded on their originals)
    note = " ".join(c.value for c in at.caption).replace("\\", "")
    assert labels.PROJECT_REPEAT_CAPTION in note
    assert "介護予防事業のICT化(4-2-1-04) → 元の事業: 大綱1(3)① 介護予防事業のICT化(1-3-1-05)" in note
    select(at, "project_measure_4_2", 3)
    assert len(project_table(at)) == 1
    assert at.data_editor, "the other tabs still render"


def test_edit_status_and_spent_save_and_stay_on_the_tab(folder):
    at = projects_tab(login(edit_page()))
    at.text_input(key="edit_by").input("企画課 テスト")
    edit(at, "project_editor_1_1_1_2025_0", {0: {COL_STATUS: "実施", COL_SPENT: "２，３００"}})
    assert any("事業の評価を1件保存しました(変更番号 1)" in s.value for s in at.success)
    assert ProjectStore(folder).records() == {(FIRST, 2025): ProjectRecord(status="実施", spent=2300.0)}
    assert at.session_state["edit_tab"] == TAB  # the page stays on this tab after the rerun
    table = project_table(at)  # the editor shows what is stored now
    assert table.loc[table[COL_ID] == FIRST, COL_SPENT].iloc[0] == "2,300"
    log = next(d.value for d in at.dataframe if d.editing_mode == "read_only" and "項目" in d.value.columns)
    assert log[["事業", "項目", "変更前", "変更後"]].values.tolist() == [
        ["子ども家庭センター設置事業(1-1-1-01)", COL_STATUS, "(未入力)", "実施"],
        ["子ども家庭センター設置事業(1-1-1-01)", COL_SPENT, "(未入力)", "2,300千円"],
    ]
    assert set(log["記録者"]) == {"企画課 テスト"} and set(log["年度"]) == {"R7(2025)年度"}
    select(at, "project_year_2025", 2026)  # R8's table seen before R7's department is recorded…
    assert project_table(at).set_index(COL_ID).loc[FIRST, COL_DEPARTMENT] == ""
    select(at, "project_year_2025", 2025)
    edit(at, "project_editor_1_1_1_2025_1", {0: {COL_DEPARTMENT: "子育て支援課"}})
    select(at, "project_year_2025", 2026)  # …offers it once it is saved
    assert project_table(at).set_index(COL_ID).loc[FIRST, COL_DEPARTMENT] == "子育て支援課"


def test_bad_cells_are_named_and_nothing_is_saved(folder):
    at = projects_tab(login(edit_page()))
    at.text_input(key="edit_by").input("企画課 テスト")
    edit(at, "project_editor_1_1_1_2025_0", {0: {COL_STATUS: "実施", COL_SPENT: "-5"}, 1: {COL_STATUS: "やった"}})
    message = " ".join(e.value for e in at.error).replace("\\", "")
    assert (
        "子ども家庭センター設置事業(1-1-1-01)・R7(2025)年度" in message and "マイナスの金額は記録できません" in message
    )
    assert (
        "不妊治療費等助成事業(1-1-1-02)" in message and "「やった」は実施状況として選べる言葉ではありません" in message
    )
    assert not (folder / "projects.parquet").exists() and not (folder / "projects_log.parquet").exists()
    assert at.session_state["edit_tab"] == TAB


def test_a_save_without_a_name_is_refused(folder):
    at = projects_tab(login(edit_page()))
    edit(at, "project_editor_1_1_1_2025_0", {0: {COL_STATUS: "実施"}})
    assert any("記録者" in e.value for e in at.error)
    assert ProjectStore(folder).current().empty


def test_last_years_department_is_offered_and_a_colleagues_save_is_not_overwritten(folder):
    store = ProjectStore(folder)
    store.save(
        [
            ProjectChange(
                FIRST, 2025, ProjectRecord(status="実施", direction="拡充", department="保健福祉課"), ProjectRecord()
            )
        ],
        by="企画課 A",
        how="form",
    )
    at = projects_tab(login(edit_page()))
    at.text_input(key="edit_by").input("企画課 B")
    select(at, "project_year_2025", 2026)
    row = project_table(at).set_index(COL_ID).loc[FIRST]
    assert (row[COL_DEPARTMENT], row[COL_PREVIOUS_DIRECTION]) == ("保健福祉課", "拡充(R7年度)")
    store.save(  # a colleague records R8 after B opened the table
        [ProjectChange(FIRST, 2026, ProjectRecord(status="一部実施", spent=1000.0), ProjectRecord())],
        by="企画課 A",
        how="form",
    )
    edit(at, "project_editor_1_1_1_2026_1", {0: {COL_STATUS: "実施", COL_SPENT: "1200"}})
    message = " ".join(e.value for e in at.error).replace("\\", "")
    assert "ほかの人が事業の評価を変えました" in message and "「企画課 A」が変更しました" in message
    assert "あなたが入力した値: 実施・決算 1,200千円・担当 保健福祉課" in message
    assert "今の記録: 一部実施・決算 1,000千円" in message
    assert store.records()[(FIRST, 2026)] == ProjectRecord(status="一部実施", spent=1000.0)
    at.button(key="project_stale_reload_1_1_1_2026").click().run()
    assert not any("ほかの人が" in e.value for e in at.error)
    assert project_table(at).set_index(COL_ID).loc[FIRST, COL_STATUS] == "一部実施"


def test_undo_and_redo_of_a_project_change(folder):
    store = ProjectStore(folder)
    store.save([ProjectChange(FIRST, 2025, ProjectRecord(status="実施"), ProjectRecord())], by="企画課 A", how="form")
    store.save(
        [ProjectChange(FIRST, 2025, ProjectRecord(status="完了", grade="A"), ProjectRecord(status="実施"))],
        by="企画課 B",
        how="form",
    )
    at = projects_tab(login(edit_page()))
    at.text_input(key="edit_by").input("企画課 テスト")
    said = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "次の変更を元に戻します。値はこうなります(変更番号 2・" in said and "企画課 B" in said
    assert "子ども家庭センター設置事業(1-1-1-01)・R7(2025)年度・実施状況: 完了 → 実施" in said
    assert "評価: A 計画どおり以上 → (未入力)" in said
    assert not [c for c in at.checkbox if c.key == "元に戻す_confirm_2"]  # no actuals recorded: theirs absent
    assert at.button(key="project_元に戻す_2").disabled
    at.checkbox(key="project_元に戻す_confirm_2").check().run()
    at.button(key="project_元に戻す_2").click().run()
    assert not at.exception, at.exception
    assert store.records() == {(FIRST, 2025): ProjectRecord(status="実施")}
    assert any("事業の評価の変更番号 2 を元に戻しました" in s.value for s in at.success)
    assert at.session_state["edit_tab"] == TAB
    assert project_table(at).set_index(COL_ID).loc[FIRST, COL_STATUS] == "実施"  # the table shows it at once
    box = at.checkbox(key="project_元に戻す_confirm_1")
    assert box.value is False  # the next undo needs its own confirmation
    at.checkbox(key="project_やり直す_confirm_3").check().run()
    at.button(key="project_やり直す_3").click().run()
    assert store.records() == {(FIRST, 2025): ProjectRecord(status="完了", grade="A")}
