"""English of Streamlit's own on a page in the browser: what a resident or a member of staff could read.

The page's own words come from the plan (「GIGA スクール」, 「ICT」, 「KPI」) and from kamiplan's labels (「CSV」,
「UTF-8(BOM付き)」, 「Shift_JIS」, 「Excel」); any other English word on screen is one of Streamlit's (「Show data」,
「Upload」, 「2MB per file」, 「Skip to main content」, 「Page not found」, 「Select all」, …).
"""

from __future__ import annotations

import re

from tests.conftest import SOURCE

# kamiplan's own words in Latin letters (labels, column names), beside the plan's. Commands and file names are
# <code> (「`python -m kamiplan set-password`」 for the administrator) and not looked at.
APP_WORDS = {"BOM", "CSV", "Excel", "HTML", "ID", "KPI", "MB", "PNG", "README", "SVG", "Shift_JIS", "TSV", "UTF"}
APP_WORDS |= {"cp", "xlsx"}  # 「Shift_JIS(cp932)」, 「Excel ブック .xlsx」
WORD = r"[A-Za-z][A-Za-z_'-]*[A-Za-z]"
PLAN_WORDS = set(re.findall(WORD, (SOURCE / "plan.txt").read_text(encoding="utf-8")))

# The words on screen: text a person can see (not hidden, not 0 px high; not chart SVGs, whose texts the chart
# tests check, nor Material icons, which are drawn as glyphs from their names, nor <code>), and the tooltips of
# title attributes. Each word with where it is (the nearest Streamlit test id).
_WORDS_JS = """([root, word]) => {
  const scope = root ? document.querySelector(root) : document.body;
  const re = new RegExp(word, 'g');
  const found = [];
  const where = (el) => (el.closest('[data-testid]') || { dataset: {} }).dataset.testid || el.tagName;
  const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('script, style, svg, code, [data-testid="stIconMaterial"]')) continue;
    if (!el.checkVisibility() || parseFloat(getComputedStyle(el).fontSize) === 0) continue;
    for (const w of n.textContent.match(re) || []) found.push([w, where(el)]);
  }
  for (const el of scope.querySelectorAll('[title]')) {
    if (el.closest('svg') || !el.checkVisibility()) continue;
    for (const w of el.getAttribute('title').match(re) || []) found.push([w, where(el) + '@title']);
  }
  return found;
}"""


def english_on_screen(page, root: str | None = None, allowed: set[str] = frozenset()) -> list[str]:
    """Words in Latin letters on screen (in ``root``, a CSS selector, or the whole page) that neither the plan nor
    kamiplan writes, each as 「word (where)」; ``allowed``: more words (what a person typed, shown back)."""
    words = page.evaluate(_WORDS_JS, [root, WORD])
    known = PLAN_WORDS | APP_WORDS | set(allowed)
    return sorted({f"{w} ({where})" for w, where in words if w not in known})


# Streamlit's parts that hold English and are kept off the screen: a toolbar's buttons (charts: Show data, Download
# as PNG, Fullscreen; tables: Show/hide columns, Download as CSV, Search, Fullscreen), the ⋮ menu, a heading's
# 「Link to heading」 anchor, the running indicator with 「Stop」.
_CHROME_JS = """() => {
  const shown = (sel) => [...document.querySelectorAll(sel)].filter((e) => e.checkVisibility());
  return [
    ...shown('[data-testid="stElementToolbar"] button').map((b) => 'toolbar: ' + b.getAttribute('aria-label')),
    ...shown('[data-testid="stMainMenuButton"]').map(() => 'menu'),
    ...shown('[data-testid="stHeaderActionElements"] a').map((a) => 'anchor: ' + a.getAttribute('aria-label')),
    ...shown('[data-testid="stStatusWidget"]').map((w) => 'status: ' + w.innerText),
  ];
}"""


def streamlit_chrome(page) -> list[str]:
    """Streamlit's English parts on screen. Toolbars and heading anchors are in the page from the start, faded in
    when the pointer comes over their element (Streamlit 1.67, before the fix: all 13 charts' toolbars and all six
    headings' anchors of the 概要 counted with the pointer over the first only); the pointer goes over the first
    chart or table anyway, in case a release adds them on hover only."""
    element = page.locator('[data-testid="stVegaLiteChart"], [data-testid="stDataFrame"]').first
    if element.count():
        element.scroll_into_view_if_needed()
        element.hover()
        page.wait_for_timeout(100)
    return page.evaluate(_CHROME_JS)
