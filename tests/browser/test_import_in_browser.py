"""Issue 11 in a real browser: a wide Excel book uploaded and saved, full-width digits typed in the table,
Shift_JIS downloads on every page. Servers with a password and an empty data folder: one of its own for the
test that saves, one shared by the tests that only read.

Every value is invented for testing (テスト用の架空データ).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from kamiplan import labels
from kamiplan.records.actuals_store import ActualsStore
from tests import office_files as of
from tests.browser.conftest import CHART_MARKS, Server, click_and_rerun, open_page, screenshot, wait_idle
from tests.browser.english import english_on_screen
from tests.conftest import DATA
from tests.synthetic import plan_folder

pytestmark = pytest.mark.browser
PASSWORD = "テスト用-pw-45678"  # 12 characters at least (kamiplan.app.auth.MIN_LENGTH)


def password_server(tmp: Path) -> Server:
    """A server with the edit password on an empty data folder (the committed plan tables, no actuals) in
    ``tmp``."""
    folder = plan_folder(tmp / "data", DATA)
    secrets = tmp / "secrets.toml"
    secrets.write_text(f'[kamiplan]\nedit_password = "{PASSWORD}"\n', encoding="utf-8")
    srv = Server(folder, secrets=secrets)
    srv.folder = folder
    return srv


@pytest.fixture
def server(tmp_path) -> Iterator[Server]:
    """A server of its own, for a test that saves."""
    srv = password_server(tmp_path)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def reading_server(tmp_path_factory) -> Iterator[Server]:
    """One server for the tests that save nothing (one server start, not one each): no actuals recorded."""
    srv = password_server(tmp_path_factory.mktemp("import-reading"))
    yield srv
    srv.stop()


def login(page) -> None:
    wait_idle(page)
    page.get_by_role("textbox", name="編集用パスワード").fill(PASSWORD)
    page.get_by_role("button", name="編集を始める").click()
    wait_idle(page)
    page.get_by_role("textbox", name="記録者(お名前)").fill("企画課 テスト")
    page.keyboard.press("Enter")
    page.locator("h1").first.click()  # leave the text box, so later typing goes where it is meant to
    page.wait_for_timeout(500)
    wait_idle(page)


def type_into_cell(page, row: int, text: str) -> None:
    """Open the 実績値 cell of ``row`` (0 = first) in the edit table and type ``text`` as an IME commits it.

    The grid is a canvas: click a 年度 cell (past the row markers), move with the arrow keys, open the cell
    editor with Enter. On a loaded machine the first click can land before the grid listens, or the → be lost
    (a CI run typed into the 年度 cell, which is editable for new rows, and the save rightly refused the year
    ２３４０): an editor not opened, or opened on a 年度 (its text a year label), is closed and tried again.
    """
    page.locator('[data-testid="glide-cell-2-1"]').wait_for(state="attached")
    editor = page.locator("#portal textarea")
    for _attempt in range(4):
        grid = page.locator('[data-testid="data-grid-canvas"]').first.bounding_box()
        page.mouse.click(grid["x"] + 90, grid["y"] + 35 + 17)
        page.keyboard.press("ArrowRight")
        for _ in range(row):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        try:
            editor.wait_for(timeout=5_000)
        except PlaywrightTimeout:  # the grid was not ready: try again
            page.keyboard.press("Escape")
            page.wait_for_timeout(500)
            continue
        if not re.fullmatch(r"[RHS]\d+\(\d{4}\)", editor.input_value()):
            break
        page.keyboard.press("Escape")  # the 年度 cell: the → was lost
        page.wait_for_timeout(500)
    else:
        raise AssertionError("the 実績値 cell's editor did not open in 4 tries")
    editor.focus()
    page.keyboard.insert_text(text)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)


def chart_marks(page, *fragments: str) -> list[str]:
    """aria-labels of chart marks (Vega describes each datum) that contain every fragment."""
    labels = page.eval_on_selector_all(CHART_MARKS, "els => els.map(e => e.getAttribute('aria-label'))")
    return [t for t in labels if all(f in t for f in fragments)]


def test_wide_xlsx_upload_then_full_width_digits_then_the_charts(browser, server, tmp_path):
    book = tmp_path / "効果検証.xlsx"
    book.write_bytes(of.wide_statistics_table())
    with open_page(browser, f"{server.url}/edit") as page:
        login(page)
        page.get_by_role("tab", name="ファイルで取り込む(CSV・Excel)").click()
        uploader_in_japanese(page)
        actuals_uploader(page).locator('input[type="file"]').set_input_files(str(book))
        wait_idle(page)
        page.get_by_text("読み飛ばした行(9行)").wait_for()
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert "横長(年度ごとの列)の表として読みました" in body and "新規 4件" in body
        assert "計画と違う基準値・単位" in body
        screenshot(page, "import_wide_xlsx_preview", full=True)
        page.get_by_role("button", name="この内容で保存").click()
        page.get_by_text("効果検証.xlsx を取り込みました(4件").wait_for()
        wait_idle(page)

    with open_page(browser, f"{server.url}/edit", height=1300) as page:  # the whole form in view: no scrolling
        login(page)
        # The edit table keeps its toolbar (「行の追加」), when the read-only tables' is hidden (ui.chrome_css).
        page.locator('[data-testid="stDataFrame"]').first.hover()
        assert page.locator('[data-testid="stElementToolbar"] button[aria-label="Add row"]').first.is_visible()
        # 人口's table: the first row is R7(2025) (2,390 from the book). Type full-width digits into 実績値 of
        # R8(2026), as an IME commits them.
        type_into_cell(page, row=1, text="２３４０")
        screenshot(page, "edit_typed_full_width")
        page.get_by_role("button", name="保存", exact=True).click()
        page.get_by_text("保存しました(1件").wait_for()
        screenshot(page, "edit_full_width_digits_saved")
    cells = ActualsStore(server.folder).cells()
    assert cells[("0-V1", 2025)].value == 2390.0 and cells[("0-V1", 2026)].value == 2340.0
    assert cells[("1-1-T3", 2025)].value == 91.5 and cells[("2-2-K1", 2025)].value == 9.7

    with open_page(browser, f"{server.url}/pillar1") as page:
        wait_idle(page, 15)
        assert chart_marks(page, "系列: 実績", "値(%): 91.5", "R7(2025)")
        assert chart_marks(page, "系列: 実績", "値(%): 93", "R8(2026)")
    with open_page(browser, f"{server.url}/") as page:
        wait_idle(page, 12)
        assert chart_marks(page, "系列: 実績", "値(人): 2,340", "R8(2026)")


PAGES = {"": 12, "pillar1": 15, "pillar2": 10, "pillar3": 6, "pillar4": 4, "projects": 0}  # charts drawn at open


def test_shift_jis_downloads_work_on_every_page(browser, reading_server):
    server = reading_server
    for path, charts in PAGES.items():
        with open_page(browser, f"{server.url}/{path}", accept_downloads=True) as page:
            wait_idle(page, charts)
            page.get_by_text("Shift_JIS(古い Excel 向け)").first.wait_for()
            radios = page.get_by_text("Shift_JIS(古い Excel 向け)")
            assert radios.count() >= 1, path
            for i in range(radios.count()):
                click_and_rerun(page, radios.nth(i), charts)  # the rerun rebuilds the download in Shift_JIS
            assert page.locator('[data-testid="stAlertContentError"]').count() == 0, path
            buttons = page.get_by_role("button", name="CSV をダウンロード")
            assert buttons.count() >= 1, path
            for i in range(buttons.count()):
                with page.expect_download() as info:
                    buttons.nth(i).click()
                download = info.value
                data = open(download.path(), "rb").read()
                assert not data.startswith(b"\xef\xbb\xbf") and download.suggested_filename.endswith("_sjis.csv")
                text = data.decode("cp932")
                if path == "pillar4" or (path == "" and "4-2-K1" in text):
                    assert "―" in text and "—" not in text  # the plan's 「—」 written as its look-alike
                if path == "projects":
                    assert "帯状疱疹ワクチン接種費用助成事業" in text and "带" not in text
            if path in ("", "pillar4"):
                assert "似た文字に置き換えました" in page.locator('[data-testid="stMain"]').inner_text()
            screenshot(page, f"sjis_{path or 'overview'}")


def test_edit_page_with_a_policy_without_indicators_keeps_every_tab(browser, reading_server):
    server = reading_server
    """Issue 12: choosing 大綱4 (its 基本計画(1) has no indicator) emptied the other tabs (a st.stop())."""
    with open_page(browser, f"{server.url}/edit", height=1000) as page:
        login(page)
        page.get_by_role("combobox", name="大綱").click()
        page.get_by_role("option", name="大綱4 次世代につなげるまち").click()
        wait_idle(page)
        page.get_by_text("この基本計画には数値目標・KPI がありません").wait_for()
        screenshot(page, "edit_pillar4_no_indicators")
        page.get_by_role("tab", name="ファイルで取り込む(CSV・Excel)").click()
        wait_idle(page)
        assert actuals_uploader(page).is_visible()
        page.get_by_role("tab", name="変更履歴・元に戻す").click()
        wait_idle(page)
        assert page.get_by_text("まだ実績は記録されていません。").is_visible()
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert re.findall(r"\b(None|null|NaN|nan)\b", main) == []


def actuals_uploader(page):
    """The actuals' uploader (the 事業の評価 tab has one of its own for the departments' files)."""
    return page.locator('[data-testid="stFileUploader"]').filter(has_text="実績のファイル")


def uploader_in_japanese(page) -> None:
    """The uploader said 「Upload」 and 「2MB per file • CSV, TXT, TSV, XLSX, XLSM」, and 「Drag and drop a file here」
    while a file was dragged over it: Japanese now (ui.chrome_css), and nothing else in English on the tab."""
    uploader = actuals_uploader(page)
    button = uploader.get_by_role("button", name=labels.UPLOAD_BUTTON)
    assert button.is_visible() and button.inner_text().strip() in ("", "upload")  # the icon's name; text from CSS
    instructions = uploader.locator('[data-testid="stFileUploaderDropzoneInstructions"]')
    assert instructions.evaluate("e => getComputedStyle(e, '::after').content") == f'"{labels.UPLOAD_INSTRUCTIONS}"'
    assert english_on_screen(page, '[data-testid="stMain"]') == []
    uploader.locator('[data-testid="stFileUploaderDropzone"]').dispatch_event(
        "dragenter",
        {
            "dataTransfer": page.evaluate_handle(
                "() => { const d = new DataTransfer(); d.items.add(new File(['a'], 'a.csv')); return d; }"
            )
        },
    )
    overlay = uploader.locator('[data-testid="stFileUploaderDropzone"] > input + div')
    overlay.wait_for()
    assert overlay.evaluate("e => getComputedStyle(e, '::after').content") == f'"{labels.UPLOAD_DROP_HERE}"'
    assert english_on_screen(page, '[data-testid="stMain"]') == []
    screenshot(page, "upload_drag_over")
    uploader.locator('[data-testid="stFileUploaderDropzone"]').dispatch_event("dragleave")
    overlay.wait_for(state="detached")
