"""What vl-convert makes (chart SVGs, the Vega JavaScript bundle), kept on disk and made in parallel.

vl-convert takes ~0.1 s for one trajectory chart's SVG and ~1.3 s for its JavaScript bundle, and its
calls are serialised within a process (threads do not help). Two remedies, both invisible in the output:

- **A cache on disk**, one file an entry, named by the SHA-256 of everything the text depends on: the
  exact spec JSON (key order included), vl-convert's and Vega's versions, the font and a fingerprint of
  how it draws (see ``images``), the local time zone. A spec that reads data from a URL or uses ``now()``
  or ``random()`` is never cached. Each file starts with a line holding the SHA-256 of its body, so a
  damaged or half-written file is ignored and written anew. Writes go to a temporary file that is
  renamed into place: two processes writing one entry write the same text, the last rename wins.
- **Worker processes** (:class:`Drawers`, used by :class:`SvgBatch`) for the misses of a command: while
  this process builds the next specs they draw the ones before; once it has built them all it draws too
  when enough are left, taking charts from the end of the queue while the workers take them from its
  start. On 2 cores one worker (and this process) halves the drawing. Workers import only this module (no
  pandas, no Altair) and pay vl-convert's start-up (~0.4 s) once each. They start with the first missing
  chart — or, when this vl-convert has never drawn into the cache folder (:func:`drawn_before`: the first
  run, after an upgrade, with the cache off), with the command itself, warming up their engine while the
  command imports pandas and Altair.

The cache lives in ``$KAMIPLAN_CACHE_DIR`` if set (``off`` turns it off), else the user's cache folder
(``%LOCALAPPDATA%\\kamiplan\\cache`` on Windows, ``~/Library/Caches/kamiplan`` on macOS,
``$XDG_CACHE_HOME/kamiplan`` or ``~/.cache/kamiplan`` elsewhere) — never the town's data folder. A folder
that cannot be created or written (a read-only installation) only means nothing is cached. Entries
not used for a while are removed once there are more than :data:`MAX_ENTRIES`.

This module imports nothing heavier than vl-convert: worker processes import it alone.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path


def _vlc():
    """vl-convert, imported when something is drawn (the dashboard's server draws nothing itself: ~8 MB)."""
    import vl_convert

    return vl_convert


ENV_CACHE_DIR = "KAMIPLAN_CACHE_DIR"
ENV_FONT_DIR = "KAMIPLAN_FONT_DIR"  # a folder of font files registered with vl-convert (see images)
CACHE_OFF = "off"
SUBDIR = "vl-convert"
FORMAT = "kamiplan-cache 1"  # first line of every entry: FORMAT, a space, the SHA-256 of the body
MAX_ENTRIES = 3000  # ~12 kB an SVG: ~40 MB at most
KEEP_ENTRIES = 2000  # what a clean-up leaves
TEMP_PREFIX = ".tmp-"
STALE_TEMP_S = 3600.0  # a temp file this old was left by a killed process
MAX_WORKERS = 4
# Charts waiting for a worker from which this process draws too: its own engine start (~0.4 s, and slower
# first charts) costs about as much as drawing five.
HELP_FROM = 6
# Text that makes an SVG depend on something outside the spec: such specs are rendered every time.
_UNCACHEABLE = re.compile(r'"url"\s*:|\bnow\s*\(|\brandom\s*\(')
_pruned = False  # one clean-up a process at most


def font_dir() -> str:
    """The font folder of ``KAMIPLAN_FONT_DIR`` as an absolute path, '' when none is set."""
    folder = os.environ.get(ENV_FONT_DIR, "").strip()
    return str(Path(folder).resolve()) if folder else ""


def cache_dir() -> Path | None:
    """The folder of cached entries, or None when caching is turned off."""
    env = os.environ.get(ENV_CACHE_DIR, "").strip()
    if env.lower() == CACHE_OFF:
        return None
    if env:
        base = Path(env)
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "kamiplan" / "cache"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches" / "kamiplan"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kamiplan"
    return base / SUBDIR


@functools.cache
def renderer_version() -> str:
    """vl-convert's version (it fixes the Vega and Vega-Lite it carries; a new one may draw differently).

    Read from the package metadata: asking vl-convert itself starts its JavaScript engine (~0.4 s), which a
    run served from the cache never needs."""
    try:
        return "vl-convert-python " + importlib.metadata.version("vl-convert-python")
    except importlib.metadata.PackageNotFoundError:
        return "vl-convert " + getattr(_vlc(), "__version__", "?")


def time_zone() -> str:
    """The local time zone as the renderer sees it (dates are drawn in local time), without starting it."""
    parts = [os.environ.get("TZ", ""), ",".join(time.tzname), str(time.timezone), str(time.altzone)]
    try:
        parts.append(os.path.realpath("/etc/localtime"))
    except OSError:
        pass
    return "|".join(parts)


def make_key(*parts: str) -> str:
    """SHA-256 (hex) of the parts, each length-prefixed so that no two lists of parts collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


def _entry(key: str, suffix: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"{key}{suffix}"


def load(key: str, suffix: str) -> str | None:
    """The cached text of ``key``, or None (missing, unreadable, damaged: all the same to the caller)."""
    path = _entry(key, suffix)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, sep, body = data.partition(b"\n")
    if not sep or head != f"{FORMAT} {hashlib.sha256(body).hexdigest()}".encode():
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    try:
        os.utime(path)  # recently used: kept by the clean-up
    except OSError:
        pass
    return text


def store(key: str, suffix: str, text: str) -> None:
    """Keep ``text`` under ``key``; any failure (read-only folder, full disk) only means it is not kept."""
    path = _entry(key, suffix)
    if path is None:
        return
    body = text.encode("utf-8")
    data = f"{FORMAT} {hashlib.sha256(body).hexdigest()}\n".encode() + body
    temp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temp, path)  # Windows: fails while another process holds the file open; then not kept
        temp = None
    except OSError:
        return
    finally:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass
    _prune(path.parent)


def _prune(folder: Path) -> None:
    """Once a process: remove stale temp files and, above MAX_ENTRIES, the least recently used entries."""
    global _pruned
    if _pruned:
        return
    _pruned = True
    now = time.time()
    entries = []
    try:
        for item in os.scandir(folder):
            stat = item.stat()
            if item.name.startswith(TEMP_PREFIX):
                if now - stat.st_mtime > STALE_TEMP_S:
                    os.unlink(item.path)
            else:
                entries.append((stat.st_mtime, item.path))
        if len(entries) > MAX_ENTRIES:
            for _, old in sorted(entries)[: len(entries) - KEEP_ENTRIES]:
                os.unlink(old)
    except OSError:
        pass  # another process cleaning up at the same time, or a read-only folder


def cached_text(key: str, suffix: str, make: Callable[[], str]) -> str:
    """The cached text of ``key``, else ``make()`` (then kept)."""
    text = load(key, suffix)
    if text is None:
        text = make()
        store(key, suffix, text)
    return text


def _make_bundle() -> str:
    return _vlc().javascript_bundle()


def javascript_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed in one script, as vl-convert makes it (cached: it changes only with it)."""
    return cached_text(make_key("javascript_bundle", renderer_version()), ".js", _make_bundle)


class BundleJob:
    """The JavaScript bundle, made by a worker process while this one goes on when it is not cached.

    vl-convert holds the GIL while it makes the bundle (~1.3 s), so a thread would not help.
    """

    def __init__(self, background: bool) -> None:
        self._key = make_key("javascript_bundle", renderer_version())
        self._text = load(self._key, ".js")
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future | None = None
        if self._text is None and background:
            try:
                import multiprocessing

                self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
                self._future = self._pool.submit(_make_bundle)
            except (OSError, RuntimeError):
                self._future = None

    def __enter__(self) -> BundleJob:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def result(self) -> str:
        """The bundle (waiting for the worker, or making it here)."""
        if self._text is None:
            text = None
            if self._future is not None:
                try:
                    text = self._future.result()
                except Exception:  # the worker died: make it here
                    text = None
            self._text = text if text is not None else _make_bundle()
            store(self._key, ".js", self._text)
        return self._text


def svg_key(spec: dict, context: str) -> str | None:
    """The cache key of a spec's SVG drawn in ``context`` (renderer, font), None when it must not be cached."""
    try:
        text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"), allow_nan=True)
    except (TypeError, ValueError):
        return None
    if _UNCACHEABLE.search(text):
        return None
    return make_key("svg", context, text)


def render_svg(spec: dict) -> str:
    """vl-convert's SVG of a Vega-Lite spec (no cache)."""
    return _vlc().vegalite_to_svg(spec)


def _drawn_key() -> str:
    return make_key("drawn", renderer_version())


DRAWN = ".drawn"  # suffix of the mark that this vl-convert has drawn into the folder (not an SVG)


def drawn_before() -> bool:
    """Whether this vl-convert has drawn into the cache folder before (False with the cache off): if not,
    every chart of a command will be drawn."""
    return load(_drawn_key(), DRAWN) is not None


def _mark_drawn() -> None:
    folder = cache_dir()
    if folder is not None and folder not in _marked:
        _marked.add(folder)
        store(_drawn_key(), DRAWN, renderer_version())


_marked: set[Path] = set()  # folders this process has marked (once each)

# Drawn by a worker that starts before the command has a chart for it: vl-convert's engine starts and its
# code warms up on what the charts have (a layer of lines and points, labelled axes, Japanese text).
WARM_UP_SPEC = {
    "data": {"values": [{"x": 2024, "y": 1.5, "s": "実績"}, {"x": 2025, "y": 2.5, "s": "計画線"}]},
    "title": {"text": "試し描き", "subtitle": "目標"},
    "width": 100,
    "height": 60,
    "layer": [
        {"mark": "line", "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}, "strokeDash": {"field": "s", "type": "nominal"}}},
        {"mark": {"type": "point", "filled": True}, "encoding": {"x": {"field": "x", "type": "quantitative", "axis": {"labelExpr": "['R' + (datum.value - 2018), '(' + datum.value + ')']"}}, "y": {"field": "y", "type": "quantitative"}, "shape": {"field": "s", "type": "nominal"}}},
        {"mark": {"type": "text", "align": "right"}, "encoding": {"text": {"value": "B 順調"}, "x": {"value": 100}, "y": {"value": 0}}},
    ],
    "config": {"font": "Noto Sans CJK JP"},
}  # fmt: skip


def _warm_up() -> None:
    _vlc().vegalite_to_svg(WARM_UP_SPEC)


def _worker_init(font_dir: str) -> None:
    if font_dir:
        _vlc().register_font_directory(font_dir)


class Drawers:
    """Worker processes drawing SVGs with vl-convert for one command, shared by its :class:`SvgBatch`.

    Made before the command imports pandas and Altair (this module imports neither), they can start at
    once (``warm_up``): each worker starts vl-convert's engine by drawing :data:`WARM_UP_SPEC` while the
    command imports and builds its first specs. Else the first :meth:`submit` starts them. Use as a
    context manager so that the workers end with it.

    Parameters
    ----------
    workers : int
        Worker processes (at most :data:`MAX_WORKERS`); 0: none, :meth:`submit` declines.
    font_dir : str
        A font folder each worker registers (:func:`font_dir`), '' for none.
    warm_up : bool
        Start the workers now and warm them up: for a command that will draw (:func:`drawn_before` is False).
    """

    def __init__(self, workers: int = 0, font_dir: str = "", warm_up: bool = False) -> None:
        self.workers = max(0, min(workers, MAX_WORKERS))
        self.font_dir = font_dir
        self._pool: ProcessPoolExecutor | None = None
        if warm_up and self._start():
            try:
                for _ in range(self.workers):  # the pool starts one process per task while none is idle
                    self._pool.submit(_warm_up)
            except (OSError, RuntimeError):
                self.workers = 0

    def _start(self) -> bool:
        if self._pool is None and self.workers > 0:
            try:
                import multiprocessing

                # spawn, not fork: vl-convert runs threads that a fork would not carry over.
                self._pool = ProcessPoolExecutor(
                    self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_worker_init,
                    initargs=(self.font_dir,),
                )
            except (OSError, RuntimeError):
                self.workers = 0
        return self._pool is not None and self.workers > 0

    def submit(self, spec: dict) -> Future | None:
        """The SVG of ``spec`` drawn by a worker (a future), or None when no worker can draw it."""
        if not self._start():
            return None
        try:
            return self._pool.submit(render_svg, spec)
        except (OSError, RuntimeError):  # cannot start processes here (or they died): the caller draws
            self.workers = 0
            return None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Drawers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class SvgBatch:
    """SVGs of many specs: cached ones at once, missing ones rendered by worker processes.

    ``add`` returns a ticket at once (rendering goes on while the caller builds the next spec) and
    ``result`` waits for one; or ``slot`` puts a placeholder into a text and ``fill`` completes the text.
    Use as a context manager so that the workers end with it.

    Parameters
    ----------
    context : str
        Everything besides the spec that the SVG depends on (see :func:`svg_key`).
    workers : int
        Worker processes besides this one for the misses (at most :data:`MAX_WORKERS`); 0: this one only.
    font_dir : str
        A font folder each worker registers (as this process did), '' for none.
    drawers : Drawers, optional
        Workers started before (``workers`` and ``font_dir`` are then theirs); they outlive the batch.
    """

    def __init__(self, context: str, workers: int = 0, font_dir: str = "", drawers: Drawers | None = None) -> None:
        self.context = context
        self._own = drawers is None
        self._drawers = Drawers(workers, font_dir) if drawers is None else drawers
        self._nonce = secrets.token_hex(8)  # no text can hold a slot of this batch by chance
        self._items: list[str | tuple[str | None, dict, Future]] = []
        self._tickets: dict[str, int] = {}  # a spec met twice (two indicators, one chart) is drawn once

    def __enter__(self) -> SvgBatch:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._own:
            self._drawers.close()

    def _submit(self, spec: dict) -> str | Future:
        # Every miss goes to a worker when there is one: this process goes on building specs (drawing one
        # here would first start vl-convert's engine here, ~0.4 s in which nothing else moves).
        pending = self._drawers.submit(spec)
        return render_svg(spec) if pending is None else pending

    def _keep(self, key: str | None, svg: str) -> None:
        if key is not None:
            store(key, ".svg", svg)
            _mark_drawn()

    def add(self, spec: dict) -> int:
        """Start on the SVG of ``spec``; the ticket for :meth:`result`."""
        key = svg_key(spec, self.context)
        if key is not None and key in self._tickets:
            return self._tickets[key]
        cached = None if key is None else load(key, ".svg")
        if cached is not None:
            self._items.append(cached)
        else:
            pending = self._submit(spec)
            if isinstance(pending, str):
                self._keep(key, pending)
                self._items.append(pending)
            else:
                self._items.append((key, spec, pending))
        if key is not None:
            self._tickets[key] = len(self._items) - 1
        return len(self._items) - 1

    def result(self, ticket: int) -> str:
        """The SVG of the ticket's spec (kept in the cache when it was rendered)."""
        item = self._items[ticket]
        if isinstance(item, str):
            return item
        key, spec, future = item
        try:
            svg = future.result()
        except Exception:  # a worker died (BrokenProcessPool) or failed: this process tries, and raises as it would
            svg = render_svg(spec)
        self._keep(key, svg)
        self._items[ticket] = svg
        return svg

    def slot(self, spec: dict) -> str:
        """A placeholder for the SVG of ``spec`` in a text that :meth:`fill` completes (drawing goes on meanwhile)."""
        return f"\x00{self._nonce}:{self.add(spec)}\x00"

    def help_workers(self) -> None:
        """Draw here the charts no worker has started yet, from the last one back (the workers go forward),
        when at least :data:`HELP_FROM` wait: fewer, the workers finish them sooner than this process could
        start its own engine."""
        waiting = [
            ticket
            for ticket, item in enumerate(self._items)
            if isinstance(item, tuple) and not item[2].running() and not item[2].done()
        ]
        if len(waiting) < HELP_FROM:
            return
        for ticket in reversed(waiting):
            key, spec, future = self._items[ticket]
            if future.cancel():
                svg = render_svg(spec)
                self._keep(key, svg)
                self._items[ticket] = svg

    def fill(self, text: str) -> str:
        """``text`` with each of this batch's slots replaced by its SVG (drawing here too, then waiting for the
        workers)."""
        self.help_workers()
        return re.sub(f"\x00{self._nonce}:(\\d+)\x00", lambda m: self.result(int(m[1])), text)
