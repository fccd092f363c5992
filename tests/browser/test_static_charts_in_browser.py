"""Charts drawn on the server (issue 14) as a person sees them: every chart an SVG once drawn, sized to its
column, hover details on every point, slide text ≥ 20 px at 1920×1080; screenshots in test-output/screenshots/.

The servers (conftest.DrawingServers) start with the first browser test and draw these pages' charts while the
other browser modules run; this module comes last. (That the first visit shows the interactive charts while the
server draws is checked by tests/app/test_pages_static_charts.py.)"""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import READY, open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser

CHARTS = """() => [...document.querySelectorAll('[data-kp-chart]')].map(box => {
  const svg = [...box.querySelectorAll('svg')].find(s => s.getClientRects().length);
  const vb = svg.viewBox.baseVal, r = svg.getBoundingClientRect(), k = r.width / vb.width;
  const sizes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
    .map(t => parseFloat(getComputedStyle(t).fontSize) * k);
  return {box: box.getBoundingClientRect().width, width: r.width, drawn: vb.width, minText: Math.min(...sizes),
          titles: svg.querySelectorAll('title').length};
})"""


FITS = (
    """() => { const m = document.querySelector('[data-testid="stMain"]'); return m.scrollHeight - m.clientHeight; }"""
)


def drawn_on_server(browser, server, path: str, charts: int, width: int, height: int, timeout: float = 90) -> None:
    """Open ``path`` until the server has drawn its charts (the first visits show the interactive ones).

    Between two visits, wait for the server's drawing process to end rather than visit again at once: each visit
    draws the interactive charts, and took the CPU from the drawing (it runs at a lower priority) on 2 cores."""
    url = f"{server.url}/{path}"
    deadline = time.monotonic() + timeout
    while True:
        with open_page(browser, url, width=width, height=height) as page:
            page.wait_for_selector(READY, timeout=60_000)
            # An interactive chart says the SVGs are not ready: no need to wait for the browser to draw it.
            if page.locator('[data-testid="stVegaLiteChart"]').count() == 0:
                wait_idle(page, charts)
                if page.locator('[data-testid="stVegaLiteChart"]').count() == 0:
                    return
        assert time.monotonic() < deadline, f"the server did not draw the charts of {url}"
        server.wait_drawn(deadline)


SIZES = [(1280, 800), (1920, 1080)]  # a laptop with the menu open (~400 px columns) and a desk screen (~720 px)


def test_pillar_page_charts_are_svgs_fitted_to_their_column(browser, drawing_servers):
    server = drawing_servers.server("test_data")
    url = f"{server.url}/pillar1"
    drawn_on_server(browser, server, "pillar1", 15, *SIZES[0])
    with open_page(browser, url, width=SIZES[0][0], height=SIZES[0][1]) as page:
        wait_idle(page, 15)
        for width, height in SIZES:  # the same page, resized: the container query picks the other drawing
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(300)
            charts = page.evaluate(CHARTS)
            assert len(charts) == 15
            for c in charts:
                assert abs(c["width"] - c["box"]) < 1  # fills its column
                assert 0.75 <= c["width"] / c["drawn"] <= 1.35, (width, c)  # the drawing made for about this width
                assert c["minText"] >= 10, (width, c)  # never shrunk below legibility
            assert sum(c["titles"] for c in charts) >= 15 * 3  # baseline, target and actuals: hover details
            screenshot(page, f"static_pillar1_{width}x{height}")
        point = page.locator("[data-kp-chart] svg title").first.text_content()
        assert point.startswith("年度: ") and "\n系列: " in point


def test_slide_charts_are_svgs_with_hall_sized_text(browser, drawing_servers):
    server = drawing_servers.server("project_test_data")
    for slide, charts in ((2, 2), (8, 1)):  # two trajectory charts; the 大綱1 summary's roll-up (STATIC_PAGES)
        url = f"{server.url}/present?slide={slide}"
        drawn_on_server(browser, server, f"present?slide={slide}", charts, 1920, 1080)
        with open_page(browser, url, width=1920, height=1080) as page:
            wait_idle(page, charts)
            for width, height in ((1920, 1080), (1280, 720)):
                page.set_viewport_size({"width": width, "height": height})
                page.wait_for_timeout(300)
                found = page.evaluate(CHARTS)
                assert len(found) == charts
                for c in found:
                    assert c["minText"] >= 20 - 0.5, (slide, width, c)  # the chart text as drawn on this screen
                assert page.evaluate(FITS) <= 1, (slide, width)
                page.get_by_role("button", name="次へ ▶").wait_for()  # the controls drawn, not placeholders
                screenshot(page, f"static_slide{slide}_{width}x{height}")
