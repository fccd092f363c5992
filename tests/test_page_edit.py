"""AppTest of the edit page: password, save, change log, import preview, text stays text."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from kamiplan.actuals_store import ActualsStore
from tests.conftest import PROJECT

PASSWORD = "テスト用-pw-123"


@pytest.fixture
def folder(plan_copy, monkeypatch):
    out = plan_copy
    monkeypatch.setenv("KAMIPLAN_DATA_DIR", str(out))
    monkeypatch.delenv("KAMIPLAN_READONLY", raising=False)
    return out


def edit_page(password: str | None = PASSWORD) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    if password is not None:
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
        and log.iloc[0]["変更後"] == 2380.0
        and log.iloc[0]["方法"] == "画面で入力"
    )


def test_save_without_a_name_is_refused(folder):
    at = login(edit_page())
    at.session_state["editor_0-V1_0"] = {"edited_rows": {0: {"実績値": 2380}}, "added_rows": [], "deleted_rows": []}
    at.run()
    next(b for b in at.button if b.label == "保存").click().run()
    assert any("記録者" in e.value for e in at.error)
    assert ActualsStore(folder).current().empty


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
    assert any("受け付けませんでした" in e.value for e in at.error)
    problems = table_with(at, "内容")
    assert problems["行"].tolist() == [2, 3]
    assert problems["列"].tolist() == ["年度", "指標"]
    assert "範囲外" in problems["内容"][0] and problems["値"][0] == "2205"
    assert not (folder / "actuals.parquet").exists()


def test_readonly_deployment_hides_the_edit_page(folder, monkeypatch):
    monkeypatch.setenv("KAMIPLAN_READONLY", "1")
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.secrets["kamiplan"] = {"edit_password": PASSWORD}
    at.run()
    with pytest.raises(Exception):  # noqa: B017 - the page is not registered at all
        at.switch_page("pages/edit.py").run()
        assert at.title[0].value != "実績の入力"
