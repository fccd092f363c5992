"""CSV exports for Excel: UTF-8 with BOM (default) or cp932, formula-safe text, numbers as numbers."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pandas as pd

from kamiplan.errors import InputError, Problem

# A leading = + - @ (or their full-width forms), tab or CR makes Excel read a text cell as a formula.
_FORMULA_START = re.compile(r"^[=+\-@＝＋－＠\t\r]")


def formula_safe(text: str) -> str:
    """Neutralise a text cell for spreadsheets: a leading ``'`` before a formula-looking start."""
    if isinstance(text, str) and _FORMULA_START.match(text):
        return "'" + text
    return text


def unescape_formula(text: str) -> str:
    """Inverse of :func:`formula_safe`, so that export → import is lossless."""
    if isinstance(text, str) and text.startswith("'") and _FORMULA_START.match(text[1:]):
        return text[1:]
    return text


def to_csv_bytes(frame: pd.DataFrame, encoding: str = "utf-8-sig") -> bytes:
    """CSV for Excel: text cells formula-safe, numbers left as numbers; UTF-8 with BOM or cp932.

    Characters cp932 cannot hold are refused with a clear message rather than silently replaced.
    """
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_string_dtype(out[col]) or out[col].dtype == object:
            # A list, not Series.map: map would re-infer the dtype and turn 2380 into 2380.0.
            cells = [formula_safe(v) if isinstance(v, str) else v for v in out[col]]
            out[col] = pd.Series(cells, index=out.index, dtype=object)
    text = out.to_csv(index=False, lineterminator="\r\n")
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        char = exc.object[exc.start : exc.end]
        raise InputError(
            [Problem(f"「{char}」は Shift_JIS(cp932)で保存できません。UTF-8(BOM付き)を選んでください")]
        ) from None


def today_jst() -> date:
    return datetime.now(UTC).astimezone(timezone(timedelta(hours=9))).date()


def export_filename(kind: str, filters: list[str], today: date | None = None, encoding: str = "utf-8-sig") -> str:
    """``指標一覧_大綱1_A達成_20261128.csv``: what, which filter, when (characters unsafe in file names removed)."""
    parts = [kind, *[f for f in filters if f], (today or today_jst()).strftime("%Y%m%d")]
    if encoding == "cp932":
        parts.append("sjis")
    name = "_".join(parts)
    name = re.sub(r'[\\/:*?"<>|\s]+', "", name)
    return f"{name}.csv"
