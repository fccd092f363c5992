"""AppTest of the edit page: password (refused set-ups, throttling, hash), save, change log, import preview,
text stays text."""

from __future__ import annotations

import io
import tomllib

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from kamiplan import labels
from kamiplan.app import auth
from kamiplan.records.actuals_store import ActualsStore
from tests.app.conftest import streamlit_english
from tests.conftest import PROJECT

PASSWORD = "テスト用-pw-12345"  # 13 characters: 12 is the shortest password the page accepts


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> FakeClock:
    """A fresh server-wide login limiter per test (it is shared by every session), on a clock the test moves."""
    fake = FakeClock()
    monkeypatch.setattr(auth, "EDIT_LOGIN", auth.AttemptLimiter(clock=fake))
    return fake


@pytest.fixture
def folder(plan_copy, monkeypatch):
    out = plan_copy
    monkeypatch.setenv("KAMIPLAN_DATA_DIR", str(out))
    monkeypatch.delenv("KAMIPLAN_READONLY", raising=False)
    return out


def edit_page(password: str | None = PASSWORD, section: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    if section is not None:
        at.secrets["kamiplan"] = section
    elif password is not None:
        at.secrets["kamiplan"] = {"edit_password": password}
    at.run()
    at.switch_page("pages/edit.py").run()
    assert not at.exception, at.exception
    return at


def table_with(at: AppTest, column: str):
    """The first read-only table that has ``column`` (tabs render every table on the page)."""
    return next(d.value for d in at.dataframe if d.editing_mode == "read_only" and column in d.value.columns)


def login(at: AppTest, password: str = PASSWORD) -> AppTest:
    pw = next(t for t in at.text_input if t.label == "編集用パスワード")
    pw.input(password)
    next(b for b in at.button if b.label == "編集を始める").click().run()
    assert not at.exception, at.exception
    return at


def test_without_configured_password_the_page_is_read_only(folder):
    at = edit_page(password=None)
    assert "閲覧専用" in at.info[0].value
    assert not at.data_editor and not at.file_uploader


def test_wrong_password_is_refused(folder):
    at = login(edit_page(), "違う")
    assert any("パスワードが違います" in e.value for e in at.error)
    assert not at.data_editor


def locked_editing(at: AppTest) -> str:
    """The administrator's message of a refused configuration; the page shows no password box and no editor."""
    assert not [t for t in at.text_input if t.label == "編集用パスワード"]
    assert not at.data_editor and not at.file_uploader
    (message,) = [e.value for e in at.error]
    assert labels.EDIT_REFUSED_HEADING in message and "python -m kamiplan set-password" in message
    return message


def test_the_readme_example_password_no_longer_unlocks_editing(folder):
    example = auth.example_password()  # the value in .streamlit/secrets.toml.example, copied unchanged
    assert example
    at = edit_page(example)
    assert labels.PASSWORD_IS_EXAMPLE in locked_editing(at)


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        ({"edit_password": "テスト用-pw-123"}, labels.PASSWORD_TOO_SHORT.format(n=12)),  # 11 characters
        ({"edit_password": "12345678901"}, labels.PASSWORD_TOO_SHORT.format(n=12)),
        ({"edit_password_hash": "scrypt$16$1$1$途中で切れた"}, labels.PASSWORD_HASH_MALFORMED),
        ({"edit_password_hash": "scrypt$16$1$1$AAAA$AAAA", "edit_password": PASSWORD}, labels.PASSWORD_HASH_MALFORMED),
    ],
)
def test_unusable_configuration_locks_editing_and_says_why(folder, section, problem):
    assert problem in locked_editing(edit_page(section=section))


def test_the_other_pages_still_work_read_only_with_a_refused_password(folder):
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.secrets["kamiplan"] = {"edit_password": auth.example_password()}
    at.run()
    assert not at.exception and at.title and at.get("vega_lite_chart")


def test_five_wrong_passwords_lock_every_session_for_a_minute(folder, clock):
    at = edit_page()
    for _ in range(4):
        login(at, "まちがったパスワードです")
        assert [e.value for e in at.error] == [labels.EDIT_PASSWORD_WRONG]
    login(at, "まちがったパスワードです")
    assert any("5回まちがえて" in e.value and "あと60秒" in e.value for e in at.error)

    other = edit_page()  # another browser: the count is server-wide
    assert any("あと60秒" in w.value for w in other.warning)
    clock.now += 30
    login(other)  # the right password, still refused while locked out
    assert any("あと30秒" in e.value for e in other.error) and not other.data_editor

    clock.now += 30
    login(other)
    assert not other.error and other.data_editor


def test_empty_password_is_not_counted(folder):
    at = edit_page()
    for _ in range(6):
        login(at, "")
    assert [e.value for e in at.error] == [labels.EDIT_PASSWORD_EMPTY]
    assert auth.EDIT_LOGIN.wait_seconds() == 0


def test_set_password_writes_a_file_the_page_accepts(folder, tmp_path, monkeypatch):
    from kamiplan.cli import main

    secrets = tmp_path / "secrets.toml"
    example = auth.EXAMPLE_SECRETS_FILE.read_text(encoding="utf-8")
    secrets.write_text(example, encoding="utf-8")  # what the README used to say: copy the example
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["set-password", "--secrets", str(secrets)]) == 0
    section = tomllib.loads(secrets.read_text(encoding="utf-8"))["kamiplan"]
    assert set(section) == {"edit_password_hash"}  # the example's plain password line is gone
    at = login(edit_page(section=section))  # the real scrypt cost: one check, ~0.4 s
    assert at.data_editor and not at.error
    assert not login(edit_page(section=section), PASSWORD + "x").data_editor


def test_a_new_password_logs_sessions_out(folder):
    at = login(edit_page())
    assert at.data_editor
    at.secrets["kamiplan"] = {"edit_password": "新しいパスワードに変えました"}
    at.run()
    assert not at.data_editor and [t for t in at.text_input if t.label == "編集用パスワード"]


def test_save_with_password_shows_in_log(folder):
    at = login(edit_page())
    at.text_input(key="edit_by").input("企画課 テスト")
    at.session_state["editor_0-V1_0"] = {"edited_rows": {0: {"実績値": 2380}}, "added_rows": [], "deleted_rows": []}
    at.run()
    save = next(b for b in at.button if b.label == "保存")
    save.click().run()
    assert not at.exception, at.exception
    assert any("保存しました(1件、変更番号 1)" in s.value for s in at.success)
    assert ActualsStore(folder).cells()[("0-V1", 2025)].value == 2380.0
    log = table_with(at, "記録者")
    assert (
        log.iloc[0]["記録者"] == "企画課 テスト"
        and log.iloc[0]["変更後"] == "2,380人"
        and log.iloc[0]["年度"] == "R7(2025)年"
        and "年" in log.iloc[0]["日時"]
        and "T" not in log.iloc[0]["日時"]
        and log.iloc[0]["方法"] == "画面で入力"
    )


def test_save_without_a_name_is_refused(folder):
    at = login(edit_page())
    at.session_state["editor_0-V1_0"] = {"edited_rows": {0: {"実績値": 2380}}, "added_rows": [], "deleted_rows": []}
    at.run()
    next(b for b in at.button if b.label == "保存").click().run()
    assert any("記録者" in e.value for e in at.error)
    assert ActualsStore(folder).current().empty


def test_the_edit_page_leaves_streamlit_no_english_to_show(folder):
    """Every tab at once (each renders, the 事業の評価 one open): the selects take no typing (「No results」), the
    headings have no 「Link to heading」, the uploaders take any file, so kamiplan's reader, not Streamlit, says in
    Japanese why a .pdf or an old .xls cannot be read (Streamlit said 「application/pdf files are not allowed.」)."""
    at = login(edit_page())
    at.session_state["edit_tab"] = labels.PROJECT_TAB
    at.run()
    assert not at.exception, at.exception
    assert len(at.file_uploader) == 2 and len(at.selectbox) >= 6
    assert streamlit_english(at) == []


@pytest.mark.parametrize(
    "name, data, reason",
    [
        (
            "計画書.pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 8,
            "CSV でも Excel ブック(.xlsx)でもないファイルです",
        ),
        ("実績.xls", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(2000), "Excel 97-2003 形式(.xls)"),
        ("写真入り.xlsx", b"PK\x03\x04" + bytes(3 * 1024 * 1024), "上限は 2 MB です"),
    ],
)
def test_a_file_of_another_kind_is_refused_in_japanese(folder, name, data, reason):
    at = login(edit_page())
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, at.exception
    (error,) = [e.value.replace("\\", "") for e in at.error if "受け付けませんでした" in e.value]  # Markdown escapes
    assert reason in error and name in error


def test_upload_preview_then_save_and_script_stays_text(folder):
    at = login(edit_page())
    at.text_input(key="edit_by").input("企画課")
    data = "指標,年度,実績値,備考\n人口,2025,2380,<script>alert(1)</script>\n".encode("cp932")
    at.file_uploader[0].set_value(("実績.csv", data, "text/csv")).run()
    assert not at.exception
    preview = table_with(at, "状態")
    assert preview.iloc[0]["状態"] == "新規" and preview.iloc[0]["新しい備考"] == "<script>alert(1)</script>"
    assert ActualsStore(folder).current().empty  # nothing saved before the button
    next(b for b in at.button if b.label == "この内容で保存").click().run()
    assert ActualsStore(folder).cells()[("0-V1", 2025)].note == "<script>alert(1)</script>"
    assert not any("<script>" in m.value for m in at.markdown)  # never rendered as HTML/Markdown


def test_bad_upload_lists_problems_and_saves_nothing(folder):
    at = login(edit_page())
    at.file_uploader[0].set_value(("bad.csv", "指標,年度,実績値\n人口,2205,1\n謎,2025,x\n".encode(), "text/csv")).run()
    (error,) = [e.value for e in at.error if "受け付けませんでした" in e.value]
    lines = error.split("\n")[1:]
    assert len(lines) == 2
    assert "2行目 列「年度」" in lines[0] and "範囲外" in lines[0] and "「2205」" in lines[0]
    assert "3行目 列「指標」" in lines[1] and "計画にない指標" in lines[1]
    assert not (folder / "actuals.parquet").exists()


def test_readonly_deployment_hides_the_edit_page(folder, monkeypatch):
    monkeypatch.setenv("KAMIPLAN_READONLY", "1")
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.secrets["kamiplan"] = {"edit_password": PASSWORD}
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not registered at all
        at.switch_page("pages/edit.py")
    at._page_hash = calc_hash("edit")  # /edit typed in the address bar: the 概要 page, no password box
    at.run()
    assert not at.exception and at.title[0].value.startswith("将来像「") and not at.text_input


def test_full_width_digits_typed_in_the_table_are_saved(folder):
    at = login(edit_page())
    at.text_input(key="edit_by").input("企画課 テスト")
    at.session_state["editor_0-V1_0"] = {
        "edited_rows": {0: {"実績値": "２３８０"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    next(b for b in at.button if b.label == "保存").click().run()
    assert not at.exception, at.exception
    assert any("保存しました(1件" in s.value for s in at.success)
    assert ActualsStore(folder).cells()[("0-V1", 2025)].value == 2380.0


def test_unreadable_value_in_the_table_is_named_and_nothing_saved(folder):
    at = login(edit_page())
    at.text_input(key="edit_by").input("企画課 テスト")
    at.session_state["editor_0-V1_0"] = {
        "edited_rows": {0: {"実績値": "約2400"}, 1: {"実績値": "2300"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    next(b for b in at.button if b.label == "保存").click().run()
    message = " ".join(e.value for e in at.error)
    assert "R7\\(2025\\)年" in message and "約2400" in message and "数値として読めません" in message
    assert not (folder / "actuals.parquet").exists()


def test_wide_xlsx_upload_shows_skipped_lines_and_saves(folder):
    from tests import office_files as of

    at = login(edit_page())
    at.text_input(key="edit_by").input("企画課")
    at.file_uploader[0].set_value(("効果検証.xlsx", of.wide_statistics_table(), "application/octet-stream")).run()
    assert not at.exception, at.exception
    assert [s.label for s in at.selectbox if s.label == "読み込むシート"]  # the book has two sheets
    assert any("横長" in m.value and "3行目・4行目" in m.value for m in at.markdown)
    skipped = table_with(at, "理由")
    assert {1, 2, 8, 9, 10} <= set(skipped["行"]) and "注記の行(注・※・出典など)" in set(skipped["理由"])
    warnings = table_with(at, "指標")
    assert "9.5万人 と違います" in " ".join(warnings["内容"])
    next(b for b in at.button if b.label == "この内容で保存").click().run()
    cells = ActualsStore(folder).cells()
    assert cells[("1-1-T3", 2025)].value == 91.5 and cells[("0-V1", 2025)].value == 2390.0


def test_unusual_value_needs_the_checkbox_that_names_its_line(folder):
    at = login(edit_page())
    at.text_input(key="edit_by").input("企画課")
    data = '指標,年度,実績値\n人口,R7,2390\n観光入込客数,R7,"95,100"\n'.encode()
    at.file_uploader[0].set_value(("観光.csv", data, "text/csv")).run()
    assert any("単位や桁" in w.value for w in at.warning)
    assert not [b for b in at.button if b.label == "この内容で保存"]
    box = next(c for c in at.checkbox if str(c.key).startswith("import_accept_"))
    assert box.label.endswith("(3行目)")
    box.check().run()
    assert not at.exception, at.exception
    next(b for b in at.button if b.label == "この内容で保存").click().run()
    assert ActualsStore(folder).cells()[("2-2-K1", 2025)].value == 95100.0


def test_dash_as_zero_checkbox(folder):
    at = login(edit_page())
    at.text_input(key="edit_by").input("企画課")
    data = "指標,年度,実績値\n交通死亡事故発生件数,R7,－\n人口,R7,2390\n".encode()
    at.file_uploader[0].set_value(("統計.csv", data, "text/csv")).run()
    assert 2 in set(table_with(at, "理由")["行"])
    next(c for c in at.checkbox if c.label.startswith("「－」")).check().run()
    next(b for b in at.button if b.label == "この内容で保存").click().run()
    assert ActualsStore(folder).cells()[("3-2-K2", 2025)].value == 0.0


def select(at: AppTest, key: str, value) -> AppTest:
    at.selectbox(key=key).set_value(value).run()
    assert not at.exception, at.exception
    return at


def test_a_policy_without_indicators_leaves_every_other_tab_working(folder):
    at = login(edit_page())
    select(at, "edit_pillar", 4)
    select(at, "edit_policy_4", 1)
    assert any("数値目標・KPI がありません" in i.value for i in at.info)
    assert at.file_uploader, "the file tab still renders"
    assert any(b.label.startswith("ひな形") for b in at.get("download_button")), "and its downloads"
    assert any("まだ実績は記録されていません" in i.value for i in at.info), "and the change log tab"


def test_a_colleagues_save_after_the_preview_is_not_overwritten(folder):
    at = login(edit_page())
    at.text_input(key="edit_by").input("企画課 佐藤")
    at.file_uploader[0].set_value(("a.csv", "指標,年度,実績値\n人口,R7,2390\n".encode(), "text/csv")).run()
    assert table_with(at, "状態").iloc[0]["状態"] == "新規"
    from kamiplan.records.actuals_store import Cell, Change

    ActualsStore(folder).save(
        [Change("0-V1", 2025, Cell(2380.0, "山田が先に入力"), Cell())], by="企画課 山田", how="form"
    )
    next(b for b in at.button if b.label == "この内容で保存").click().run()
    message = " ".join(e.value for e in at.error)
    assert "ほかの人が記録を変えました" in message and "企画課 山田" in message and "2,380" in message
    assert ActualsStore(folder).cells()[("0-V1", 2025)].value == 2380.0
    next(b for b in at.button if b.label == "今の記録と比べ直す").click().run()
    assert table_with(at, "状態").iloc[0]["状態"] == "変更"  # compared with the colleague's value now


def test_form_confirmation_covers_only_the_values_it_named(folder):
    at = login(edit_page())
    at.text_input(key="edit_by").input("企画課 テスト")
    select(at, "edit_pillar", 2)
    select(at, "edit_policy_2", 2)
    select(at, "edit_ind_2_2", "2-2-K1")
    at.session_state["editor_2-2-K1_0"] = {
        "edited_rows": {0: {"実績値": "98500人"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    next(b for b in at.button if b.label == "保存").click().run()
    assert any("まだ保存していません" in w.value and "9.85万人" in w.value.replace("\\", "") for w in at.warning)
    box = next(c for c in at.checkbox if str(c.key).startswith("edit_accept_"))
    box.check()  # inside the form: sent with the submit, as in the browser
    next(b for b in at.button if b.label == "保存").click().run()
    assert ActualsStore(folder).cells()[("2-2-K1", 2024)].value == 9.85
    assert not [c for c in at.checkbox if str(c.key).startswith("edit_accept_")]  # gone after the save
    at.session_state["editor_2-2-K1_1"] = {
        "edited_rows": {1: {"実績値": "99000"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    next(b for b in at.button if b.label == "保存").click().run()
    assert ("2-2-K1", 2025) not in ActualsStore(folder).cells()  # questioned again, not saved
    box = next(c for c in at.checkbox if str(c.key).startswith("edit_accept_"))
    assert box.value is False


def test_a_stale_save_keeps_its_message_and_offers_the_latest(folder):
    at = login(edit_page())
    at.text_input(key="edit_by").input("企画課 B")
    at.session_state["editor_0-V1_0"] = {"edited_rows": {0: {"実績値": "2390"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    from kamiplan.records.actuals_store import Cell, Change

    ActualsStore(folder).save([Change("0-V1", 2025, Cell(2380.0), Cell())], by="企画課 A", how="form")
    next(b for b in at.button if b.label == "保存").click().run()
    assert any("ほかの人が記録を変えました" in e.value and "企画課 A" in e.value for e in at.error)
    at.run()  # any later run still shows it, with the button that works
    assert any("ほかの人が記録を変えました" in e.value for e in at.error)
    next(b for b in at.button if b.label.startswith("今の記録を読み込む")).click().run()
    assert not any("ほかの人が記録を変えました" in e.value for e in at.error)
    assert any("変更番号 1 の時点" in c.value for c in at.caption)


def test_two_undos_in_a_row_each_confirmed_and_said_before(folder):
    from kamiplan.records.actuals_store import Cell, Change

    store = ActualsStore(folder)
    store.save([Change("0-V1", 2025, Cell(2380.0), Cell())], by="企画課 A", how="form")
    store.save([Change("0-V1", 2026, Cell(2300.0), Cell())], by="企画課 B", how="form")
    at = login(edit_page())
    at.text_input(key="edit_by").input("企画課 テスト")
    said = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "次の変更を元に戻します。値はこうなります(変更番号 2" in said and "企画課 B" in said
    assert "R8(2026)年: 2,300人 → (空欄)" in said  # what the values become
    next(c for c in at.checkbox if c.key == "元に戻す_confirm_2").check().run()
    next(b for b in at.button if b.key == "元に戻す_2").click().run()
    assert ("0-V1", 2026) not in store.cells()
    box = next(c for c in at.checkbox if c.key == "元に戻す_confirm_1")
    assert box.value is False  # the next undo needs its own confirmation
    assert next(b for b in at.button if b.key == "元に戻す_1").disabled
    box.check().run()
    next(b for b in at.button if b.key == "元に戻す_1").click().run()
    assert store.cells() == {}  # two changes back, not the first change re-applied
    assert any(c.key == "やり直す_confirm_4" for c in at.checkbox)  # やり直す the latest undo
    said = " ".join(m.value for m in at.markdown).replace("\\", "")
    # やり直す brings back change 1 as it was made (not the undo's own direction, not the undo's number)
    assert "もう一度反映します。値はこうなります(変更番号 1・" in said and "R7(2025)年: (空欄) → 2,380人" in said
    box = next(c for c in at.checkbox if c.key == "やり直す_confirm_4")
    assert box.label == "変更番号 1 をやり直すことを確認しました"
    box.check().run()
    next(b for b in at.button if b.key == "やり直す_4").click().run()
    assert store.cells()[("0-V1", 2025)].value == 2380.0
