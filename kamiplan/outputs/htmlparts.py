"""Small pieces of static HTML shared by the printable report and the offline snapshot.

Every text goes through :func:`esc`: notes and sources are typed by people and may contain ``<script>``.
"""

from __future__ import annotations

import html
import json
import math

import pandas as pd

from kamiplan.labels import grade_text
from kamiplan.model.narrative import number
from kamiplan.model.trajectory import Trajectory

FONT_CSS = "'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', 'Meiryo', sans-serif"


def missing(value) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def esc(value) -> str:
    """Text for HTML (element content and quoted attributes); empty for missing values."""
    return "" if missing(value) else html.escape(str(value), quote=True)


def fmt(value, unit: str = "") -> str:
    """A number as people write it (``2,020人``, ``▲17人``, ``1.335``), or ``—`` when there is none.

    Small values keep three decimals: a rate going from 1.32 to 1.35 moves in the third.
    """
    if missing(value) or not math.isfinite(float(value)):
        return "—"
    value = float(value)
    if abs(value) >= 10:
        return number(value, unit)
    text = f"{abs(value):,.3f}".rstrip("0").rstrip(".")
    sign = "▲" if value < 0 and text != "0" else ""
    return f"{sign}{text}{unit}"


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _numeric_column(values: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return True
    present = [v for v in values if not missing(v)]
    return bool(present) and all(_is_number(v) for v in present)


def pct(value) -> str:
    """``52.0%``, ``−20.0%``: a minus sign, not ▲ — beside the grade 「△ やや遅れ」 a ▲ read as a grade mark."""
    if missing(value) or not math.isfinite(float(value)):
        return "—"
    text = f"{abs(float(value)):,.1f}%"
    return f"−{text}" if float(value) < 0 and text != "0.0%" else text


def grade_html(grade: str, within_band: bool = False) -> str:
    """The grade as symbol and word (never colour alone), with a class for its colour."""
    return f'<span class="grade grade-{esc(grade)}">{esc(grade_text(grade, within_band))}</span>'


def table(frame: pd.DataFrame, caption: str = "", cls: str = "data") -> str:
    """A frame as an HTML table (numbers right-aligned, missing values as ``—``)."""
    numeric = {c for c in frame.columns if _numeric_column(frame[c])}
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for col, value in zip(frame.columns, record, strict=True):
            if col in numeric:
                text = "—" if missing(value) else f"{value:,.10g}" if isinstance(value, float) else str(value)
                cells.append(f'<td class="num">{esc(text)}</td>')
            else:
                cells.append(f"<td>{esc(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<table class="{esc(cls)}">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def rollup_table(frame: pd.DataFrame, caption: str = "") -> str:
    """The grade roll-up (区分 × ◎○△×−) as a table."""
    return table(frame, caption, cls="data rollup")


def trajectory_table(traj: Trajectory) -> str:
    """The chart's table equivalent (what 「表で見る」 shows in the dashboard)."""
    return table(traj.table(), cls="data traj")


def spec_json(spec: dict) -> str:
    """JSON safe inside ``<script type="application/json">`` (no ``</script>`` can close it early)."""
    text = json.dumps(spec, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def document(title: str, body: str, css: str, head: str = "", lang: str = "ja") -> str:
    """A complete HTML document (UTF-8, no external resource)."""
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>\n{css}\n</style>\n{head}</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
