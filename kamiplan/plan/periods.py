"""Japanese era years, fiscal/calendar periods and their labels.

令和 N = 2018 + N (令和元年 = 2019); labels name earlier years by their era too (平成28年 = 2016). 年度 (fiscal year, April–March) and 年 (calendar year) are kept
apart; a period written with a day or month (令和6年4月1日, 令和6年7月) is a point in time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

REIWA_OFFSET = 2018
# (letter, first Western year) of the eras a label names, newest first: 令和元年 = 2019, 平成元年 = 1989,
# 昭和元年 = 1926. A year two eras share is named by the new one, as the plan writes 令和元年度 for 2019.
ERA_STARTS = (("R", 2019), ("H", 1989), ("S", 1926))

FISCAL_YEAR = "fiscal_year"
CALENDAR_YEAR = "calendar_year"
POINT_IN_TIME = "point_in_time"
YEAR_BASES = (FISCAL_YEAR, CALENDAR_YEAR, POINT_IN_TIME)

_ERA = r"(?:令和|R)(?P<era>元|\d{1,2})"
_WESTERN = r"(?P<western>\d{4})"
_YEAR = rf"(?:{_ERA}|{_WESTERN})"

_PATTERNS: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    # (pattern, basis, explicit)
    (re.compile(rf"^{_YEAR}年(?P<month>\d{{1,2}})月(?P<day>\d{{1,2}})日$"), POINT_IN_TIME, True),
    (re.compile(rf"^{_YEAR}年(?P<month>\d{{1,2}})月$"), POINT_IN_TIME, True),
    (re.compile(rf"^{_YEAR}年度$"), FISCAL_YEAR, True),
    (re.compile(rf"^{_YEAR}年$"), CALENDAR_YEAR, True),
    # A bare "R5" (as in the table header 基準値(R5)) or "2025": the plan counts in 年度 unless told otherwise.
    (re.compile(rf"^{_YEAR}$"), FISCAL_YEAR, False),
)


@dataclass(frozen=True)
class Period:
    """A year as the plan writes it.

    ``year`` is the Western year (fiscal year 2025 = 令和7年度 = April 2025 – March 2026).
    ``explicit`` is False when the text did not say 年度 or 年 (e.g. the header ``R5``).
    """

    year: int
    basis: str
    explicit: bool
    as_of: str
    text: str


def _normalize(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def parse_period(text: str) -> Period | None:
    """Parse a period such as ``令和6年4月1日``, ``R5年度``, ``R5年``, ``令和6年7月``, ``2025`` or ``R7``.

    Parameters
    ----------
    text : str
        The period as written (full-width digits and spaces are accepted).

    Returns
    -------
    Period or None
        None when the text is not a period.
    """
    norm = _normalize(text)
    for pattern, basis, explicit in _PATTERNS:
        m = pattern.match(norm)
        if not m:
            continue
        if m.group("western"):
            year = int(m.group("western"))
        else:
            era = m.group("era")
            year = REIWA_OFFSET + (1 if era == "元" else int(era))
        as_of = ""
        if "month" in m.groupdict() and m.group("month"):
            month = int(m.group("month"))
            if not 1 <= month <= 12:
                return None
            as_of = f"{year:04d}-{month:02d}"
            if "day" in m.groupdict() and m.group("day"):
                day = int(m.group("day"))
                if not 1 <= day <= 31:
                    return None
                as_of += f"-{day:02d}"
        return Period(year=year, basis=basis, explicit=explicit, as_of=as_of, text=text.strip())
    return None


def reiwa(year: int) -> int:
    """The 令和 number of a Western year (2025 → 7)."""
    return year - REIWA_OFFSET


def era_year(year: int) -> str | None:
    """The year as a town office abbreviates its era year: ``R7`` (2025), ``H28`` (2016), ``S55`` (1980);
    None before 昭和 (1926)."""
    for letter, first in ERA_STARTS:
        if year >= first:
            return f"{letter}{year - first + 1}"
    return None


def year_label(year: int) -> str:
    """Axis, hover and table label showing both calendars: ``R7(2025)``, ``H28(2016)``; ``1925`` before 昭和.

    Every year in the same style: a chart of the plan years (R…) and the years before them (H…) reads as
    one, as the plan itself writes 和暦 with 西暦 in brackets.
    """
    era = era_year(year)
    return f"{era}({year})" if era else str(year)


def period_label(year: int, basis: str, as_of: str = "") -> str:
    """A label that keeps 年度 and 年 apart: ``R7年度(2025)``, ``R7年(2025)``, ``R7.4.1(2025)``, ``H27年度(2015)``."""
    era = era_year(year)
    name, western = (era, f"({year})") if era else (str(year), "")
    if basis == FISCAL_YEAR:
        return f"{name}年度{western}"
    if basis == CALENDAR_YEAR:
        return f"{name}年{western}"
    if as_of:
        parts = as_of.split("-")[1:]
        return f"{name}." + ".".join(str(int(p)) for p in parts) + western
    return year_label(year)
