"""The overview's 効果検証シート button in headless chromium: the book downloads and reads back."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from kamiplan import labels
from tests.browser.conftest import open_page, screenshot, wait_idle
from tests.conftest import DATA
from tests.synthetic import populated_folder

pytestmark = pytest.mark.browser


def test_the_review_sheet_downloads(browser, fresh_server, tmp_path):
    folder = populated_folder(tmp_path / "data", DATA, (2026,))
    server = fresh_server(data_dir=folder)
    with open_page(browser, server.url, accept_downloads=True) as page:
        wait_idle(page, 12)
        screenshot(page, "overview_review_sheet_button")
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name=labels.DOWNLOAD_REVIEW_SHEET).click()
        download = info.value
        assert download.suggested_filename == "効果検証シート_R8(2026)年度.xlsx"  # the year of the latest actuals
        book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))  # the path has no .xlsx
        assert book.sheetnames == ["総括", "指標", "事業"]
        assert book["総括"]["A1"].value == "令和8年度(R8) 効果検証シート"
        assert book["指標"].max_row == 47 and book["事業"].max_row == 197
        assert book["事業"]["J2"].value == "実施"  # 1-1-1-01's invented record of R8
        assert page.locator('[data-testid="stException"]').count() == 0
