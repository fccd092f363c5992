"""Shareable outputs in headless Debian chromium: the report printed to A4 PDF, the offline snapshot
opened with ``file://`` and networking disabled, the presentation's keys and type sizes, and the
dashboard's image and report downloads. Screenshots go to test-output/screenshots/.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest

from tests.browser.conftest import SCREENSHOTS, open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser

A4_WIDTH = 794  # CSS px of an A4 page at 96 dpi


@contextlib.contextmanager
def offline_page(browser, url: str, width: int = 1280, height: int = 900):
    """A page with networking disabled: every non-file request is recorded and aborted."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP")
    context.set_offline(True)
    page = context.new_page()
    page.attempted = []
    page.errors = []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            page.attempted.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(url)
    try:
        yield page
    finally:
        context.close()


def charts_drawn(page, timeout: float = 60_000) -> int:
    """Wait until every chart of the page has its SVG; return how many charts there are."""
    count = page.locator(".chart").count()
    page.wait_for_function("n => document.querySelectorAll('.chart svg.marks').length >= n", arg=count, timeout=timeout)
    return count


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


# -- printable report -----------------------------------------------------------------------------
def test_report_prints_on_a4_with_a_page_per_pillar(browser, report_html, outputs_view, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(report_html, encoding="utf-8")
    with offline_page(browser, path.as_uri(), width=A4_WIDTH, height=1123) as page:
        page.wait_for_load_state("load")
        pdf = page.pdf(format="A4")
        pillars = len(outputs_view.pillars)
        pages = pdf_pages(pdf)
        # cover, 計画全体の目標, then each 大綱 on a page of its own (46 indicators: about 20 pages)
        assert pages >= 2 + pillars
        page.emulate_media(media="print")
        breaks = page.eval_on_selector_all(".part", "els => els.map(e => getComputedStyle(e).breakBefore)")
        assert breaks == ["page"] * (1 + pillars)
        assert page.attempted == [] and page.errors == []
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS.parent / "report.pdf").write_bytes(pdf)
        screenshot(page, "report_cover")
        for anchor in ("plan-wide", "pillar1"):
            page.eval_on_selector(f"#{anchor}", "e => e.scrollIntoView()")
            screenshot(page, f"report_{anchor}")
        print(f"report: {pages} A4 pages, {len(report_html.encode()) / 1e6:.2f} MB")


# -- offline snapshot -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["index", "pillar1", "slides"])
def test_snapshot_opens_from_disk_with_no_network(browser, snapshot_dir, name):
    with offline_page(browser, (snapshot_dir / f"{name}.html").as_uri()) as page:
        count = charts_drawn(page)
        assert count > 0
        assert page.locator(".chart svg.marks").count() == count  # every chart rendered
        assert page.attempted == []  # nothing tried to leave the computer
        assert page.errors == []
        assert page.locator(".chart").filter(has_text="グラフを表示できませんでした").count() == 0
        if name != "slides":
            tables = page.locator("figure.card details table").count()
            assert tables == page.locator("figure.card .chart").count()  # every trajectory has its table
            screenshot(page, f"snapshot_{name}")
            page.screenshot(path=str(SCREENSHOTS / f"snapshot_{name}_full.png"), full_page=True)


def slide_state(page) -> dict:
    return page.evaluate(
        """() => {
          const scale = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--scale'));
          const visible = [...document.querySelectorAll('.slide')].find(s => Math.abs(s.getBoundingClientRect().top) < 2);
          return {hash: location.hash, scale, visible: visible && visible.id,
                  scrollbars: document.documentElement.scrollWidth > innerWidth
                              || getComputedStyle(document.documentElement).overflowY !== 'hidden'};
        }"""
    )


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_slides_fit_the_screen_in_large_type_and_keys_move(browser, snapshot_dir, width, height):
    url = (snapshot_dir / "slides.html").as_uri()
    with offline_page(browser, url + "#slide-9", width, height) as page:
        charts_drawn(page)
        state = slide_state(page)
        assert state["visible"] == "slide-9" and not state["scrollbars"]
        assert state["scale"] == pytest.approx(min(width / 1920, height / 1080))
        # Nothing on any slide is cut off: the content fits its 1920×1080 stage.
        overflow = page.eval_on_selector_all(
            ".stage .body",
            "els => els.filter(e => e.scrollHeight > e.clientHeight + 1).map(e => e.closest('.slide').id)",
        )
        assert overflow == []
        if width == 1920:
            sizes = page.evaluate(
                """() => {
                  const px = e => parseFloat(getComputedStyle(e).fontSize);
                  const s = document.querySelector('#slide-9');
                  return {title: px(s.querySelector('h2')),
                          body: Math.min(...[...s.querySelectorAll('.sentence, .where')].map(px)),
                          chart: Math.min(...[...s.querySelectorAll('.chart svg text')].map(px))};
                }"""
            )
            assert sizes["title"] >= 40 and sizes["body"] >= 20 and sizes["chart"] >= 20, sizes
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => location.hash === '#slide-10'")
        page.wait_for_timeout(200)
        assert slide_state(page)["visible"] == "slide-10"
        page.keyboard.press("ArrowLeft")
        page.wait_for_function("() => location.hash === '#slide-9'")
        page.get_by_role("link", name="次へ ▶").nth(8).click()  # the link of slide 9
        page.wait_for_function("() => location.hash === '#slide-10'")
        assert page.attempted == [] and page.errors == []
        for n in (1, 2, 8, 9, 30) if width == 1920 else (9,):
            page.evaluate(f"location.hash = '#slide-{n}'")
            page.wait_for_timeout(150)
            screenshot(page, f"snapshot_slide{n}_{width}x{height}")
        # 事業の実施状況 (one slide per 大綱): large type, and its 新規 list within the stage (overflow above).
        projects = page.eval_on_selector_all(
            ".slide", "els => els.filter(s => s.querySelector('.pslide')).map(s => s.id)"
        )
        assert len(projects) == 4
        page.evaluate(f"location.hash = '#{projects[0]}'")
        page.wait_for_timeout(150)
        assert slide_state(page)["visible"] == projects[0]
        if width == 1920:
            smallest = page.evaluate(
                f"""() => Math.min(...[...document.querySelectorAll('#{projects[0]} .pslide :is(.phead, .word, .n, li, .status)')]
                      .map(e => parseFloat(getComputedStyle(e).fontSize)))"""
            )
            assert smallest >= 20, smallest
        screenshot(page, f"snapshot_projects_slide_{width}x{height}")


# -- dashboard downloads ------------------------------------------------------------------------------
def test_dashboard_downloads_chart_images_and_the_report(browser, shared_server):
    server = shared_server
    with open_page(browser, server.url, accept_downloads=True) as page:
        wait_idle(page, 12)
        page.get_by_text("表で見る:人口", exact=True).click()
        files = {}
        for label in ("画像(PNG)で保存", "画像(SVG)で保存", "印刷用レポート(HTML・A4縦)をダウンロード"):
            with page.expect_download(timeout=180_000) as info:
                page.get_by_role("button", name=label).first.click()
            download = info.value
            files[download.suggested_filename] = Path(download.path()).read_bytes()
        assert files["人口_R8(2026)年度.png"].startswith(b"\x89PNG\r\n\x1a\n")
        assert files["人口_R8(2026)年度.svg"].startswith(b"<svg")
        report = files["進捗レポート_R8(2026)年度.html"].decode("utf-8")
        assert report.startswith("<!DOCTYPE html>") and report.count('<article class="indicator"') == 46
        assert page.locator('[data-testid="stException"]').count() == 0
        assert [u for u in page.requests if not u.startswith((server.url, "data:", "blob:", "about:"))] == []
        screenshot(page, "overview_image_buttons")
