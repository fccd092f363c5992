"""The edit page's 「事業の評価」 tab in a real browser: unlock, open the tab, type an amount with the IME, save.

Screenshots at 1280×800 and 1920×1080 go to test-output/screenshots/. Every record is invented for testing
(テスト用の架空データ).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from kamiplan import labels
from kamiplan.plan.db import PlanDB
from kamiplan.plan.queries import actions
from kamiplan.records.projects import ProjectChange, ProjectRecord, ProjectStore
from tests.browser.conftest import click_and_rerun, open_page, screenshot, wait_idle
from tests.conftest import DATA
from tests.synthetic import plan_folder

pytestmark = pytest.mark.browser
PASSWORD = "テスト用-pw-24680"
TAB = labels.PROJECT_TAB
NOTE = "テスト用の架空データ"
UNRECORDED = "1-1-1-05"  # 産婦健診・産後ケア事業利用料助成事業: recorded in R7 only
LEFTOVER = re.compile(r"\b(None|null|NaN|nan|NaT|undefined)\b")


def invented_records(folder) -> None:
    """R7 for the ten projects of 大綱1(1)①, R8 for three of them (the others show R7's department)."""
    rows = actions(PlanDB(folder).cursor())
    first = rows[(rows.pillar == 1) & (rows.policy == 1) & (rows.measure == 1)]
    changes = []
    for i, r in enumerate(first.itertuples()):
        changes.append(
            ProjectChange(
                r.action_id,
                2025,
                ProjectRecord(
                    status=("実施", "一部実施", "実施", "検討中")[i % 4],
                    grade="ABCD"[i % 4],
                    direction=("継続", "拡充", "改善", "継続")[i % 4],
                    budget=1000.0 * (i + 1),
                    spent=950.0 * (i + 1),
                    work=f"{NOTE}: 取組の記録 {i + 1}",
                    outcome=f"{NOTE}: 成果と課題 {i + 1}",
                    department=("子育て支援課", "保健福祉課")[i % 2],
                ),
                ProjectRecord(),
            )
        )
        if i < 3:
            changes.append(
                ProjectChange(
                    r.action_id,
                    2026,
                    ProjectRecord(status="実施", grade="B", direction="継続", budget=1200.0, department="子育て支援課"),
                    ProjectRecord(),
                )
            )
    ProjectStore(folder).save(changes, by="テスト", how="form")


@pytest.fixture
def server(fresh_server, tmp_path):
    folder = plan_folder(tmp_path / "data", DATA)
    invented_records(folder)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[kamiplan]\nedit_password = "{PASSWORD}"\n', encoding="utf-8")
    srv = fresh_server(data_dir=folder, secrets=secrets)
    srv.folder = folder
    return srv


def login(page) -> None:
    wait_idle(page)
    page.get_by_role("textbox", name="編集用パスワード").fill(PASSWORD)
    page.get_by_role("button", name="編集を始める").click()
    wait_idle(page)
    page.get_by_role("textbox", name="記録者(お名前)").fill("企画課 テスト")
    page.keyboard.press("Enter")
    page.locator("h1").first.click()  # leave the text box
    wait_idle(page)


def choose(page, box: str, option: str) -> None:
    page.get_by_role("combobox", name=box, exact=True).click()
    click_and_rerun(page, page.get_by_role("option", name=option, exact=True))


def type_into(page, frame, column: int, row: int, text: str) -> None:
    """Type ``text`` into a cell of the table in ``frame`` (columns in display order, 0 = first), as an IME
    commits it.

    The grid is a canvas; its accessible copy of the cells says which one is selected. On a loaded machine a
    key press can be lost, so each move is checked before the next one, and the cell is chosen again if the
    row or column is not the one meant.
    """
    grid = frame.locator('[data-testid="data-grid-canvas"]')
    selected = frame.locator(f'[data-testid="glide-cell-{column}-{row}"][aria-selected="true"]')
    for _attempt in range(4):
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 60, box["y"] + 35 + 35 * row + 17)  # the first column, under the header
        try:
            for c in range(column + 1):
                if c:
                    page.keyboard.press("ArrowRight")
                cell = frame.locator(f'[data-testid="glide-cell-{c}-{row}"][aria-selected="true"]')
                cell.wait_for(state="attached", timeout=3_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    assert selected.count() == 1, f"could not select the cell {column}-{row}"
    page.keyboard.press("Enter")
    editor = page.locator("#portal textarea")
    editor.wait_for(timeout=10_000)
    editor.focus()
    page.keyboard.insert_text(text)
    page.keyboard.press("Enter")
    typed = frame.locator(f'[data-testid="glide-cell-{column}-{row}"]').get_by_text(text, exact=True)
    typed.wait_for(state="attached")  # the accessible copy is hidden: attached is what it can be


def test_projects_tab_type_an_amount_with_the_ime_and_save(browser, server):
    with open_page(browser, f"{server.url}/edit", width=1280, height=800) as page:
        login(page)
        page.get_by_role("tab", name=TAB).click()  # the tabs rerun the page: wait for this tab's content
        page.get_by_role("combobox", name="施策").wait_for()
        wait_idle(page)
        choose(page, "年度", "R8(2026)年度")
        table = page.locator('[data-testid="stDataFrame"]').locator("visible=true").first  # the editor
        table.locator('[data-testid="data-grid-canvas"]').wait_for()
        main = page.locator('[data-testid="stMain"]')
        text = main.inner_text()
        assert "表示中のデータ: 事業の評価の変更番号 1 の時点" in text and labels.PROJECT_HISTORY_HEADING in text
        assert LEFTOVER.findall(text) == []
        assert page.locator('[data-testid="stException"]').count() == 0
        screenshot(page, "edit_projects_1280x800", full=True)

        # 決算額 of the fifth project (no R8 record: R7's 担当課 is offered). The pinned 事業名 comes first, so
        # 決算額 is the tenth column: 事業名 事業ID 概要 備考 実施状況 評価 前年度の方向性 今後の方向性 予算額 決算額.
        type_into(page, table, column=9, row=4, text="２，３００")
        screenshot(page, "edit_projects_typed_full_width")
        page.get_by_role("button", name="保存", exact=True).click()
        page.get_by_text("事業の評価を1件保存しました(変更番号 2)").wait_for()
        wait_idle(page)
        assert page.get_by_role("tab", name=TAB).get_attribute("aria-selected") == "true"  # still on the tab
        # R7's department was offered, and saved with the amount
        saved = {k: r for k, r in ProjectStore(server.folder).records().items() if k[1] == 2026}
        assert saved.get((UNRECORDED, 2026)) == ProjectRecord(spent=2300.0, department="子育て支援課"), saved

        page.set_viewport_size({"width": 1920, "height": 1080})
        page.wait_for_timeout(500)
        wait_idle(page)
        text = main.inner_text()
        assert "決算額(千円)" in text and "2,300千円" in text  # the log shows the change, in Japanese
        assert LEFTOVER.findall(text) == []
        screenshot(page, "edit_projects_1920x1080")

        # The round trip with a department on the same tab: a returned cp932 file with a title row, a 注 row and
        # an amount in 円, previewed (the conversion said), then saved.
        returned = tmp_path_factory_file(server.folder.parent / "returned_R8.csv")
        uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="返ってきたファイル")
        uploader.locator('input[type="file"]').set_input_files(str(returned))
        page.get_by_text("新規 1件").wait_for()
        wait_idle(page)
        text = main.inner_text()
        segment = text[text.find("返ってきたファイル") : text.find(labels.PROJECT_HISTORY_HEADING)]
        # the tables are canvases: their words are checked in test_projects_io; here what a person reads first
        assert (
            "新規 1件" in segment
            and "まだ保存していません" in segment
            and labels.PROJECT_PREVIEW_CONVERSIONS in segment
        )
        assert LEFTOVER.findall(text) == []
        uploader.scroll_into_view_if_needed()
        screenshot(page, "edit_projects_upload_preview_1920x1080")
        page.get_by_role("button", name=labels.PROJECT_IMPORT_COMMIT, exact=True).click()
        page.get_by_text("returned_R8.csv を取り込みました(1件、変更番号 3)").wait_for()
        record = ProjectStore(server.folder).records()[("1-1-1-06", 2026)]
        assert (record.status, record.grade, record.spent) == ("実施", "B", 1500.0)


def tmp_path_factory_file(path):
    """テスト用の架空データ: a department's returned file as Excel saves it (Shift_JIS, title row, 注 row)."""
    rows = [
        "令和8年度 事業評価シート(テスト用の架空データ),,,,",
        ",,,,",
        "事業ID,年度,実施状況,評価,決算額",
        '1-1-1-06,R8,実施,b,"1,500,000円"',
        "注) テスト用の架空データです,,,,",
    ]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp932"))
    return path
