"""One key for matching names as people type them, and suggestions when a name matches nothing.

The plan's text stays exactly as written; only the key folds. What the key folds comes from what
Japanese input methods, Excel and PDF extraction actually produce (measured in this project, see
STACK-NOTES "Found in turn 2"):

- NFKC: full-width letters, digits, brackets and spaces (``（２０～３０代）`` → ``(20~30代)``),
  half-width katakana, ``％`` → ``%``;
- wave dashes and tildes: 〜 U+301C (Mozc, macOS), ～ U+FF5E (Windows, the plan), ~, ∼ U+223C, 〰;
- minus and dashes: − U+2212 (ATOK on Mac), － U+FF0D (the plan), ‐ U+2010, ‑ U+2011, ‒ U+2012,
  – U+2013, — U+2014, ― U+2015, ⁃, ﹣, ASCII -, and the katakana prolonged sound mark ー (U+30FC)
  when it stands between characters that are not kana (``転入者数ー転出者数``; ``フォロワー`` keeps it); and
  the other way round, any of these dashes right after katakana and before kana or at the end is ー
  (``おひさまル−ム事業`` from a PDF = ``おひさまルーム事業``);
- middle dots: ・ U+30FB, ･ (NFKC), · U+00B7, • U+2022, ‧ U+2027, ∙ U+2219, ⋅ U+22C5;
- spaces of every width (removed), quotation marks 「」『』“”"‘’' (removed: people drop or swap them),
  and the counter ``か`` written ヵ/ヶ/カ/ケ between a digit and 年/月/所 (``5カ年`` = ``5か年``);
- Latin letters are case-folded (``1-3-k1`` = ``1-3-K1``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz, process

_TILDES = "〜～~∼〰"
_DASHES = "−－‐‑‒–—―⁃﹣-"
_DOTS = "・･·•‧∙⋅"
_QUOTES = "「」『』“”\"‘’'"
_FOLD = str.maketrans({**dict.fromkeys(_TILDES, "~"), **dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_DOTS, "・")})
_DROP = re.compile(rf"[\s{re.escape(_QUOTES)}]+")
_PROLONGED_RUN = re.compile("ー+")
_COUNTER_KA = re.compile(r"(?<=\d)[ヵヶカケ](?=[年月所])")


def _is_kana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u309f" or "\u30a0" <= ch <= "\u30ff" or "\u31f0" <= ch <= "\u31ff"


def _fold_prolonged(text: str) -> str:
    """ー between non-kana is a dash typed with the IME; after kana it lengthens a vowel (kept)."""

    def repl(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if (before and _is_kana(before)) or (after and _is_kana(after)):
            return m.group(0)
        return "-" * len(m.group(0))

    return _PROLONGED_RUN.sub(repl, text)


# A dash between katakana and kana (or at the end) is the prolonged sound mark pasted from a PDF or Word
# (「おひさまル−ム事業」, 「センタ―」): read as ー. A dash after kanji or digits stays a dash.
_DASH_AS_PROLONGED = re.compile(r"(?<=[\u30a1-\u30fa])-+(?=[\u3041-\u309f\u30a1-\u30ff]|$)")


def _fold_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _DROP.sub("", text)
    text = text.translate(_FOLD)
    text = _COUNTER_KA.sub("か", text)
    text = _fold_prolonged(text)
    text = _DASH_AS_PROLONGED.sub(lambda m: "ー" * len(m.group(0)), text)
    return text.casefold()


def name_key(text: str) -> str:
    """The matching key of a name or ID: look-alikes folded, spaces and quotes removed.

    Parameters
    ----------
    text : str
        A name as typed, pasted or extracted (``20〜30代世代の移住数``, ``社会増減数（転入者数−転出者数）``).

    Returns
    -------
    str
        Equal for two names that differ only in the look-alikes listed in the module docstring.
        Idempotent: ``name_key(name_key(s)) == name_key(s)``.
    """
    key = str(text)
    for _ in range(4):  # NFKC after folding can compose again (e.g. か + ゙ → が); stop at the fixed point
        folded = _fold_once(key)
        if folded == key:
            break
        key = folded
    return key


def _similarity(a: str, b: str, **_kwargs) -> float:
    # Whole-name similarity, or a slightly discounted best partial match ("出生率" in "合計特殊出生率"):
    # WRatio alone ranked "人口減少(移住・定住)対策" above "人口" for the typo "人工".
    return max(fuzz.ratio(a, b), 0.9 * fuzz.partial_ratio(a, b))


def suggest(text: str, choices: dict[str, str], limit: int = 3, cutoff: float = 50.0) -> list[str]:
    """The closest plan names to ``text``, best first, for a 「もしかして」 hint.

    Parameters
    ----------
    text : str
        What the person wrote.
    choices : dict of str to str
        Display text (e.g. ``20～30代世代の移住数(2-2-K2)``) → the name it is matched on.
    limit : int
        At most this many suggestions.
    cutoff : float
        Minimum similarity (0–100: rapidfuzz ``ratio``, or 0.9 × ``partial_ratio``, on the name keys).

    Returns
    -------
    list of str
        Display texts, without duplicates; empty when nothing is close.
    """
    query = name_key(text)
    if not query:
        return []
    keyed = {display: name_key(name) for display, name in choices.items()}
    found = process.extract(query, keyed, scorer=_similarity, limit=limit, score_cutoff=cutoff)
    return [display for _key, _score, display in found]


def keys(names: Iterable[str]) -> set[str]:
    """The keys of several names (for checking that a set of names stays distinct under the key)."""
    return {name_key(n) for n in names}
