"""Every page opened by its URL on a freshly started server, in headless Debian chromium.

The first sessions after a server start are the ones Streamlit's legacy pages-folder mode would hijack,
so every page is opened at once by the first visitors of one fresh server. Screenshots go to
test-output/screenshots/.
"""

from __future__ import annotations

import contextlib
import io
import re
from urllib.parse import urlsplit

import pandas as pd
import pytest

from kamiplan import labels
from kamiplan.app.site import PageSpec, page_specs
from kamiplan.plan.db import PlanDB
from kamiplan.plan.queries import pillars
from tests.browser.conftest import DRAWN_CHARTS, click_and_rerun, open_page, screenshot, wait_idle
from tests.browser.english import english_on_screen, streamlit_chrome
from tests.conftest import DATA

pytestmark = pytest.mark.browser

SPECS = page_specs(pillars(PlanDB(DATA).cursor()))
CHARTS = {"": 12, "pillar1": 15, "pillar2": 10, "pillar3": 6, "pillar4": 4, "projects": 0, "present": 0, "edit": 0}
TITLES = {
    "": "将来像「小さな町の輝く未来へ挑戦するまち」",
    "projects": "実施計画(事業一覧)",
    "present": "将来像「小さな町の輝く未来へ挑戦するまち」",
    "edit": "実績の入力",
}


def outside(page, server) -> list[str]:
    return [u for u in page.requests if not u.startswith((server.url, "data:", "blob:", "about:"))]


MISTYPED = "pillar9"  # no such page (there are four 大綱)
MISTYPED_SPEC = PageSpec(MISTYPED, "pages/overview.py", "", "")


def test_every_page_by_its_url_from_the_first_visitors_of_a_fresh_server(browser, fresh_server):
    """Also: no English of Streamlit's own on any page (the charts here are the interactive ones a first visit
    shows; their toolbar is hidden, their hover texts work), a mistyped address opens the 概要 with a Japanese
    line instead of Streamlit's English 「Page not found」 dialog over it, and when the server stops, the page
    says so in Japanese."""
    server = fresh_server()
    with contextlib.ExitStack() as stack:
        # All the links asked for at once, before any session has run the app: each is a first visitor (with
        # the legacy pages-folder mode, they all got the page file alone and a menu of file names).
        pages = {
            spec.url_path: stack.enter_context(open_page(browser, f"{server.url}/{spec.url_path}", wait_until="commit"))
            for spec in SPECS + [MISTYPED_SPEC]
        }
        for spec in SPECS:
            page, where = pages[spec.url_path], spec.url_path or "overview"
            wait_idle(page, CHARTS[spec.url_path])
            title = page.locator("h1").first.inner_text()
            if spec.pillar:
                assert title.startswith(f"大綱{spec.pillar} "), where
            else:
                assert title == TITLES[spec.url_path], where
            assert page.locator(DRAWN_CHARTS).count() == CHARTS[spec.url_path], where
            assert page.locator('[data-testid="stException"]').count() == 0, where
            assert page.locator('[data-testid="stAlertContentError"]').count() == 0, where
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
            assert "概要" in nav and "大綱1 健康で心豊かに暮らせるまち" in nav and "pillar" not in nav, (
                where
            )  # st.navigation, not the legacy file menu
            assert "Page not found" not in page.locator("body").inner_text(), where
            # No programmer's words where people read (tables use an empty placeholder, tooltips drop empty fields).
            main = page.locator('[data-testid="stMain"]').inner_text()
            assert re.findall(r"\b(None|null|NaN|nan|NaT)\b", main) == [], where
            assert outside(page, server) == [], where
            screenshot(page, f"page_{where}", full=True)
            assert english_on_screen(page) == [], where
            assert streamlit_chrome(page) == [], where
        overview = pages[""]
        skip_link_in_japanese(overview)
        chart_hover_text(overview)

        page = pages[MISTYPED]
        wait_idle(page, CHARTS[""])
        assert page.locator("h1").first.inner_text() == TITLES[""]
        assert urlsplit(page.url).path == "/"  # the address is the 概要's now
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert labels.PAGE_NOT_FOUND.format(path=MISTYPED) in main
        assert "Page not found" not in page.locator("body").inner_text()
        assert page.locator('[role="dialog"]').count() == 0
        assert english_on_screen(page, allowed={"pillar"}) == []  # the address typed, shown back
        screenshot(page, "page_mistyped")

        # Last, the server stops (as when the computer went to sleep): Streamlit's dialog says so in Japanese
        # (it said 「Connection error」 「Streamlit server is not responding. Are you connected to the internet?」).
        server.stop()
        dialog = page.locator('[data-testid="stDialog"] section[role="dialog"]')
        dialog.wait_for(timeout=60_000)
        title = dialog.locator("h2").evaluate("e => getComputedStyle(e, '::after').content")
        assert title == f'"{labels.SERVER_LOST_TITLE}"'
        assert english_on_screen(page, '[data-testid="stDialog"]') == []
        screenshot(page, "server_lost")


def skip_link_in_japanese(page) -> None:
    """The first stop of the Tab key, Streamlit's 「Skip to main content」, reads 「本文へ移動」."""
    page.keyboard.press("Tab")  # nothing has had the focus on this page yet
    link = page.locator('[data-testid="stSkipToContent"]')
    assert link.evaluate("e => e === document.activeElement")
    assert link.evaluate("e => getComputedStyle(e).fontSize") == "0px"
    assert link.evaluate("e => getComputedStyle(e, '::after').content") == f'"{labels.SKIP_TO_CONTENT}"'
    assert link.evaluate("e => e.getBoundingClientRect().width") > 20  # the Japanese shows
    screenshot(page, "skip_link")
    page.keyboard.press("Escape")


def chart_hover_text(page) -> None:
    """With the chart toolbar hidden, the chart's own hover text still comes (Vega's tooltip, in Japanese)."""
    point = page.locator(
        '[data-testid="stVegaLiteChart"] svg path[aria-roledescription="point"][aria-label*="系列: 実績"]'
    )
    point.first.scroll_into_view_if_needed()
    box = point.first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tooltip = page.locator("#vg-tooltip-element.visible")
    tooltip.wait_for(timeout=10_000)
    text = tooltip.inner_text()
    assert "系列" in text and "実績" in text and "値(" in text
    assert english_on_screen(page, "#vg-tooltip-element") == []
    screenshot(page, "chart_hover_text")


def test_pillar_csv_download_is_the_filtered_rows(browser, shared_server):
    server = shared_server
    with open_page(browser, f"{server.url}/pillar1", accept_downloads=True) as page:
        wait_idle(page, 15)
        page.get_by_role("combobox", name="基本計画").click()
        page.get_by_role("option", name="(2) 次代を担う人材を育成するまちづくり").click()
        wait_idle(page, 4)
        page.wait_for_function("(sel) => document.querySelectorAll(sel).length === 4", arg=DRAWN_CHARTS)
        with page.expect_download() as info:
            page.get_by_role("button", name="CSV をダウンロード(4行)").click()
        download = info.value
        data = open(download.path(), "rb").read()
        assert data.startswith(b"\xef\xbb\xbf")
        frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
        assert frame["指標ID"].tolist() == ["1-2-T1", "1-2-K1", "1-2-K2", "1-2-K3"]
        assert download.suggested_filename.startswith("指標一覧_大綱1_(2)次代を担う人材を育成するまちづくり_")
        assert outside(page, server) == []
        screenshot(page, "pillar1_filtered")


# A sidebar link's text cut off: an element that clips (overflow other than visible) wider inside than it shows
# (Streamlit cuts a long name so and ends it with 「…」), or the link reaching past the sidebar. (Not heights:
# Streamlit's invisible copy of the name in bold, which keeps the width, overflows every link downwards.)
CUT = """a => [...a.querySelectorAll('*')].some(e => getComputedStyle(e).overflow !== 'visible'
        && e.scrollWidth > e.clientWidth + 1)
    || a.getBoundingClientRect().right > a.closest('[data-testid="stSidebar"]').getBoundingClientRect().right"""


def page_names_cut(page) -> list[str]:
    """The sidebar's page names, in menu order, each followed by 「(cut)」 if it does not show whole."""
    links = page.locator('[data-testid="stSidebarNavLink"]')
    names = []
    for i in range(links.count()):
        link = links.nth(i)
        text = " ".join(link.inner_text().split())  # a name on two lines reads as one
        names.append(text + (" (cut)" if link.evaluate(CUT) else ""))
    return names


def test_every_page_name_whole_in_the_sidebar(browser, shared_server):
    """「大綱2 活気とにぎわいがあふれるまち」 and 「大綱3 生活環境が整った住みよいまち」 were cut to 「…あふれる…」 at
    1280×800 and at 1920×1080 (the sidebar has the same width): every name shows whole, on two lines if it
    must, also after a filter has rerun part of the page."""
    server = shared_server
    with open_page(browser, f"{server.url}/pillar2") as page:
        wait_idle(page, CHARTS["pillar2"])
        for width, height in ((1280, 800), (1920, 1080)):
            page.set_viewport_size({"width": width, "height": height})
            wait_idle(page, CHARTS["pillar2"])
            assert page_names_cut(page) == [spec.title for spec in SPECS], f"{width}x{height}"
            screenshot(page, f"sidebar_pillar2_{width}x{height}")
        page.get_by_role("combobox", name="評価で絞り込む").click()
        click_and_rerun(page, page.get_by_role("option", name="△ やや遅れ"))
        assert page_names_cut(page) == [spec.title for spec in SPECS]


def open_list(page, label: str) -> tuple[list[str], list[str]]:
    """The lines of a filter's open list, as it opens and after typing a word that matches no choice."""
    page.get_by_role("combobox", name=label, exact=True).click()
    opened = page.get_by_role("listbox").inner_text().splitlines()
    page.keyboard.type("zz")
    typed = page.get_by_role("listbox").inner_text().splitlines()
    page.locator("h1").first.click()  # closes the list (Escape would first clear a typed word)
    page.get_by_role("listbox").wait_for(state="detached")
    return opened, typed


def test_filter_lists_hold_the_choices_only(browser, shared_server):
    """The filters' lists opened on Streamlit's English 「Select all」 (「Select 2 matches」 after a typed word, 「No
    results」 after one that matches nothing): the choices now, and nothing else, whatever is typed."""
    from kamiplan.model import dashboard, project_views
    from kamiplan.plan import queries

    server = shared_server
    with open_page(browser, f"{server.url}/pillar1") as page:
        wait_idle(page, CHARTS["pillar1"])
        choices = dashboard.GRADE_FILTER_OPTIONS
        assert open_list(page, "評価で絞り込む") == (choices, choices)
    with open_page(browser, f"{server.url}/projects") as page:
        wait_idle(page)
        for label, choices in (
            ("備考(新規・拡充・再掲)", queries.TAG_FILTERS),
            ("実施状況", project_views.STATUS_OPTIONS),
            ("評価", project_views.GRADE_OPTIONS),
            ("今後の方向性", project_views.DIRECTION_OPTIONS),
        ):
            assert open_list(page, label) == (list(choices), list(choices)), label
        screenshot(page, "projects_filters")


# -- 事業の実施状況 (issue 13): the projects' year on the 大綱 and 実施計画 pages, with invented records --------
def drawn(page, charts: int = 0) -> None:
    """Idle, and every element drawn (lazy-loaded widgets and tables show a skeleton until they are)."""
    wait_idle(page, charts)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')")


def test_project_views_with_records(browser, shared_project_server):
    """Checked at 1280×800; each page is also captured at 1920×1080 (a resize, not a second server). The data:
    invented actuals of R7, R8 (the evaluation year is R8) and project records of both years."""
    server = shared_project_server
    width, height, size = 1280, 800, "1280x800"
    # 大綱1: 15 indicator charts and one 事業の実施状況 chart per 基本計画 (3).
    with open_page(browser, f"{server.url}/pillar1", width, height) as page:
        drawn(page, 15 + 3)
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert main.count("事業の実施状況(R8(2026)年度)") == 3
        assert "新規" in main and "件のうち" in main and "千円" in main
        assert re.findall(r"\b(None|null|NaN|nan|NaT|undefined)\b", main) == []
        assert page.locator('[data-testid="stException"]').count() == 0
        page.get_by_text("(1) の施策と事業").first.click()
        drawn(page, 18)
        page.wait_for_function("() => document.body.innerText.includes('① 妊娠期からの切れ目ない支援')")
        page.get_by_text("① 妊娠期からの切れ目ない支援").first.scroll_into_view_if_needed()
        drawn(page, 18)
        screenshot(page, f"projects_pillar1_{size}", full=True)
        wide(page, "projects_pillar1", 18)
    with open_page(browser, f"{server.url}/projects", width, height) as page:
        drawn(page)
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert "R8(2026)年度の記録: 入力済み 160 行・未入力 26 行" in main
        assert re.findall(r"\b(None|null|NaN|nan|NaT|undefined)\b", main) == []
        screenshot(page, f"projects_list_{size}")
        wide(page, "projects_list")
    with open_page(browser, f"{server.url}/projects?project=1-2-2-10", width, height) as page:
        drawn(page)
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert "保護者負担の軽減(1-2-2-09)" in main and "年度ごとの実施状況・評価" in main
        assert page.locator('[data-testid="stException"]').count() == 0
        screenshot(page, f"projects_view_{size}", full=True)
        wide(page, "projects_view")
    with open_page(browser, f"{server.url}/", width, height) as page:
        drawn(page, 13)
        page.get_by_text("事業の実施状況(大綱別)").scroll_into_view_if_needed()
        drawn(page, 13)
        screenshot(page, f"projects_overview_{size}")
        wide(page, "projects_overview", 13)


def wide(page, name: str, charts: int = 0) -> None:
    """The same page at 1920×1080: nothing on it may fail or show a programmer's word there either."""
    page.set_viewport_size({"width": 1920, "height": 1080})
    drawn(page, charts)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert re.findall(r"\b(None|null|NaN|nan|NaT|undefined)\b", main) == []
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, f"{name}_1920x1080")


COLUMN = """([table, name]) => {
  const t = document.querySelectorAll('.kp-table table')[table];
  const col = [...t.tHead.rows[0].cells].findIndex((th) => th.textContent.replace(/[▲▼]/g, '').trim() === name);
  return [...t.tBodies[0].rows].map((r) => r.cells[col].textContent);
}"""


def test_summary_table_sorts_by_a_click_on_its_heading(browser, shared_server):
    """The 指標一覧 below the charts is plain HTML (issue 14): a click on 実績 sorts it by number, again the
    other way; on 評価 in the plan's order of grades (◎ ○ △ × −); the first column stays when it scrolls."""
    server = shared_server
    grades = ["◎", "○", "△", "×", "−"]
    with open_page(browser, f"{server.url}/pillar1") as page:
        wait_idle(page, 15)
        table = page.locator(".kp-table table").last
        table.scroll_into_view_if_needed()
        names = page.evaluate(COLUMN, [0, "指標名"])
        assert len(names) == 15

        def numbers() -> list[float]:
            shown = page.evaluate(COLUMN, [0, "実績"])
            return [float(v.replace(",", "")) for v in shown if v not in ("—", "")]

        table.get_by_role("button", name="実績").click()
        up = numbers()
        assert up == sorted(up) and len(up) >= 2
        assert page.evaluate(COLUMN, [0, "実績"])[-1] in ("—", "") or len(up) == 15  # empty cells last
        table.get_by_role("button", name="実績").click()
        assert numbers() == sorted(up, reverse=True)
        table.get_by_role("button", name="評価").click()
        ranks = [grades.index(v[:1]) for v in page.evaluate(COLUMN, [0, "評価"]) if v]
        assert ranks == sorted(ranks)
        heading = table.locator("th", has_text="評価")
        assert heading.get_attribute("aria-sort") == "ascending"
        assert sorted(page.evaluate(COLUMN, [0, "指標名"])) == sorted(names)  # rows moved, none lost
        first = page.evaluate("() => getComputedStyle(document.querySelector('.kp-table tbody td')).position")
        assert first == "sticky"
        screenshot(page, "pillar1_table_sorted")
