"""Shift_JIS (cp932) for old Excel: characters it cannot hold become look-alikes it can, never an error.

Text from the plan and from people's notes holds characters that cp932 (Windows' Shift_JIS) lacks: the
plan's 「—」 (U+2014) for "no value", 〜 typed on a Mac, a no-break space pasted from a web page. A
Shift_JIS export replaces each by the cp932 character that looks the same (— → ―), or by 〓 (U+3013,
the geta mark Japanese typesetting uses for a missing glyph) when there is none (🙂 → 〓), and says
what it replaced so the user can choose UTF-8 for exact text.

A character "cp932 can hold" is one that comes back unchanged after encoding and decoding. Python's
codec accepts six characters only one way (− U+2212 is written as the bytes of － U+FF0D and read
back as －): they are in the table too, so that change is reported like any other.

Sources of the table: the one-way six are Python's own cp932 encode-only entries (found by trying
every code point); the others are characters Japanese text commonly carries that cp932 lacks —
typographic dashes, dots and spaces, the JIS X 0213 kanji of the 2010 常用漢字 revision (剝 頰 𠮟 …),
and the PDF-extraction slip 带. Every entry is checked by ``tests/outputs/test_cp932.py``: the original does
not survive cp932, its look-alike does.
"""

from __future__ import annotations

import functools
from collections import Counter

ENCODING = "cp932"
REPLACEMENT = "〓"  # U+3013 GETA MARK: no look-alike

LOOKALIKES: dict[str, str] = {
    # Python's codec writes these as their full-width forms and reads back those (one-way).
    "\u2212": "\uff0d",  # − MINUS SIGN → － (ATOK on a Mac types −; the plan writes －)
    "\u301c": "\uff5e",  # 〜 WAVE DASH → ～ (Mozc and macOS type 〜; Windows and the plan ～)
    "\u2016": "\u2225",  # ‖ DOUBLE VERTICAL LINE → ∥
    "\u00a2": "\uffe0",  # ¢ → ￠
    "\u00a3": "\uffe1",  # £ → ￡
    "\u00ac": "\uffe2",  # ¬ → ￢
    # Dashes, hyphens and minus signs.
    "\u2014": "\u2015",  # — EM DASH → ― (the plan's "no value")
    "\u2013": "\uff0d",  # – EN DASH → －
    "\u2012": "\uff0d",  # ‒ FIGURE DASH → －
    "\ufe63": "\uff0d",  # ﹣ SMALL HYPHEN-MINUS → －
    "\u207b": "\uff0d",  # ⁻ SUPERSCRIPT MINUS → －
    "\u2011": "\u2010",  # ‑ NON-BREAKING HYPHEN → ‐
    "\u2053": "\uff5e",  # ⁓ SWUNG DASH → ～
    # Dots.
    "\u00b7": "\u30fb",  # · MIDDLE DOT → ・
    "\u2022": "\u30fb",  # • BULLET → ・
    "\u2219": "\u30fb",  # ∙ BULLET OPERATOR → ・
    "\u22c5": "\u30fb",  # ⋅ DOT OPERATOR → ・
    "\u22ef": "\u2026",  # ⋯ MIDLINE HORIZONTAL ELLIPSIS → …
    # Spaces (one character each, so the text keeps its length).
    "\u00a0": " ",  # NO-BREAK SPACE
    "\u2002": " ",  # EN SPACE
    "\u2003": "\u3000",  # EM SPACE → 全角スペース (the same width)
    "\u2004": " ",
    "\u2005": " ",
    "\u2006": " ",
    "\u2007": " ",  # FIGURE SPACE
    "\u2008": " ",
    "\u2009": " ",  # THIN SPACE
    "\u200a": " ",  # HAIR SPACE
    "\u202f": " ",  # NARROW NO-BREAK SPACE
    "\u205f": " ",  # MEDIUM MATHEMATICAL SPACE
    # Signs and quotes.
    "\u00a5": "\uffe5",  # ¥ → ￥
    "\u00a6": "\uffe4",  # ¦ → ￤
    "\u00af": "\uffe3",  # ¯ MACRON → ￣
    "\u203e": "\uffe3",  # ‾ OVERLINE → ￣
    "\u00ab": "\u226a",  # « → ≪
    "\u00bb": "\u226b",  # » → ≫
    "\u301e": "\u301f",  # 〞 → 〟 (the other closing form of 〝)
    "\u00b9": "1",  # ¹ (km¹)
    "\u00b2": "2",  # ² (km², m²)
    "\u00b3": "3",  # ³ (m³)
    # Kana: a combining (voiced) sound mark, as in file names from a Mac, → the spacing one.
    "\u3099": "\u309b",  # ゙ → ゛
    "\u309a": "\u309c",  # ゚ → ゜
    # Kanji outside JIS X 0208: the 2010 常用漢字 forms and common name variants → the JIS X 0208 form.
    "\u5e26": "\u5e2f",  # 带 (simplified Chinese; a PDF-extraction slip) → 帯
    "\u525d": "\u5265",  # 剝 → 剥
    "\U00020b9f": "\u53f1",  # 𠮟 → 叱
    "\u5861": "\u586b",  # 塡 → 填
    "\u9830": "\u982c",  # 頰 → 頬
    "\u5653": "\u5618",  # 噓 → 嘘
    "\u9dd7": "\u9d0e",  # 鷗 → 鴎
    "\u8523": "\u848b",  # 蔣 → 蒋
    "\U00020bb7": "\u5409",  # 𠮷 (つちよし) → 吉
}


@functools.lru_cache(maxsize=4096)
def survives(char: str) -> bool:
    """True if ``char`` comes back unchanged from cp932 (encodes, and decodes to itself)."""
    try:
        return char.encode(ENCODING).decode(ENCODING) == char
    except UnicodeEncodeError:
        return False


def lookalike(char: str) -> str:
    """The character written in place of ``char`` (itself if cp932 holds it, else its look-alike or 〓)."""
    return char if survives(char) else LOOKALIKES.get(char, REPLACEMENT)


def to_cp932_text(text: str) -> tuple[str, Counter[tuple[str, str]]]:
    """``text`` with every character cp932 cannot hold replaced, and what was replaced.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    tuple of (str, Counter)
        The text, of the same length, every character of which survives cp932; and a count per
        ``(original, replacement)`` pair, in order of first appearance (empty when nothing changed).
    """
    replaced: Counter[tuple[str, str]] = Counter()
    try:
        if text.encode(ENCODING).decode(ENCODING) == text:  # the usual case, at the codec's speed
            return text, replaced
    except UnicodeEncodeError:
        pass
    out = []
    for ch in text:
        new = lookalike(ch)
        if new != ch:
            replaced[(ch, new)] += 1
        out.append(new)
    return "".join(out), replaced


def encode_cp932(text: str) -> tuple[bytes, Counter[tuple[str, str]]]:
    """``text`` as cp932 bytes, never raising: look-alikes for what cp932 lacks (:func:`to_cp932_text`)."""
    safe, replaced = to_cp932_text(text)
    return safe.encode(ENCODING), replaced
