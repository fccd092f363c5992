"""Money as a 事業評価シート writes it, read into 千円 (thousand yen).

Every municipal 事務事業評価シート and 総合戦略 効果検証シート gives 予算額・決算額 in 千円 (北見市, 登別市,
上川町, 真狩村), so a bare number is 千円. A unit written in the cell (``1,200,000円``, ``120万円``) or in the
column's heading (``予算額(円)``) is converted to 千円 exactly (decimal arithmetic, so ``12.3万円`` is 123千円,
not 123.00000000000001) and the conversion is reported, never done without a word. Full-width digits,
thousands commas and a leading ``¥`` are ordinary writing. Refused, with what to write instead: a minus
(▲, △, −, ー before the number), a word (``未定``, ``－``), a unit that is not money, a date cell, an Excel
error value. A blank cell is "not entered" (None), which is not 0.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal

from kamiplan import labels
from kamiplan.plan.values import excel_error, nfkc
from kamiplan.reading.tabular import Value, text_of

THOUSAND_YEN = "千円"
# Yen per unit. 百万円 and 億円 appear in 予算書 summaries; 千円 is the unit of every 事業評価シート.
YEN_UNITS: dict[str, int] = {"円": 1, "千円": 1_000, "万円": 10_000, "百万円": 1_000_000, "億円": 100_000_000}

_NUMBER = re.compile(
    r"^(?P<sign>[▲△+\-−‐‑–―ー]?)(?P<yen>[¥\\])?(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<rest>.*)$"
)
_UNIT_IN_HEADING = re.compile(r"(百万円|千円|万円|億円|円)")
_HEADING_SUFFIX = re.compile(r"[(\[【〔](?P<inner>[^()\[\]【】〔〕]*)[)\]】〕]$")


@dataclass(frozen=True)
class Yen:
    """One amount cell read: 千円, "not entered" (None), or a refusal.

    ``converted`` says how a unit other than 千円 was converted (「1,200,000円 → 1,200千円」); "" otherwise.
    """

    value: float | None = None
    refused: str = ""
    converted: str = ""


def heading_unit(heading: str) -> str:
    """The unit a column heading names in brackets at its end: 「予算額(円)」 → 円, 「決算額(単位:千円)」 → 千円.

    Returns "" when the heading names none (then the column is in 千円).
    """
    m = _HEADING_SUFFIX.search(re.sub(r"\s+", "", nfkc(str(heading))))
    if not m:
        return ""
    unit = _UNIT_IN_HEADING.search(m.group("inner"))
    return unit.group(1) if unit else ""


def _written(amount: Decimal) -> str:
    """A number as a person reads it: 1,200,000 / 12.3 (every digit kept, thousands separated)."""
    text = format(amount.normalize(), "f")  # never an exponent: 1.2E+3 → 1200
    whole, _, fraction = text.partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


def read_thousand_yen(cell: Value, unit: str = THOUSAND_YEN) -> Yen:
    """Read one 予算額/決算額 cell as 千円.

    Parameters
    ----------
    cell : str, int, float, date or None
        The cell as :mod:`kamiplan.reading.tabular` read it (Excel numbers stay numbers).
    unit : str
        The column's unit from its heading (:func:`heading_unit`), "" or ``千円`` when it names none.
        A unit written in the cell wins over the heading's.

    Returns
    -------
    Yen
        ``value`` in 千円 (None for a blank cell), or ``refused`` with what to write instead (Japanese).
        ``converted`` is set when the amount was given in another unit (「120万円 → 1,200千円」).
    """
    unit = unit or THOUSAND_YEN
    if cell is None:
        return Yen()
    if isinstance(cell, bool):
        return Yen(refused=labels.YEN_UNREADABLE)
    if isinstance(cell, (dt.date, dt.datetime)):
        return Yen(refused=labels.YEN_DATE.format(value=text_of(cell)))
    if isinstance(cell, (int, float)):
        if isinstance(cell, float) and not math.isfinite(cell):
            return Yen(refused=labels.YEN_UNREADABLE)
        amount, written_unit = Decimal(repr(cell) if isinstance(cell, float) else cell), unit
        if amount < 0:
            return Yen(refused=labels.YEN_NEGATIVE)
    else:
        text = re.sub(r"\s+", "", nfkc(str(cell)))
        if not text:
            return Yen()
        if excel_error(text):
            return Yen(refused=labels.YEN_EXCEL_ERROR)
        m = _NUMBER.match(text)
        if not m:
            return Yen(refused=labels.YEN_UNREADABLE)
        amount = Decimal(m.group("digits").replace(",", ""))
        sign, rest = m.group("sign"), m.group("rest")
        if rest and rest[0] in ",.0123456789":
            return Yen(refused=labels.YEN_UNREADABLE)  # 「1,20」「1.2.3」: not a number
        if rest and rest not in YEN_UNITS:
            return Yen(refused=labels.YEN_UNIT_UNKNOWN.format(unit=rest))
        written_unit = rest or ("円" if m.group("yen") else unit)
        if sign and sign != "+" and amount != 0:
            return Yen(refused=labels.YEN_NEGATIVE)
    thousands = amount * YEN_UNITS[written_unit] / 1000
    converted = ""
    if written_unit != THOUSAND_YEN:
        converted = f"{_written(amount)}{written_unit} → {_written(thousands)}{THOUSAND_YEN}"
    return Yen(value=float(thousands) + 0.0, converted=converted)  # + 0.0: never -0.0
