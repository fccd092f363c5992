"""Charts drawn on the server as SVG, for pages that open at once (issue 14). No Streamlit here.

A page of 15 interactive Vega-Lite charts spends most of its opening in the browser, compiling and
drawing each chart (~80–100 ms each on the office's kind of machine). The same charts drawn once by
vl-convert (the Vega that the browser would run, on the server) arrive as finished SVG: the browser
only lays them out. Measured on a bare page (BENCHMARKS.md): 15 such SVGs open faster than one
interactive chart.

What the interactive chart offered stays reachable:

- **hover**: every point and bar gets an SVG ``<title>`` with its details — the same text as the
  interactive tooltip (値, 計画線上の値, 進捗率, 備考, 出典, …; Vega's aria-label, built from the
  ``desc`` field of :mod:`kamiplan.outputs.charts`), one field per line; the browser shows it on hover;
- the table equivalent (「表で見る」) is unchanged on the page.

A chart in a page column must fit columns of different widths (a 1280×800 laptop with the sidebar:
~400 px; 1920×1080: ~720 px) without shrinking its text below legibility. Each such chart is drawn at
:data:`WIDTHS` and a CSS container query shows the one closest to the column's width
(:func:`responsive_html`); the SVG then scales by at most ~±35 %.

vl-convert keeps a JavaScript engine in the process that draws (measured +65 MB after the first
chart, +113 MB after 60). The dashboard therefore draws in a short-lived child process
(:class:`SvgCache`: one process per batch, ``python -m kamiplan.outputs.static_charts``), so the
server itself never holds the engine, and shows the interactive chart until the SVG is ready.
"""

from __future__ import annotations

import collections
import hashlib
import html
import json
import logging
import re
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable

LOG = logging.getLogger(__name__)

# Plot widths (px) a chart in a page column is drawn at, and the column width (px, CSS container
# query) from which the wide one is shown: the geometric middle of the columns it serves
# (narrow: ~400 px at 1280×800 with the sidebar open; wide: ~720 px at 1920×1080).
WIDTHS = (350, 660)
SWITCH_AT = 540
BATCH = 48  # charts per child process: bounds the engine's memory growth in the child
CHILD_TIMEOUT_S = 300
RETRY_AFTER_S = 300.0  # after a child failed as a whole (timeout, killed): charts stay interactive this long
# LRU entries (compressed SVG, ~2 KB each): every chart of a 1,000-indicator plan in 2 widths and 3 years.
CACHE_ENTRIES = 6000

# Marks whose aria-label describes one datum (a point, a bar): they get a <title> for hover. Lines carry
# the label of their first point only (misleading on hover); axes, titles and rules say nothing new.
_DATUM_ROLES = ("point", "bar")
_MARK = re.compile(
    r'<(path|rect|line|text)( aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="([^"]*)")([^>]*?)(/?)>'
)
_ROOT = re.compile(r'<svg ([^>]*?)width="([\d.]+)" height="([\d.]+)"')


def _hover_titles(svg: str) -> str:
    """Give every datum mark a ``<title>`` (its aria-label, one field per line) and drop the other marks'
    English aria-labels (「X-axis for a linear scale…」, 「year: 2026」): they are decoration."""

    def mark(m: re.Match) -> str:
        tag, label, role, rest, closing = m.group(1), m.group(3), m.group(4), m.group(5), m.group(6)
        if role == "text mark":  # the grade badge: its words are read out, not Vega's 「badge: …」
            return f"<{tag}{rest}{closing}>"
        if role not in _DATUM_ROLES:
            return f'<{tag} aria-hidden="true"{rest}{closing}>'
        # One field per line: split the label's text (not its escaped form: 「&amp; 」 is not a separator).
        fields = html.unescape(label).split("; ")
        title = "<title>" + "&#10;".join(html.escape(f) for f in fields) + "</title>"
        if closing:  # <path …/> → <path …><title>…</title></path>
            return f"<{tag}{m.group(2)}{rest}>{title}</{tag}>"
        return f"<{tag}{m.group(2)}{rest}>{title}"

    svg = _MARK.sub(mark, svg)
    # Axis groups: 「X-axis for a linear scale with values from 2,023 to 2,029」 (Vega's English).
    return re.sub(r' role="graphics-symbol" aria-roledescription="axis" aria-label="[^"]*"', ' aria-hidden="true"', svg)


_GEOMETRY = re.compile(r' (d|transform)="([^"]*)"')
_EMPTY = re.compile(
    r'<path class="(?:background|foreground)" aria-hidden="true" d="(?:M0,0h0v0h0Z)?"'
    r'(?: pointer-events="none")?(?: display="none")?/>'
)
_FONT = re.compile(r' font-family="([^"]*)"')
_DECIMALS = re.compile(r"(\d\.\d\d)\d+")


def _compact(svg: str) -> str:
    """The same picture in ~25 % fewer bytes (a page of 250 charts sends two SVGs each): coordinates to
    0.01 px (only in geometry, never in text), no empty background/foreground paths, and the font named
    once on the root when every text uses the same one."""
    svg = _GEOMETRY.sub(lambda m: " " + m.group(1) + '="' + _DECIMALS.sub(r"\1", m.group(2)) + '"', svg)
    svg = _EMPTY.sub("", svg)
    fonts = set(_FONT.findall(svg))
    if len(fonts) == 1:
        (font,) = fonts
        svg = _FONT.sub("", svg)
        svg = svg.replace("<svg ", f'<svg font-family="{font}" ', 1)
    return svg


def finish_svg(svg: str) -> str:
    """The SVG as it goes into a page: hover titles, compact (:func:`_compact`), and scalable (``viewBox``
    kept, ``width: 100%``; ``data-w`` keeps the width it was drawn at)."""
    svg = _compact(_hover_titles(svg))
    # No raw line break: the SVG goes into Markdown, where a blank line (a note typed over two paragraphs in an
    # Excel cell) would end the HTML block in the middle of the chart. As character references they read the same.
    svg = svg.replace("\r", "&#13;").replace("\n", "&#10;")
    return _ROOT.sub(
        lambda m: f'<svg {m.group(1)}data-w="{m.group(2)}" style="width:100%;height:auto;display:block"', svg, count=1
    )


def render_svg(spec: dict, context: str = "") -> str:
    """The finished SVG (:func:`finish_svg`) of a Vega-Lite spec, drawn by vl-convert in this process
    (which starts its JavaScript engine here: call it in the child, see the module's text).

    With ``context`` (:func:`kamiplan.outputs.images.render_context`: renderer, font, time zone), vl-convert's
    SVG is kept in the render cache on disk (:mod:`kamiplan.outputs.render_cache`), shared with the print
    report: after a server start the charts drawn before come from there without starting the engine.
    """
    from kamiplan.outputs import render_cache

    key = render_cache.svg_key(spec, context) if context else None
    raw = render_cache.load(key, ".svg") if key else None
    if raw is None:
        raw = render_cache.render_svg(spec)
        if key:
            render_cache.store(key, ".svg", raw)
    return finish_svg(raw)


def spec_key(spec: dict) -> str:
    """A key for everything an SVG is drawn from: the spec's canonical JSON, hashed (64 hex characters)."""
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def responsive_html(svgs: dict[int, str], switch_at: int = SWITCH_AT) -> str:
    """HTML showing the one of ``svgs`` (plot width → finished SVG) that suits its column (container query).

    Parameters
    ----------
    svgs : dict
        ``{350: svg, 660: svg}`` (:data:`WIDTHS`); one entry is shown at every width.

    Returns
    -------
    str
        ``<div class="kp-svg" data-kp-chart>`` with the rules (:data:`RESPONSIVE_CSS`) and one ``<div>``
        per width.
    """
    if len(svgs) == 1:  # a chart of fixed size: at its own width at most
        (svg,) = svgs.values()
        width = re.search(r'data-w="([\d.]+)"', svg)
        limit = f' style="max-width:{width.group(1)}px"' if width else ""
        return f'<div class="kp-svg-fixed" data-kp-chart="1"{limit}>{svg}</div>'
    narrow, wide = min(svgs), max(svgs)
    parts = [f'<div class="kp-w kp-w-{"n" if w == narrow else "w"}">{svgs[w]}</div>' for w in (narrow, wide)]
    kind = "kp-svg" if switch_at == SWITCH_AT else "kp-svg-full"
    # The rules travel with every chart: given once per page (st.html loads its code lazily), both widths
    # showed for a moment before the rules arrived.
    return f'<div class="{kind}" data-kp-chart="1">{RESPONSIVE_CSS}{"".join(parts)}</div>'


# Charts across the whole page (the roll-ups): drawn for ~820 px (1280×800 with the menu) and ~1460 px.
FULL_WIDTHS = (780, 1400)
FULL_SWITCH_AT = 1050

RESPONSIVE_CSS = f"""<style>
.kp-svg, .kp-svg-full {{ container-type: inline-size; width: 100%; }}
.kp-svg .kp-w-w, .kp-svg-full .kp-w-w {{ display: none; }}
@container (min-width: {SWITCH_AT}px) {{ .kp-svg .kp-w-n {{ display: none; }} .kp-svg .kp-w-w {{ display: block; }} }}
@container (min-width: {FULL_SWITCH_AT}px) {{
  .kp-svg-full .kp-w-n {{ display: none; }} .kp-svg-full .kp-w-w {{ display: block; }} }}
</style>"""


# -- slides (発表モード) ----------------------------------------------------------------------------------
# A slide chart fills a box of the screen (60 % of its height; the slide's width shared by its charts).
# It is drawn for three screens — an XGA projector, 1280×720 and 1920×1080 — at the box each gives
# (measured in chromium: width × height in px, by charts on the slide), and CSS shows the one for the
# screen, scaled to its box: the chart text (20.9 px at these sizes) stays ≥ 20 px on the common screens.
SLIDE_BOXES = {
    "s": {1: (973, 461), 2: (478, 461)},  # 1024×768
    "m": {1: (1216, 432), 2: (600, 432)},  # 1280×720 (and 1280×800, 1366×768 …)
    "l": {1: (1824, 648), 2: (904, 648)},  # 1920×1080 and larger
}
SUMMARY_WIDTHS = {"s": 576, "m": 722, "l": 1086}  # the 基本計画 roll-up of a 大綱 summary slide (3/5 of the slide)
SLIDE_DESIGNS = tuple(SLIDE_BOXES)

SLIDE_CSS = """<style>
.kp-slide-svg .kp-d { display: none; }
.kp-slide-svg .kp-d-m { display: block; }
.kp-slide-svg svg { max-height: 60vh; }
@media (max-width: 1100px) { .kp-slide-svg .kp-d-m { display: none; } .kp-slide-svg .kp-d-s { display: block; } }
@media (min-width: 1700px) and (min-height: 950px) {
  .kp-slide-svg .kp-d-m { display: none; } .kp-slide-svg .kp-d-l { display: block; } }
</style>"""


def fit(spec: dict, width: int, height: int | None = None) -> dict:
    """The spec drawn to fill ``width`` × ``height`` px as a whole (axes and titles included; Vega-Lite's
    ``autosize: fit``); without ``height`` only the width is fitted (bars keep their step)."""
    out = dict(spec, width=width)
    if height is None:
        return out | {"autosize": {"type": "fit-x", "contains": "padding"}}
    return out | {"height": height, "autosize": {"type": "fit", "contains": "padding"}}


def slide_html(svgs: dict[str, str]) -> str:
    """HTML showing the design of ``svgs`` (``{"s": svg, "m": svg, "l": svg}``) that suits the screen
    (:data:`SLIDE_CSS`, inside it)."""
    parts = "".join(f'<div class="kp-d kp-d-{d}">{svgs[d]}</div>' for d in SLIDE_DESIGNS)
    return f'<div class="kp-slide-svg" data-kp-chart="1">{SLIDE_CSS}{parts}</div>'


# -- drawing in a child process ----------------------------------------------------------------------
def render_in_child(specs: dict[str, dict], context: str = "", python: str = sys.executable) -> dict[str, str]:
    """SVGs of ``specs`` (key → spec) drawn by a child process (``python -m kamiplan.outputs.static_charts``),
    through the render cache on disk when ``context`` is given (see :func:`render_svg`).

    Returns only what was drawn: a spec vl-convert refuses is left out (its chart stays interactive).

    Raises
    ------
    RuntimeError
        When the child fails as a whole (exit status, timeout).
    """
    import os
    from pathlib import Path

    payload = json.dumps({"context": context, "specs": specs}, ensure_ascii=False).encode("utf-8")
    # The child imports this module from where this process has it (a checkout started from elsewhere too).
    here = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH", "")
    env = os.environ | {"PYTHONPATH": here + (os.pathsep + path if path else ""), "PYTHONIOENCODING": "utf-8"}
    # Below normal priority: the drawing is background work, the people using the pages come first.
    # (On POSIX the child lowers itself: preexec_fn is unsafe in a server with threads.)
    lower = {"creationflags": subprocess.BELOW_NORMAL_PRIORITY_CLASS} if sys.platform == "win32" else {}
    done = subprocess.run(
        [python, "-m", "kamiplan.outputs.static_charts"],
        input=payload,
        capture_output=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
        env=env,
        **lower,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode("utf-8", "replace")[-2000:])
    return json.loads(done.stdout.decode("utf-8"))


def _child_main() -> int:
    """The child: JSON ``{"context": …, "specs": {key: spec}}`` on stdin → JSON ``{key: svg}`` on stdout
    (failures logged to stderr). The font folder of ``KAMIPLAN_FONT_DIR`` is registered as in the server."""
    import os

    if hasattr(os, "nice"):
        os.nice(10)  # background work: the people using the pages come first
    payload = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    font_dir = os.environ.get("KAMIPLAN_FONT_DIR", "").strip()
    if font_dir:
        import vl_convert as vlc

        vlc.register_font_directory(font_dir)
    out = {}
    for key, spec in payload["specs"].items():
        try:
            out[key] = render_svg(spec, payload.get("context", ""))
        except Exception as exc:  # one bad spec must not lose the others
            print(f"{key}: {exc}", file=sys.stderr)
    sys.stdout.buffer.write(json.dumps(out, ensure_ascii=False).encode("utf-8"))
    return 0


class SvgCache:
    """Finished SVGs by spec key, drawn in the background; shared by every session of the server.

    ``get`` never waits: it returns the SVG or ``None`` and, when ``None``, the caller shows the
    interactive chart and calls ``request``. One thread drains the requests in batches of
    :data:`BATCH`, each drawn by a child process (``render``). Least recently used entries go first
    (``entries``). Entries are zlib-compressed (an SVG of ~11 KB keeps ~3 KB).

    Parameters
    ----------
    render : callable
        ``{key: spec} → {key: svg}`` (default :func:`render_in_child`); tests give an in-process one.
    entries : int
        How many SVGs are kept.
    done : callable, optional
        Called (no arguments) each time the drawing thread has drawn everything queued and stops; the
        server gives back the memory the batches used (:func:`kamiplan.app.memory.release_unused`): the
        specs, the child's answer and the SVGs being compressed were freed after the last page run had
        given memory back.
    """

    def __init__(
        self,
        render: Callable[[dict[str, dict]], dict[str, str]] | None = None,
        entries: int = CACHE_ENTRIES,
        done: Callable[[], None] | None = None,
    ):
        self._render = render or render_in_child
        self._entries = entries
        self._done = done
        self._svgs: collections.OrderedDict[str, bytes] = collections.OrderedDict()
        self._queue: dict[str, dict | Callable[[], dict]] = {}
        self._failed: set[str] = set()
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._busy = False
        self._pause_until = 0.0
        self._thread: threading.Thread | None = None

    def get(self, key: str) -> str | None:
        with self._lock:
            data = self._svgs.get(key)
            if data is None:
                return None
            self._svgs.move_to_end(key)
        return zlib.decompress(data).decode("utf-8")

    def put(self, key: str, svg: str) -> None:
        data = zlib.compress(svg.encode("utf-8"), 6)
        with self._lock:
            self._svgs[key] = data
            self._svgs.move_to_end(key)
            while len(self._svgs) > self._entries:
                self._svgs.popitem(last=False)

    def request(self, items: Iterable[tuple[str, dict | Callable[[], dict]]]) -> None:
        """Queue specs to draw (those already drawn, queued or refused before are skipped).

        A spec may be given as a function that builds it: it is then built in the background thread, so
        a page of 250 charts does not build 500 more specs before it can be shown.
        """
        with self._lock:
            if time.monotonic() < self._pause_until:
                return  # the last child failed as a whole: the charts stay interactive a while
            for key, spec in items:
                if key not in self._svgs and key not in self._failed:
                    self._queue.setdefault(key, spec)
            if not self._queue:
                return
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="kamiplan-svg", daemon=True)
                self._thread.start()
            self._wake.notify()

    def idle(self) -> bool:
        """Nothing queued and nothing being drawn."""
        with self._lock:
            return not self._queue and not self._busy

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """Block until :meth:`idle` (tests, benchmarks); False after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not self.idle():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def _work(self) -> None:
        while True:
            with self._lock:
                if self._queue:
                    keys = list(self._queue)[:BATCH]
                    batch = {k: self._queue[k] for k in keys}
                    self._busy = True
                else:
                    batch = None
                    self._busy = False
                    self._thread = None
            if batch is None:  # everything drawn: this thread ends
                if self._done is not None:
                    self._done()
                return
            specs = {}
            for key, spec in batch.items():
                try:
                    specs[key] = spec() if callable(spec) else spec
                except Exception as exc:  # this chart stays interactive
                    LOG.warning("chart spec failed: %s", exc)
            try:
                drawn = self._render(specs) if specs else {}
                whole_batch_failed = False
            except Exception as exc:  # the charts stay interactive; say why in the server log
                LOG.warning("SVG drawing failed for %d charts: %s", len(batch), exc)
                drawn, whole_batch_failed = {}, True
            for key, svg in drawn.items():
                self.put(key, svg)
            with self._lock:
                for key in keys:
                    self._queue.pop(key, None)
                    if key not in drawn and not whole_batch_failed:
                        self._failed.add(key)  # vl-convert refused this spec: do not ask again
                if whole_batch_failed:  # the child failed (timeout, memory): try again later, not now
                    self._pause_until = time.monotonic() + RETRY_AFTER_S
                    self._queue.clear()
                if len(self._failed) > self._entries:
                    self._failed.clear()


if __name__ == "__main__":
    raise SystemExit(_child_main())
