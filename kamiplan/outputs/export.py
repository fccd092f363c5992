"""CSV exports for Excel: UTF-8 with BOM (default) or cp932, formula-safe text, numbers as numbers."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

import pandas as pd

from kamiplan import labels
from kamiplan.errors import InputError, Problem
from kamiplan.outputs.cp932 import REPLACEMENT, encode_cp932, to_cp932_text
from kamiplan.reading.tabular import formula_safe, unescape_formula  # noqa: F401 — exported here too


# A leading = + - @ (or their full-width forms), tab or CR makes Excel read a text cell as a formula.
@dataclass(frozen=True)
class Substitution:
    """In a Shift_JIS export, ``char`` (which cp932 lacks) was written as ``replacement``, ``count`` times."""

    char: str
    replacement: str
    count: int


@dataclass(frozen=True)
class CsvExport:
    """The bytes of a CSV export, and what the encoding had to replace (nothing for UTF-8)."""

    data: bytes
    encoding: str
    changed_cells: int = 0  # text cells (and headers) holding at least one replaced character
    substitutions: tuple[Substitution, ...] = ()  # most frequent first

    @property
    def replaced(self) -> int:
        """Characters replaced in all."""
        return sum(s.count for s in self.substitutions)


def _is_cp932(encoding: str) -> bool:
    return codecs.lookup(encoding).name == "cp932"


def to_csv_export(frame: pd.DataFrame, encoding: str = "utf-8-sig") -> CsvExport:
    """CSV for Excel, and what a Shift_JIS file could not hold: text formula-safe, numbers left as numbers.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table as shown (its column names are the header). Not modified.
    encoding : str
        ``"utf-8-sig"`` (UTF-8 with BOM, exact) or ``"cp932"`` (Shift_JIS for old Excel): every character
        cp932 lacks is written as its look-alike or 〓 (:mod:`kamiplan.outputs.cp932`), never an error.

    Returns
    -------
    CsvExport
        The bytes (CRLF line ends), the number of cells changed and each replacement with its count.
        A text cell is made formula-safe (:func:`formula_safe`) as the person wrote it, before any
        replacement: the grade 「− 評価不能」 becomes 「－ 評価不能」 in Shift_JIS without a ``'`` that Excel
        would show (Excel's CSV reading starts a formula only at the ASCII = + - @).
    """
    cp932 = _is_cp932(encoding)
    replaced: Counter[tuple[str, str]] = Counter()
    changed = 0

    def written(text: str) -> str:
        nonlocal changed
        if not cp932:
            return text
        text, found = to_cp932_text(text)
        if found:
            changed += 1
            replaced.update(found)
        return text

    out = frame.copy()
    out.columns = [written(c) if isinstance(c, str) else c for c in out.columns]  # the header first, as read
    for col in out.columns:
        if pd.api.types.is_string_dtype(out[col]) or out[col].dtype == object:
            # A list, not Series.map: map would re-infer the dtype and turn 2380 into 2380.0.
            cells = [written(formula_safe(v)) if isinstance(v, str) else v for v in out[col]]
            out[col] = pd.Series(cells, index=out.index, dtype=object)
    text = out.to_csv(index=False, lineterminator="\r\n")
    if cp932:
        data, rest = encode_cp932(text)  # rest: only what a non-text cell's str() could bring
        replaced.update(rest)
    else:
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError as exc:
            char = exc.object[exc.start : exc.end]
            raise InputError(
                [Problem(f"「{char}」は {encoding} で保存できません。UTF-8(BOM付き)を選んでください")]
            ) from None
    substitutions = tuple(
        Substitution(char, new, count) for (char, new), count in sorted(replaced.items(), key=lambda kv: -kv[1])
    )
    return CsvExport(data=data, encoding=encoding, changed_cells=changed, substitutions=substitutions)


def to_csv_bytes(frame: pd.DataFrame, encoding: str = "utf-8-sig") -> bytes:
    """CSV for Excel: text cells formula-safe, numbers left as numbers; UTF-8 with BOM or cp932.

    cp932 never fails: characters it lacks become look-alikes (see :func:`to_csv_export`, which also
    says what was replaced, to tell the user).
    """
    return to_csv_export(frame, encoding).data


_NOTE_KINDS = 6  # replacement pairs named in the note; the rest are counted


def _shown(char: str) -> str:
    if char in labels.CP932_CHAR_NAMES:
        return labels.CP932_CHAR_NAMES[char]
    if unicodedata.category(char)[0] in "ZCM":  # spaces, controls, combining marks: invisible on their own
        return f"U+{ord(char):04X}"
    return char


def substitution_note(export: CsvExport, advice: str = labels.CP932_ADVICE) -> str:
    """What a Shift_JIS export replaced, in Japanese for the user; empty when nothing was.

    For example 「Shift_JIS にない文字を 2 個のセルで似た文字に置き換えました(— → ―、带 → 帯)。正確な文字が
    必要なときは UTF-8 を選んでください。」 ``advice`` is the last sentence (the command line says which
    option to use instead: ``labels.CP932_ADVICE_CLI``).
    """
    if not export.substitutions:
        return ""
    pairs = [f"{_shown(s.char)} → {_shown(s.replacement)}" for s in export.substitutions[:_NOTE_KINDS]]
    if len(export.substitutions) > _NOTE_KINDS:
        pairs.append(labels.CP932_MORE_KINDS.format(n=len(export.substitutions) - _NOTE_KINDS))
    text = labels.CP932_SUBSTITUTED.format(cells=export.changed_cells, pairs="、".join(pairs))
    if any(s.replacement == REPLACEMENT for s in export.substitutions):
        text += labels.CP932_NO_LOOKALIKE
    return text + advice


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
