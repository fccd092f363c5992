"""Numbers as Japanese government tables write them.

▲ and △ before a number mean minus; thousands are grouped with commas; units follow the number
(``2,438人``, ``9.5万人`` — which stays 9.5 in 万人); "—" means no value; full-width digits are
ordinary digits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kamiplan import labels
from kamiplan.plan.periods import Period, parse_period

# After NFKC: ▲ and △ are unchanged; full-width minus (U+FF0D) becomes "-"; U+2212 stays "−".
MINUS_SIGNS = "▲△-−"
# Cells meaning "no value". U+2014 em dash, U+2015 bar, U+FF0D full-width hyphen-minus (NFKC → "-"),
# U+2212 minus, U+30FC prolonged sound mark (a frequent typo for a dash).
NO_VALUE_MARKS = frozenset({"", "—", "―", "-", "−", "ー", "--", "——"})

_NUMBER = re.compile(
    r"^(?P<sign>[▲△+\-−]?)\s*(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d,.])(?P<rest>.*)$"
)
_FOOTNOTE = re.compile(r"※\s*\d+")
_PAREN = re.compile(r"\(([^()]*)\)")
_SPAN = re.compile(r"^(?P<n>\d+)か年合計$")
_QUALIFIER = re.compile(r"(?P<q>以上|以下|未満|超)$")
_SUBGROUP = re.compile(r"^(?P<sub>[^\d\s▲△+\-−.,()]+)\s+(?=[▲△+\-−]?\d)")


def nfkc(text: str) -> str:
    """NFKC-normalise (full-width digits, letters and brackets become ASCII)."""
    return unicodedata.normalize("NFKC", text)


@dataclass(frozen=True)
class ParsedNumber:
    """A number and the text after it (usually a unit)."""

    value: float
    rest: str


def parse_number(text: str) -> ParsedNumber | None:
    """Read a leading number with an optional ▲/△/− sign and thousands commas.

    Parameters
    ----------
    text : str
        Text such as ``▲41人``, ``2,438``, ``９．５万人`` or ``-5ポイント以下``.

    Returns
    -------
    ParsedNumber or None
        None when the text does not start with a number. Badly grouped commas (``1,00``) are not a number.
    """
    norm = nfkc(text).strip()
    m = _NUMBER.match(norm)
    if not m:
        return None
    value = float(m.group("digits").replace(",", ""))
    if m.group("sign") and m.group("sign") != "+":
        value = -value
    if value == 0:
        value = 0.0  # never -0.0
    return ParsedNumber(value=value, rest=m.group("rest").strip())


def is_no_value(text: str) -> bool:
    """True for a blank cell or a dash meaning "no value"."""
    return nfkc(text).strip() in NO_VALUE_MARKS


@dataclass(frozen=True)
class PlanCell:
    """A baseline or target cell of an indicator table, taken apart.

    ``label`` is the cell exactly as written; the other fields are what it means.
    """

    label: str
    value: float | None
    unit: str
    subgroup: str
    qualifier: str
    period: Period | None
    span_years: int | None
    remark: str
    footnotes: tuple[str, ...]


def parse_plan_cell(cell: str) -> PlanCell:
    """Take apart an indicator cell of the plan.

    Examples: ``2,438人 (令和6年4月1日)``, ``63.9%※1 (令和6年度)``, ``▲41人 (R5年)``, ``男 74.7 歳``,
    ``6 件 (5 か年合計)``, ``-5ポイント以下 (全道平均との差)``, ``全道平均以上``, ``—``.

    Parameters
    ----------
    cell : str
        The cell as written.

    Returns
    -------
    PlanCell
        ``value`` is None when the cell holds no number.
    """
    label = cell.strip()
    text = nfkc(label)
    footnotes = tuple(re.sub(r"\s+", "", f) for f in _FOOTNOTE.findall(text))
    text = _FOOTNOTE.sub("", text)

    period: Period | None = None
    span: int | None = None
    remarks: list[str] = []
    for inner in _PAREN.findall(text):
        compact = re.sub(r"\s+", "", inner)
        parsed_period = parse_period(compact)
        span_match = _SPAN.match(compact.replace("カ", "か").replace("ヵ", "か").replace("ケ", "か"))
        if parsed_period is not None and parsed_period.explicit:
            period = parsed_period
        elif span_match:
            span = int(span_match.group("n"))
        else:
            remarks.append(inner.strip())
    text = _PAREN.sub("", text).strip()

    subgroup = ""
    m = _SUBGROUP.match(text)
    if m:
        subgroup = m.group("sub")
        text = text[m.end() :]

    if is_no_value(text):
        return PlanCell(label, None, "", subgroup, "", period, span, "、".join(remarks), footnotes)

    number = parse_number(text)
    if number is None:
        return PlanCell(label, None, "", subgroup, "", period, span, "、".join([text, *remarks]), footnotes)

    rest = re.sub(r"\s+", "", number.rest)
    qualifier = ""
    q = _QUALIFIER.search(rest)
    if q:
        qualifier = q.group("q")
        rest = rest[: q.start()]
    return PlanCell(
        label=label,
        value=number.value,
        unit=rest,
        subgroup=subgroup,
        qualifier=qualifier,
        period=period,
        span_years=span,
        remark="、".join(remarks),
        footnotes=footnotes,
    )


# -- values people write in import files and the edit table --------------------------------------------
# Marks meaning "no value recorded" in statistics tables (e-Stat, 北海道の統計, 国勢調査):
# 「－」 none (or 0: some tables print － for zero — only --dash-as-zero reads it so), 「…」 unknown,
# 「x」 kept secret (秘匿), 「***」 not shown; and blanks. Matched after NFKC and without spaces.
NA_BLANK = "blank"
NA_DASH = "dash"
NA_UNKNOWN = "unknown"
NA_SECRET = "secret"
NA_HIDDEN = "hidden"
_NA_MARKS = {
    NA_DASH: {"-", "--", "—", "——", "―", "‐", "−", "ー", "–", "‒"},
    NA_UNKNOWN: {"…", "...", "‥", "・・・", "..", "不詳", "未集計", "不明", "集計中", "未公表", "調査中", "未確定"},
    NA_SECRET: {"x", "X", "χ", "秘匿"},
    NA_HIDDEN: {"***", "**", "*", "＊＊＊"},
}
NA_MEANINGS = labels.NA_MEANINGS  # kind → what the mark means, for the preview
_EXCEL_ERRORS = ("#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!")

# Units a cell may carry, by family and factor (9.8万人 = 98,000人). Other units match only exactly.
UNIT_FACTORS: dict[str, tuple[str, float]] = {
    "人": ("people", 1.0),
    "千人": ("people", 1e3),
    "万人": ("people", 1e4),
    "円": ("yen", 1.0),
    "千円": ("yen", 1e3),
    "万円": ("yen", 1e4),
    "億円": ("yen", 1e8),
    "%": ("percent", 1.0),
    "ポイント": ("point", 1.0),
    "件": ("count", 1.0),
    "歳": ("age", 1.0),
}
UNIT_ALIASES = {"pt": "ポイント", "ﾎﾟｲﾝﾄ": "ポイント", "point": "ポイント", "パーセント": "%", "名": "人"}
SCALE_FACTOR = 10.0  # a value this many times away from both the baseline and the target is unusual


def not_available(text: str) -> str | None:
    """The kind of "no value" mark ``text`` is (NA_BLANK, NA_DASH, …), or None for anything else."""
    norm = re.sub(r"\s+", "", nfkc(text))
    if not norm:
        return NA_BLANK
    for kind, marks in _NA_MARKS.items():
        if norm in marks:
            return kind
    return None


def excel_error(text: str) -> bool:
    """``#DIV/0!`` and the other error values Excel writes into a CSV instead of a number."""
    return nfkc(text).strip().upper() in _EXCEL_ERRORS


def format_number(value: float) -> str:
    """2,390 / 9.51 / -35 / 0.76: thousands separated, no trailing zeros, never ``-0``."""
    if value == 0:
        return "0"
    return f"{value:,.10g}"


def exact_number(value: float) -> str:
    """Every digit of a stored value, with thousands commas (2,390 / 68.42105263157895): read back unchanged."""
    if value == 0:
        return "0"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,}"


def unit_of(text: str) -> str:
    """A unit as written after a number, in the plan's spelling (``pt`` → ``ポイント``, ``名`` → ``人``)."""
    rest = re.sub(r"\s+", "", nfkc(text))
    return UNIT_ALIASES.get(rest.lower(), rest)


def convert_unit(value: float, written: str, unit: str) -> float | None:
    """``value`` written in ``written`` expressed in ``unit`` (98000 人 → 9.8 万人); None if not convertible."""
    a, b = UNIT_FACTORS.get(written), UNIT_FACTORS.get(unit)
    if a is None or b is None or a[0] != b[0]:
        return None
    return round(value * a[1] / b[1], 12)
