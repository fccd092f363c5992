"""Years and dates as staff write them in an import file, and the indicator year they belong to.

``periods.parse_period`` reads the plan's own periods; this module reads what other sections send: a year
(``R7``, ``令和7年度``, ``2025年``, ``H27``, ``R7(2025)``), a date (``令和7年3月31日``, ``R7.3.31``,
``2025/3/31``, ``2025-03-31T00:00:00``, ``令和7年度末``), a month (``令和6年7月``, ``2024/7``, ``R6.7``), an
Excel date cell (``datetime``) or an Excel serial number (``45747``).

Rules and their sources:

- 年度 (fiscal year) runs from 1 April to 31 March (地方自治法 第208条 第1項: 普通地方公共団体の会計年度は、
  毎年4月1日に始まり、翌年3月31日に終わるものとする). 令和7年度 = 2025-04-01 – 2026-03-31, so 令和7年3月31日
  is in 令和6年度.
- Eras: 昭和 from 1926-12-25 (改元の詔書; 昭和元年 = 1926), 平成 from 1989-01-08 (元号を改める政令, 昭和64年政令
  第1号; 平成元年 = 1989), 令和 from 2019-05-01 (元号を改める政令, 平成31年政令第143号; 令和元年 = 2019), the
  last two under 元号法. The day before each start is the previous era's last (昭和64年1月7日, 平成31年4月30日).
- Excel's 1900 date system: serial 1 = 1900-01-01 and Excel counts a 1900-02-29 that never was (serial 60,
  kept for Lotus 1-2-3), so from serial 61 on, serial n = 1899-12-30 + n days (45747 = 2025-03-31).

Labels show both calendars, as ``periods.year_label`` does (``R7(2025)``); before 2019 they name the era then in
force (``H27(2015)``, ``S55(1980)``).
"""

from __future__ import annotations

import datetime
import math
import numbers
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from kamiplan.plan.periods import CALENDAR_YEAR, FISCAL_YEAR, POINT_IN_TIME, year_label

# (name, letter, offset, first day, last day); the Western year of era year N is offset + N.
_ERAS: tuple[tuple[str, str, int, datetime.date, datetime.date | None], ...] = (
    ("令和", "R", 2018, datetime.date(2019, 5, 1), None),
    ("平成", "H", 1988, datetime.date(1989, 1, 8), datetime.date(2019, 4, 30)),
    ("昭和", "S", 1925, datetime.date(1926, 12, 25), datetime.date(1989, 1, 7)),
)
_ERA_BY_NAME = {key: era for era in _ERAS for key in (era[0], era[1], era[1].lower())}

# A bare number is a year in this range and an Excel serial date in the other; any other number is neither.
BARE_YEAR_RANGE = (1950, 2100)
EXCEL_SERIAL_RANGE = (20000, 80000)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)

_YEAR = r"(?:(?P<{p}era>令和|平成|昭和|[RHSrhs])(?P<{p}n>元|[0-9]{{1,2}})|(?P<{p}w>[1-9][0-9]{{3}}))"
_HEAD = _YEAR.format(p="")
_ALT = re.compile(r"\(" + _YEAR.format(p="alt") + r"(?P<altunit>年度|年)?\)")
_HEAD_ONLY = re.compile(_HEAD + r"(?:年度|年)?")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_TIME = re.compile(
    r"(?:T|\s+)(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?\Z"
)
_AS_OF_SUFFIX = re.compile(r"(?:現在|時点)$")
# Dashes typed in place of "-": − (U+2212, ATOK on Mac), ‐ ‑ ‒ – — ― and the long-vowel mark ー.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc", "-"))

# (pattern, kind, the unit written after the year). Kinds: year, fy_end, month, month_end, day.
_FORMS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(_HEAD + rest), kind, unit)
    for rest, kind, unit in (
        (r"", "year", ""),
        (r"年度", "year", "年度"),
        (r"年", "year", "年"),
        (r"年度末日?", "fy_end", "年度"),
        (r"年(?P<m>[0-9]{1,2})月", "month", "年"),
        (r"年(?P<m>[0-9]{1,2})月末日?", "month_end", "年"),
        (r"年(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})日", "day", "年"),
        (r"(?P<sep>[./-])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})", "day", ""),
        (r"(?P<sep>[./-])(?P<m>[0-9]{1,2})", "month", ""),
    )
)
_BASIS_OF_UNIT = {"年度": FISCAL_YEAR, "年": CALENDAR_YEAR, "": ""}


@dataclass(frozen=True)
class When:
    """A year or a date as written in an import file.

    Exactly one of ``year`` and ``date`` is set.

    ``year`` is the Western year when only a year was written (``R7`` → 2025). ``basis`` is ``FISCAL_YEAR`` when
    年度 was written, ``CALENDAR_YEAR`` when 年 was written, and ``""`` when neither was (``R7``, ``2025``) or
    when a date was written. ``date`` is the day written; for a month without a day (``令和6年7月``) it is the
    1st and ``month_only`` is True. ``text`` is what was read, as written (for messages).
    """

    year: int | None
    basis: str
    date: datetime.date | None
    month_only: bool
    text: str


def parse_when(value: object) -> When | None:
    """Read a year or a date from a cell of an import file or a column header.

    Parameters
    ----------
    value : object
        A ``str`` (full-width digits, spaces and ``㍻``-style era signs are accepted), an ``int``/``float``
        (a year 1950–2100, or an Excel 1900-system serial 20000–80000), or a ``datetime.date``/``datetime``
        (an Excel date cell as openpyxl returns it; the time of day is ignored).

        Text forms: ``2025``, ``2025年度``, ``2025年``, ``R7``/``r7``/``R07``, ``R7年度``, ``令和7年度``,
        ``令和元年``, ``H27``, ``S55年``, ``R7(2025)``, ``R7(2025)年度``, ``R7年度(2025)``, ``2025(R7)``
        (the two years must agree); dates ``令和7年3月31日``, ``R7.3.31``, ``R7/3/31``, ``R7-3-31``,
        ``2025/3/31``, ``2025-03-31``, ``2025.3.31``, ``2025年3月31日``, ``2025-03-31T00:00:00``,
        ``2025/3/31 0:00``, ``令和7年3月末`` (the last day of the month), ``令和7年度末`` (31 March ending that
        年度: 2026-03-31), each optionally followed by ``現在`` or ``時点``; months ``令和6年7月``,
        ``2024年7月``, ``2024/7``, ``2024-07``, ``R6.7``.

        Refused as ambiguous: ``2024.7`` (Excel turns 2024.10 into the number 2024.1) and ``R6-7`` / ``R6/7``
        (a range 令和6〜7年度 is written that way).

    Returns
    -------
    When or None
        None when the value is not a year or a date: empty, a word (``前年比``, ``5か年合計``), an era without a
        year (``平成``, ``R``), an impossible day (``2025/2/30``, month 13, day 32), a day outside its era
        (``令和元年4月30日``, ``平成31年5月1日``; era dates from the 政令 naming each era), two years that
        disagree (``R7(2024)``), or a number that is neither a year nor an Excel serial.
    """
    try:
        if isinstance(value, datetime.datetime | datetime.date):
            day = datetime.date(value.year, value.month, value.day)
            return When(None, "", day, False, f"{day.year}/{day.month}/{day.day}")
        if isinstance(value, bool):
            return None
        if isinstance(value, numbers.Real | Decimal):
            return _parse_number(float(value), _number_text(float(value)))
        if isinstance(value, str):
            return _parse_text(value)
    except (TypeError, ValueError, OverflowError):
        # pandas' NaT passes for a datetime but has no year; a huge Decimal overflows float.
        return None
    return None


def _number_text(number: float) -> str:
    if math.isfinite(number) and number.is_integer():
        return str(int(number))
    return str(number)


def _parse_number(number: float, text: str) -> When | None:
    """A bare number: a year 1950–2100, or an Excel 1900-system serial date 20000–80000."""
    if not math.isfinite(number):
        return None
    if number.is_integer() and BARE_YEAR_RANGE[0] <= number <= BARE_YEAR_RANGE[1]:
        return When(int(number), "", None, False, text)
    if EXCEL_SERIAL_RANGE[0] <= number <= EXCEL_SERIAL_RANGE[1]:
        # A fraction is the time of day.
        return When(None, "", excel_serial_date(math.floor(number)), False, text)
    return None


def excel_serial_date(serial: int) -> datetime.date:
    """The day of an Excel 1900-system serial number (valid from serial 61, 1900-03-01)."""
    return _EXCEL_EPOCH + datetime.timedelta(days=serial)


def excel_serial(day: datetime.date) -> int:
    """The Excel 1900-system serial number of a day from 1900-03-01 on (2025-03-31 → 45747)."""
    return (day - _EXCEL_EPOCH).days


def _parse_text(value: str) -> When | None:
    written = value.strip()
    s = unicodedata.normalize("NFKC", value).translate(_DASHES).strip()
    s = _AS_OF_SUFFIX.sub("", s).strip()
    # A time after a date (2025-03-31T00:00:00, 2025/3/31 0:00) is cut before spaces go, or "31 0:00" would
    # run together into "310:00".
    timed = _TIME.search(s)
    has_time = timed is not None
    if timed:
        if int(timed.group("h")) > 23 or int(timed.group("m")) > 59:
            return None
        s = s[: timed.start()]
    s = re.sub(r"\s+", "", s)
    if not s:
        return None
    if _NUMBER.fullmatch(s):
        return None if has_time else _parse_number(float(s), written)

    # The year again in the other calendar, in brackets: after the year (R7(2025)年度, 令和2年(2020年)10月1日)
    # or at the end (R7年度(2025), R2.10.1(2020)).
    alt = _ALT.search(s)
    if alt:
        before, after = s[: alt.start()], s[alt.end() :]
        if _ALT.search(after) or (after and not _HEAD_ONLY.fullmatch(before)):
            return None
        s = before + after

    matched = next(((m, kind, unit) for pattern, kind, unit in _FORMS if (m := pattern.fullmatch(s))), None)
    if matched is None:
        return None
    m, kind, unit = matched
    if has_time and kind != "day":
        return None
    era, sep = m.group("era"), m.groupdict().get("sep")
    if kind == "month" and sep and (sep == "." if era is None else sep != "."):
        return None  # 2024.7 may be Excel's 2024.70; R6-7 and R6/7 may be 令和6〜7年度
    if alt and (era is None) == (alt.group("altera") is None):
        return None  # R7(2025) and 2025(R7) give both calendars; 2025(2025) is not a form anyone writes
    try:
        return _build(m, kind, unit, alt, written)
    except ValueError:
        return None  # no such day: 2025/2/30, 2025年4月31日


def _build(m: re.Match[str], kind: str, unit: str, alt: re.Match[str] | None, written: str) -> When | None:
    """The When of a matched form, after checking the day, the eras and the bracketed year."""
    year = _year_of(m, "")
    alt_unit = (alt.group("altunit") or "") if alt else ""
    if alt and _year_of(alt, "alt") != year:
        return None
    if alt_unit and unit and alt_unit != unit:
        return None
    if alt_unit == "年度" and kind != "year":
        return None  # 2025年3月31日(R6年度): a day is not a 年度
    unit = unit or alt_unit

    if kind == "year":
        first, last = _span(year, unit)
        day = None
    elif kind == "fy_end":
        first, last = _span(year, "年度")
        day = datetime.date(year + 1, 3, 31)
    else:
        month = int(m.group("m"))
        if not 1 <= month <= 12:
            return None
        if kind == "day":
            day = datetime.date(year, month, int(m.group("d")))
            first = last = day
        else:
            first = datetime.date(year, month, 1)
            last = _month_end(first)
            if kind == "month_end":
                first = day = last
            else:
                day = first
    for era in (m.group("era"), alt.group("altera") if alt else None):
        if era and not _in_era(era, first, last):
            return None
    if day is None:
        return When(year, _BASIS_OF_UNIT[unit], None, False, written)
    return When(None, "", day, kind == "month", written)


def _era_number(n: str) -> int:
    return 1 if n == "元" else int(n)


def _year_of(m: re.Match[str], prefix: str) -> int:
    """The Western year of a matched year (``prefix`` "alt" for the one in brackets)."""
    if m.group(prefix + "w"):
        return int(m.group(prefix + "w"))
    return _ERA_BY_NAME[m.group(prefix + "era")][2] + _era_number(m.group(prefix + "n"))


def _span(year: int, unit: str) -> tuple[datetime.date, datetime.date]:
    """The days of a 年度 (April–March) or of a calendar year."""
    if unit == "年度":
        return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _month_end(first: datetime.date) -> datetime.date:
    following = first.replace(day=28) + datetime.timedelta(days=4)
    return following - datetime.timedelta(days=following.day)


def _in_era(era: str, first: datetime.date, last: datetime.date) -> bool:
    """Whether the era was in force on some day from first to last.

    A year is checked by its days: 平成31年 (to 30 April 2019) and 平成31年度 (from 1 April 2019) were, 平成32年 and
    昭和64年度 (from 1 April 1989, after 7 January) were not; 令和元年4月 was not, 令和元年5月 was.
    """
    _name, _letter, _offset, start, end = _ERA_BY_NAME[era]
    return start <= last and (end is None or first <= end)


def indicator_year(when: When, year_basis: str) -> int:
    """The indicator's year that a written year or date belongs to.

    Parameters
    ----------
    when : When
        What ``parse_when`` read.
    year_basis : str
        The indicator's ``FISCAL_YEAR``, ``CALENDAR_YEAR`` or ``POINT_IN_TIME`` (from ``kamiplan.plan.periods``).

    Returns
    -------
    int
        For a date: with ``FISCAL_YEAR`` the 年度 containing it (April–March, 地方自治法 第208条: 2025-03-31 →
        2024, 2025-04-01 → 2025); with ``CALENDAR_YEAR`` and ``POINT_IN_TIME`` its calendar year. For a year:
        that year, whatever the basis it was written in (the caller may point out 年 written for a 年度
        indicator).

    Raises
    ------
    ValueError
        When ``year_basis`` is not one of the three.
    """
    if year_basis not in (FISCAL_YEAR, CALENDAR_YEAR, POINT_IN_TIME):
        raise ValueError(f"unknown year_basis: {year_basis!r}")
    if when.date is None:
        assert when.year is not None
        return when.year
    if year_basis == FISCAL_YEAR:
        return fiscal_year(when.date)
    return when.date.year


def fiscal_year(day: datetime.date) -> int:
    """The 年度 of a day: April–March (地方自治法 第208条), so 2025-03-31 → 2024 and 2025-04-01 → 2025."""
    return day.year if day.month >= 4 else day.year - 1


def usual_month_day(baseline_as_of: str, year_basis: str) -> tuple[int, int | None] | None:
    """The month and day an indicator is usually counted on: ``(4, 1)``, ``(7, None)`` or None if unknown.

    The baseline's month-day when it has one (``2024-04-01`` → (4, 1); a month ``2024-07`` → (7, None)); else the
    last day of the 年度 (3月31日) for ``FISCAL_YEAR`` and of the calendar year (12月31日) for ``CALENDAR_YEAR``;
    None for ``POINT_IN_TIME`` without a baseline day.
    """
    baseline = parse_when(baseline_as_of) if baseline_as_of else None
    if baseline is not None and baseline.date is not None:
        return baseline.date.month, None if baseline.month_only else baseline.date.day
    if year_basis == FISCAL_YEAR:
        return 3, 31
    if year_basis == CALENDAR_YEAR:
        return 12, 31
    return None


def is_usual_as_of(day: datetime.date, baseline_as_of: str, year_basis: str, month_only: bool = False) -> bool:
    """Whether a day is the indicator's usual as-of day (so a census 10月1日 in a 4月1日 series stands out).

    Parameters
    ----------
    day : datetime.date
        The day written with the value.
    baseline_as_of : str
        The indicator's ``baseline_as_of``: ``2024-04-01``, ``2024-07`` or ``""``.
    year_basis : str
        ``FISCAL_YEAR``, ``CALENDAR_YEAR`` or ``POINT_IN_TIME``.
    month_only : bool
        True when only a month was written (then only the month is compared).

    Returns
    -------
    bool
        True when the day's month-day is the usual one (see ``usual_month_day``; only the month when the
        baseline or the day gives only a month), and True when no usual day is known (``POINT_IN_TIME`` with no
        baseline day: nothing to compare with).
    """
    usual = usual_month_day(baseline_as_of, year_basis)
    if usual is None:
        return True
    month, usual_day = usual
    if usual_day is None or month_only:
        return day.month == month
    return (day.month, day.day) == (month, usual_day)


def _era_of(day: datetime.date) -> tuple[str, str, int] | None:
    """(name, letter, era year) of a day, or None before 昭和."""
    for name, letter, offset, start, end in _ERAS:
        if start <= day and (end is None or day <= end):
            return name, letter, day.year - offset
    return None


def era_year_label(year: int) -> str:
    """A year in both calendars: ``R7(2025)``, ``H27(2015)``, ``S55(1980)``; before 1926 just ``1925``.

    ``year_label``'s text (the name kept for the import's messages): a year two eras share is named by the new
    era, as the plan names 2019 令和元年: 2019 = ``R1``, 1989 = ``H1``, 1926 = ``S1``.
    """
    return year_label(year)


def year_ref(year: int, year_basis: str) -> str:
    """A year as the app's messages say it: ``R7(2025)年度`` (``FISCAL_YEAR``), else ``R7(2025)年``.

    Years before 2019 name their era: ``H27(2015)年度``, ``S55(1980)年`` (see ``era_year_label``).

    Raises
    ------
    ValueError
        When ``year_basis`` is not one of ``FISCAL_YEAR``, ``CALENDAR_YEAR``, ``POINT_IN_TIME``.
    """
    if year_basis not in (FISCAL_YEAR, CALENDAR_YEAR, POINT_IN_TIME):
        raise ValueError(f"unknown year_basis: {year_basis!r}")
    return era_year_label(year) + ("年度" if year_basis == FISCAL_YEAR else "年")


def date_label(day: datetime.date, month_only: bool = False) -> str:
    """A short date for tables: ``R2.10.1(2020)``, a month ``R6.7(2024)``, ``H31.4.30(2019)``.

    The era is the one in force on that day (2019-04-30 is H31, 2019-05-01 is R1), as ``period_label`` writes
    ``R6.4.1(2024)``. Before 昭和 (1926-12-25): ``1926/12/24``. ``parse_when`` reads every label back.
    """
    era = _era_of(day)
    if era is None:
        return f"{day.year}/{day.month}" + ("" if month_only else f"/{day.day}")
    month_day = f"{day.month}" if month_only else f"{day.month}.{day.day}"
    return f"{era[1]}{era[2]}.{month_day}({day.year})"


def as_of_label(as_of: str | datetime.date, month_only: bool = False) -> str:
    """An as-of date in words for tables and tooltips: ``令和2年(2020年)10月1日時点``.

    Parameters
    ----------
    as_of : str or datetime.date
        ``2020-10-01``, a month ``2024-07`` (then ``令和6年(2024年)7月時点``), anything ``parse_when`` reads as a
        day or a month, or a date.
    month_only : bool
        For a date: say only its month.

    Returns
    -------
    str
        The era in full with 元年 (``令和元年(2019年)5月1日時点``), as residents read it; the Western year alone
        before 昭和. ``""`` for ``""``; text that is not a day or a month comes back as written.
    """
    if isinstance(as_of, datetime.date):
        day = datetime.date(as_of.year, as_of.month, as_of.day)
    else:
        when = parse_when(as_of)
        if when is None or when.date is None:
            return str(as_of).strip()
        day, month_only = when.date, when.month_only
    era = _era_of(day)
    if era is None:
        year = f"{day.year}年"
    else:
        year = f"{era[0]}{'元' if era[2] == 1 else era[2]}年({day.year}年)"
    return f"{year}{day.month}月" + ("" if month_only else f"{day.day}日") + "時点"


def as_of_note(as_of: str, indicator: Mapping) -> str:
    """The date a value is for, in words, when it is not the indicator's usual day ("" otherwise).

    人口 is counted on 4月1日 (住民基本台帳); a census value of 2020-10-01 says 「令和2年(2020年)10月1日時点」
    wherever the value is shown, so that it is not read as the same basis.
    """
    if not as_of:
        return ""
    when = parse_when(as_of)
    if when is None or when.date is None:
        return ""
    usual = is_usual_as_of(
        when.date, str(indicator.get("baseline_as_of") or ""), str(indicator["year_basis"]), when.month_only
    )
    return "" if usual else as_of_label(as_of)
