"""Trajectory charts as PNG and SVG images (vl-convert), with Japanese text. No Streamlit here.

vl-convert draws text with the fonts it finds on the machine. If the font a chart names is missing,
every text disappears from the PNG (no fallback), so :func:`require_font` checks first, by drawing two
characters with the font, and refuses with a Japanese message when nothing is drawn. A folder of
font files can be added with ``KAMIPLAN_FONT_DIR`` (for machines where fonts cannot be installed).

SVGs are kept in a cache on disk (:mod:`kamiplan.outputs.render_cache`), keyed by the spec and by
:func:`render_context`: the renderer's version and how the font draws on this machine.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import html
import os
import re
import sys
from pathlib import Path

import altair as alt

from kamiplan import labels
from kamiplan.errors import InputError, Problem
from kamiplan.model.trajectory import Trajectory
from kamiplan.outputs import render_cache
from kamiplan.outputs.charts import FONT, trajectory_chart
from kamiplan.plan.periods import year_label

IMAGE_WIDTH = 640  # px of the plot area; the image adds the axes and title around it
IMAGE_HEIGHT = 240
PNG_SCALE = 2.0  # sharp on high-density screens and in print
ENV_FONT_DIR = render_cache.ENV_FONT_DIR
FONT_KEYS = ("font", "labelFont", "titleFont", "subtitleFont")
_UNSAFE = re.compile(r'[\\/:*?"<>|\s\x00-\x1f\x7f]+')
MAX_NAME = 80  # characters of the indicator label kept in a file name
# Drawn to fingerprint the font (kana, kanji, Latin, digits, signs: what charts write).
FONT_SAMPLE = "日本語かなカナ Aa 0123456789.,%()～"


def _vlc():
    """vl-convert, imported when something is drawn: the dashboard's server draws nothing itself (~8 MB)."""
    import vl_convert

    return vl_convert


def _text_png(font: str, text: str, width: int = 64) -> bytes:
    family = html.escape(font, quote=True)
    return _vlc().svg_to_png(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="32">'
        f'<rect width="{width}" height="32" fill="white"/>'
        f'<text x="2" y="26" font-family="{family}" font-size="24">{html.escape(text)}</text></svg>'
    )


def _font_drawn(font: str) -> bool:
    """True when vl-convert's renderer draws Japanese text in ``font`` (the image differs from no text)."""
    return _text_png(font, "日本") != _text_png(font, "")


@functools.cache
def _font_print(font: str, font_dir: str) -> str:
    """SHA-256 of a sample drawn in ``font``: another version of the font (other glyphs or widths) gives another."""
    return hashlib.sha256(_text_png(font, FONT_SAMPLE, width=640)).hexdigest()


def render_context(font: str = FONT) -> str:
    """Everything besides the spec that an SVG depends on: vl-convert and Vega versions, the font and how it
    draws here (its fingerprint), the font folder setting, the time zone. Part of the cache key.

    Raises
    ------
    InputError
        When no Japanese font is available.
    """
    require_font(font)
    font_dir = os.environ.get(ENV_FONT_DIR, "").strip()
    return "|".join(
        (render_cache.renderer_version(), font, font_dir, _font_print(font, font_dir), render_cache.time_zone())
    )


@functools.cache
def _check_font(font: str, font_dir: str) -> str:
    """'' when the font draws, else the reason (cached: one check per process and setting)."""
    if font_dir:
        if not Path(font_dir).is_dir():
            return f"{ENV_FONT_DIR} のフォルダ「{font_dir}」がありません"
        _vlc().register_font_directory(str(Path(font_dir).resolve()))
    if _font_drawn(font):
        return ""
    return labels.font_missing(font, ENV_FONT_DIR, sys.platform)


def font_problem(font: str = FONT) -> str:
    """Why images cannot be drawn ('' when they can)."""
    return _check_font(font, os.environ.get(ENV_FONT_DIR, "").strip())


def require_font(font: str = FONT) -> None:
    """Raise :class:`InputError` (Japanese) unless vl-convert can draw Japanese text in ``font``."""
    reason = font_problem(font)
    if reason:
        raise InputError([Problem(reason)])


def drawing_setup(font: str = FONT) -> tuple[str, str]:
    """Whether charts can be drawn here, and how: ``(problem, context)``.

    Returns
    -------
    tuple of str
        ``problem``: :func:`font_problem` ('' when the font draws); ``context``: :func:`render_context`
        ('' when there is a problem).
    """
    problem = font_problem(font)
    return problem, ("" if problem else render_context(font))


_SETUP_CHILD = (
    "import json, sys; from kamiplan.outputs.images import drawing_setup; "
    "sys.stdout.write(json.dumps(drawing_setup(sys.argv[1]), ensure_ascii=True))"
)


def drawing_setup_in_child(font: str = FONT, timeout: float = 120.0) -> tuple[str, str]:
    """:func:`drawing_setup` found by a child process: the dashboard's server never loads vl-convert for it.

    Checking the font draws sample text with vl-convert; done in the server, that loaded vl-convert (~8 MB)
    and its font database (~5 MB) into a process that draws nothing itself (the charts are drawn by
    children, :func:`kamiplan.outputs.static_charts.render_in_child`; an image is drawn on a click). Once
    per server, ~2 s in the child.

    Returns
    -------
    tuple of str
        As :func:`drawing_setup`; found in this process when the child fails (no Python to start, a
        timeout), so the answer is always the same as here.
    """
    import json
    import subprocess

    here = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH", "")
    env = os.environ | {"PYTHONPATH": here + (os.pathsep + path if path else ""), "PYTHONIOENCODING": "utf-8"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", _SETUP_CHILD, font],
            capture_output=True,
            timeout=timeout,
            check=True,
            env=env,
        )
        problem, context = json.loads(done.stdout.decode("utf-8"))
        return str(problem), str(context)
    except (OSError, subprocess.SubprocessError, ValueError, TypeError):
        return drawing_setup(font)


def with_font(spec: dict, font: str) -> dict:
    """A copy of a Vega-Lite spec whose config names exactly one font everywhere (no CSS font stack)."""
    out = copy.deepcopy(spec)

    def walk(node: dict) -> None:
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value)
            elif key in FONT_KEYS:
                node[key] = font

    walk(out.setdefault("config", {}))
    out["config"]["font"] = font
    return out


def image_chart(
    traj: Trajectory, width: int = IMAGE_WIDTH, height: int = IMAGE_HEIGHT, font_scale: float = 1.0
) -> alt.LayerChart:
    """The dashboard's trajectory chart with a fixed width (an image has no container to fill)."""
    return trajectory_chart(traj, height=height, font_scale=font_scale, width=width)


def chart_spec(traj: Trajectory, width: int = IMAGE_WIDTH, height: int = IMAGE_HEIGHT, font_scale: float = 1.0) -> dict:
    """The Vega-Lite spec of the image (validated by the chart tests; not again here, it is slow)."""
    return image_chart(traj, width, height, font_scale).to_dict(validate=False)


def spec_to_png(spec: dict, scale: float = PNG_SCALE, font: str = FONT) -> bytes:
    """PNG bytes of a Vega-Lite spec, text drawn in ``font`` (checked first)."""
    require_font(font)
    return _vlc().vegalite_to_png(with_font(spec, font), scale=scale)


def spec_to_svg(spec: dict, font: str = FONT) -> str:
    """SVG text of a Vega-Lite spec.

    Text is laid out with ``font`` (checked first) but keeps the theme's font stack, so a computer
    without Noto Sans CJK JP shows the SVG in its own Japanese font (Yu Gothic, Meiryo, …).
    """
    with svg_batch(font) as batch:
        return batch.result(batch.add(spec))


def svg_batch(font: str = FONT, workers: int = 0, drawers: render_cache.Drawers | None = None) -> render_cache.SvgBatch:
    """SVGs of many specs (see :func:`spec_to_svg`): cached ones at once, the others rendered by ``workers``
    processes besides this one (0: this one only) while the caller goes on.

    Parameters
    ----------
    font : str
        The font text is laid out with (checked first).
    workers : int
        Worker processes for the charts missing from the cache (commands: one less than the cores).
    drawers : Drawers, optional
        Worker processes started before (by a command, :class:`~kamiplan.outputs.render_cache.Drawers`), in
        place of ``workers``.

    Returns
    -------
    SvgBatch
        ``add(spec)`` gives a ticket, ``result(ticket)`` the SVG text; use it in a ``with`` block.

    Raises
    ------
    InputError
        When no Japanese font is available.
    """
    context = render_context(font)
    return render_cache.SvgBatch(context, workers, render_cache.font_dir(), drawers)


def chart_png(traj: Trajectory, scale: float = PNG_SCALE) -> bytes:
    """One trajectory chart as PNG.

    Parameters
    ----------
    traj : Trajectory
    scale : float
        Pixels per CSS pixel (2 = sharp on high-density screens and in print).

    Returns
    -------
    bytes
        PNG image data.

    Raises
    ------
    InputError
        When no Japanese font is available (the text would vanish).
    """
    return spec_to_png(chart_spec(traj), scale=scale)


def chart_svg(traj: Trajectory) -> str:
    """One trajectory chart as SVG text (see :func:`spec_to_svg`).

    Raises
    ------
    InputError
        When no Japanese font is available.
    """
    return spec_to_svg(chart_spec(traj))


def image_filename(traj: Trajectory, ext: str) -> str:
    """``人口_R8(2026)年度.png``: the indicator and the evaluation year, without characters unsafe in file names."""
    label = _UNSAFE.sub("", str(traj.indicator["label"]))[:MAX_NAME] or str(traj.indicator["indicator_id"])
    return f"{label}_{year_label(traj.year)}年度.{ext}"
