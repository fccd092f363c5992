"""Years and dates as staff write them, and the indicator year they map to."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamiplan.plan.periods import CALENDAR_YEAR, FISCAL_YEAR, POINT_IN_TIME, year_label
from kamiplan.reading.when import (
    When,
    as_of_label,
    date_label,
    era_year_label,
    excel_serial,
    excel_serial_date,
    fiscal_year,
    indicator_year,
    is_usual_as_of,
    parse_when,
    usual_month_day,
    year_ref,
)

D = datetime.date

YEARS = [
    # (written, year, basis)
    ("2025", 2025, ""),
    ("2025年度", 2025, FISCAL_YEAR),
    ("2025年", 2025, CALENDAR_YEAR),
    ("R7", 2025, ""),
    ("r7", 2025, ""),
    ("R07", 2025, ""),
    ("R7年度", 2025, FISCAL_YEAR),
    ("R7年", 2025, CALENDAR_YEAR),
    ("令和7年度", 2025, FISCAL_YEAR),
    ("令和7年", 2025, CALENDAR_YEAR),
    ("令和元年", 2019, CALENDAR_YEAR),
    ("令和元年度", 2019, FISCAL_YEAR),
    ("R1", 2019, ""),
    ("R11年度", 2029, FISCAL_YEAR),
    ("H27", 2015, ""),
    ("h27年度", 2015, FISCAL_YEAR),
    ("平成27年度", 2015, FISCAL_YEAR),
    ("平成元年", 1989, CALENDAR_YEAR),
    ("平成31年", 2019, CALENDAR_YEAR),  # 1 January – 30 April 2019
    ("平成31年度", 2019, FISCAL_YEAR),  # from 1 April 2019, as written before 令和 was named
    ("昭和64年", 1989, CALENDAR_YEAR),  # 1–7 January 1989
    ("S55", 1980, ""),
    ("s55年", 1980, CALENDAR_YEAR),
    ("昭和55年度", 1980, FISCAL_YEAR),
    ("R7(2025)", 2025, ""),
    ("R7(2025)年度", 2025, FISCAL_YEAR),
    ("R7(2025)年", 2025, CALENDAR_YEAR),
    ("R7年度(2025)", 2025, FISCAL_YEAR),  # what period_label writes
    ("令和7年度(2025年度)", 2025, FISCAL_YEAR),
    ("R7(2025年度)", 2025, FISCAL_YEAR),
    ("2025(R7)", 2025, ""),
    ("2025年度(R7)", 2025, FISCAL_YEAR),
    ("2015(H27)年度", 2015, FISCAL_YEAR),
    ("2019(R1)", 2019, ""),
    ("2019(H31)", 2019, ""),
    (" R7 年度 ", 2025, FISCAL_YEAR),
    # full width, typed with the IME on; era signs from old fonts
    ("２０２５", 2025, ""),
    ("２０２５年度", 2025, FISCAL_YEAR),
    ("令和７年度", 2025, FISCAL_YEAR),
    ("Ｒ７", 2025, ""),
    ("Ｒ７（２０２５）年度", 2025, FISCAL_YEAR),
    ("㋿7年度", 2025, FISCAL_YEAR),
    ("㍻27年", 2015, CALENDAR_YEAR),
    ("令和７年度　", 2025, FISCAL_YEAR),
    ("R7時点", 2025, ""),
    # numbers from Excel and pandas
    (2025, 2025, ""),
    (2025.0, 2025, ""),
    ("2025.0", 2025, ""),
    (1950, 1950, ""),
    (2100, 2100, ""),
    (Decimal("2025"), 2025, ""),
]

DATES = [
    # (written, date, month_only)
    ("令和7年3月31日", D(2025, 3, 31), False),
    ("R7年3月31日", D(2025, 3, 31), False),
    ("R7.3.31", D(2025, 3, 31), False),
    ("R7/3/31", D(2025, 3, 31), False),
    ("R7-3-31", D(2025, 3, 31), False),
    ("r7.3.31", D(2025, 3, 31), False),
    ("R07.03.31", D(2025, 3, 31), False),
    ("令和7.3.31", D(2025, 3, 31), False),
    ("2025/3/31", D(2025, 3, 31), False),
    ("2025-03-31", D(2025, 3, 31), False),
    ("2025.3.31", D(2025, 3, 31), False),
    ("2025年3月31日", D(2025, 3, 31), False),
    ("2025年03月31日", D(2025, 3, 31), False),
    ("H27.10.1", D(2015, 10, 1), False),
    ("平成27年10月1日", D(2015, 10, 1), False),
    ("昭和55年10月1日", D(1980, 10, 1), False),
    ("S55.10.1", D(1980, 10, 1), False),
    ("令和7年3月31日現在", D(2025, 3, 31), False),
    ("令和7年3月31日時点", D(2025, 3, 31), False),
    ("2025/3/31 現在", D(2025, 3, 31), False),
    ("令和 6 年 4 月 1 日", D(2024, 4, 1), False),
    ("令和７年３月３１日", D(2025, 3, 31), False),
    ("Ｒ７．３．３１", D(2025, 3, 31), False),
    ("２０２５／３／３１", D(2025, 3, 31), False),
    ("２０２５－０３－３１", D(2025, 3, 31), False),
    ("2025−03−31", D(2025, 3, 31), False),  # − U+2212 (ATOK on Mac)
    ("2025ー3ー31", D(2025, 3, 31), False),  # ー typed for a minus
    # era boundaries (政令: 平成 to 2019-04-30, 令和 from 2019-05-01; 昭和 to 1989-01-07, 平成 from 1989-01-08)
    ("平成31年4月30日", D(2019, 4, 30), False),
    ("令和元年5月1日", D(2019, 5, 1), False),
    ("R1.5.1", D(2019, 5, 1), False),
    ("昭和64年1月7日", D(1989, 1, 7), False),
    ("平成元年1月8日", D(1989, 1, 8), False),
    # months
    ("令和6年7月", D(2024, 7, 1), True),
    ("2024年7月", D(2024, 7, 1), True),
    ("2024/7", D(2024, 7, 1), True),
    ("2024-07", D(2024, 7, 1), True),  # baseline_as_of
    ("R6.7", D(2024, 7, 1), True),
    ("令和6年7月時点", D(2024, 7, 1), True),
    ("令和元年5月", D(2019, 5, 1), True),
    ("平成31年4月", D(2019, 4, 1), True),
    # the end of a month, the end of a 年度 (the following 31 March)
    ("令和7年3月末", D(2025, 3, 31), False),
    ("令和7年2月末日現在", D(2025, 2, 28), False),
    ("2024年2月末", D(2024, 2, 29), False),
    ("令和7年度末", D(2026, 3, 31), False),
    ("R7年度末", D(2026, 3, 31), False),
    ("2025年度末", D(2026, 3, 31), False),
    ("令和6年度末現在", D(2025, 3, 31), False),
    ("平成30年度末", D(2019, 3, 31), False),
    # what CSVs written by pandas or Excel hold
    ("2025-03-31T00:00:00", D(2025, 3, 31), False),
    ("2025-03-31 00:00:00", D(2025, 3, 31), False),
    ("2025-03-31 23:59:59.5", D(2025, 3, 31), False),
    ("2025-03-31T00:00:00+09:00", D(2025, 3, 31), False),
    ("2025/3/31 0:00", D(2025, 3, 31), False),
    # the app's own labels
    ("R2.10.1(2020)", D(2020, 10, 1), False),
    ("R6.7(2024)", D(2024, 7, 1), True),
    ("令和2年(2020年)10月1日時点", D(2020, 10, 1), False),
    ("令和6年度末(2024)", D(2025, 3, 31), False),
    # Excel serial numbers (1900 date system), as cells and as text
    (45747, D(2025, 3, 31), False),
    (45747.0, D(2025, 3, 31), False),
    (45747.75, D(2025, 3, 31), False),  # 18:00
    ("45747", D(2025, 3, 31), False),
    (43831, D(2020, 1, 1), False),
    (20000, D(1954, 10, 3), False),
    (80000, D(2119, 1, 11), False),
    # Excel date cells as openpyxl gives them
    (datetime.datetime(2025, 3, 31), D(2025, 3, 31), False),
    (datetime.datetime(2025, 3, 31, 15, 30), D(2025, 3, 31), False),
    (D(2020, 10, 1), D(2020, 10, 1), False),
]

INVALID = [
    "",
    "   ",
    "平成",
    "令和",
    "R",
    "年度",
    "5か年合計",
    "前年比",
    "全道平均との差",
    "現在",
    "R7年度(速報値)",
    # impossible days and months
    "2025/13/1",
    "2025/0/1",
    "2025/1/32",
    "2025/1/0",
    "2025/2/30",
    "2025/2/29",
    "令和7年13月",
    "令和6年4月31日",
    "R7.3.32",
    "25:00",
    "2025-03-31T25:00:00",
    "2025-03-31T10:60",
    # days and years outside their era
    "平成31年5月1日",
    "令和1年4月30日",
    "令和元年4月30日",
    "R1.4.30",
    "令和元年4月",
    "平成31年5月",
    "昭和64年1月8日",
    "平成元年1月7日",
    "昭和元年12月24日",
    "H32",
    "平成32年度",
    "昭和65年",
    "昭和64年度",  # 年度 1989 began on 1 April, in 平成
    "R0",
    "令和0年",
    "H0",
    "R100",
    # two years that disagree, or brackets that make no sense
    "R7(2024)",
    "2025(R6)",
    "R7(2025)年(2025)",
    "(2025)R7",
    "R7.3(2025).31",
    "R7(R7)",
    "2025(2025)",
    "R7年度(2025年)",
    "2025年3月31日(R6年度)",
    "2019/4/30(R1)",
    "2020(H32)",
    # ambiguous on purpose
    "2024.7",  # Excel's number 2024.70?
    "2024.10",
    "R6-7",  # 令和6〜7年度?
    "R6/7",
    "R6〜R7",
    "2025～2029",
    # a time after something that is not a day
    "2025 10:00",
    "R7 0:00",
    "2025/3 0:00",
    # other words and forms
    "令和7年度3月",
    "2025年度3月31日",
    "R7.3.31.1",
    "2025/3/31/1",
    "2025/3-31",
    "20250331",
    "0025",
    "R7年度年度",
    "令和七年",
    "٢٠٢٥年",  # Arabic-Indic digits: NFKC keeps them, and so does \d
    "明治45年",
    "㍾45年",
    "2025年度末3月",
    # numbers that are neither a year nor an Excel serial
    0,
    1,
    -2025,
    1949,
    2101,
    2025.5,
    19999,
    80000.5,
    80001,
    10**400,
    math.nan,
    math.inf,
    -math.inf,
    "1949",
    "-2025",
    "2025.5",
    True,
    False,
    None,
    b"2025",
    [2025],
    Decimal("NaN"),
    Decimal("sNaN"),
]


@pytest.mark.parametrize(("written", "year", "basis"), YEARS)
def test_years(written, year, basis):
    assert parse_when(written) == When(year, basis, None, False, _as_written(written))


@pytest.mark.parametrize(("written", "day", "month_only"), DATES)
def test_dates(written, day, month_only):
    when = parse_when(written)
    assert when is not None
    assert (when.year, when.basis, when.date, when.month_only) == (None, "", day, month_only)


@pytest.mark.parametrize("written", INVALID, ids=repr)
def test_not_a_year_or_date(written):
    assert parse_when(written) is None


def _as_written(written):
    if isinstance(written, str):
        return written.strip()
    return str(int(written))


def test_text_is_as_written():
    assert parse_when(" 令和７年３月３１日 ").text == "令和７年３月３１日"
    assert parse_when(2025.0).text == "2025"
    assert parse_when(45747).text == "45747"
    # An Excel date cell is shown as Excel shows it in Japan.
    assert parse_when(datetime.datetime(2025, 3, 31)).text == "2025/3/31"


def test_pandas_and_numpy_values():
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    assert parse_when(pd.NaT) is None
    assert parse_when(pd.Timestamp("2025-03-31")).date == D(2025, 3, 31)
    assert parse_when(np.int64(45747)).date == D(2025, 3, 31)
    assert parse_when(np.float64(2025.0)).year == 2025
    assert parse_when(np.float64("nan")) is None


def test_excel_serial_matches_openpyxl():
    from_excel = pytest.importorskip("openpyxl.utils.datetime").from_excel
    for serial in (20000, 25569, 43831, 45658, 45747, 45748, 60000, 80000):
        assert parse_when(serial).date == from_excel(serial).date()
        assert excel_serial(from_excel(serial).date()) == serial


def test_excel_serial_known_values():
    assert excel_serial_date(45747) == D(2025, 3, 31)
    assert excel_serial(D(2025, 3, 31)) == 45747
    assert excel_serial(D(2020, 1, 1)) == 43831
    assert excel_serial(D(1970, 1, 1)) == 25569


# --- the indicator's year -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "fiscal", "calendar"),
    [
        (D(2025, 3, 31), 2024, 2025),
        (D(2025, 4, 1), 2025, 2025),
        (D(2025, 1, 1), 2024, 2025),
        (D(2025, 12, 31), 2025, 2025),
        (D(2026, 3, 31), 2025, 2026),
        (D(2019, 4, 30), 2019, 2019),
    ],
)
def test_fiscal_year_turns_on_1_april(day, fiscal, calendar):
    when = parse_when(day)
    assert fiscal_year(day) == fiscal
    assert indicator_year(when, FISCAL_YEAR) == fiscal
    assert indicator_year(when, CALENDAR_YEAR) == calendar
    assert indicator_year(when, POINT_IN_TIME) == calendar


def test_a_month_maps_like_its_first_day():
    assert indicator_year(parse_when("令和7年3月"), FISCAL_YEAR) == 2024
    assert indicator_year(parse_when("令和7年4月"), FISCAL_YEAR) == 2025


def test_the_end_of_a_fiscal_year_is_in_that_fiscal_year():
    assert indicator_year(parse_when("令和6年度末"), FISCAL_YEAR) == 2024
    assert indicator_year(parse_when("令和6年度末"), POINT_IN_TIME) == 2025


@pytest.mark.parametrize("basis", [FISCAL_YEAR, CALENDAR_YEAR, POINT_IN_TIME])
@pytest.mark.parametrize("written", ["R7", "2025", "令和7年度", "2025年", "R7(2025)"])
def test_a_year_is_that_year(written, basis):
    assert indicator_year(parse_when(written), basis) == 2025


def test_unknown_basis_is_an_error():
    with pytest.raises(ValueError, match="year_basis"):
        indicator_year(parse_when("R7"), "yearly")
    with pytest.raises(ValueError, match="year_basis"):
        year_ref(2025, "")


def test_worked_example_dementia_supporters(indicators):
    """認知症サポーターの延べ人数 as of 令和7年3月31日 is the 令和6年度 figure, not 令和7年度's."""
    indicator = indicators.loc["1-3-K3"]
    assert indicator["name"] == "認知症サポーターの延べ人数"
    assert indicator["year_basis"] == FISCAL_YEAR
    when = parse_when("令和7年3月31日")
    year = indicator_year(when, indicator["year_basis"])
    assert year == 2024
    assert year_ref(year, indicator["year_basis"]) == "R6(2024)年度"
    assert is_usual_as_of(when.date, indicator["baseline_as_of"], indicator["year_basis"])


def test_worked_example_census_population(indicators):
    """人口 counted on 2020-10-01 (国勢調査) is 2020's, but not on the 住民基本台帳 series' day (4月1日)."""
    indicator = indicators.loc["0-V1"]
    assert (indicator["name"], indicator["year_basis"]) == ("人口", POINT_IN_TIME)
    assert indicator["baseline_as_of"] == "2024-04-01"
    when = parse_when("2020-10-01")
    assert indicator_year(when, POINT_IN_TIME) == 2020
    assert not is_usual_as_of(when.date, "2024-04-01", POINT_IN_TIME)
    assert is_usual_as_of(D(2025, 4, 1), "2024-04-01", POINT_IN_TIME)
    assert as_of_label(when.date) == "令和2年(2020年)10月1日時点"


# --- the usual as-of day --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "baseline_as_of", "basis", "month_only", "usual"),
    [
        (D(2020, 10, 1), "2024-04-01", POINT_IN_TIME, False, False),
        (D(2025, 4, 1), "2024-04-01", POINT_IN_TIME, False, True),
        (D(2025, 4, 2), "2024-04-01", POINT_IN_TIME, False, False),
        (D(2025, 7, 15), "2024-07", POINT_IN_TIME, False, True),  # a month-only baseline: the month
        (D(2025, 8, 1), "2024-07", POINT_IN_TIME, False, False),
        (D(2025, 4, 1), "2024-04-01", POINT_IN_TIME, True, True),  # a month-only day: the month
        (D(2025, 3, 31), "", FISCAL_YEAR, False, True),  # the end of the 年度
        (D(2025, 4, 1), "", FISCAL_YEAR, False, False),
        (D(2025, 3, 1), "", FISCAL_YEAR, True, True),
        (D(2025, 12, 31), "", CALENDAR_YEAR, False, True),
        (D(2025, 3, 31), "", CALENDAR_YEAR, False, False),
        (D(2025, 10, 1), "", POINT_IN_TIME, False, True),  # nothing to compare with
        (D(2025, 4, 1), "2024-04-01", FISCAL_YEAR, False, True),  # the baseline's day wins
        (D(2025, 3, 31), "2024-04-01", FISCAL_YEAR, False, False),
    ],
)
def test_is_usual_as_of(day, baseline_as_of, basis, month_only, usual):
    assert is_usual_as_of(day, baseline_as_of, basis, month_only) is usual


def test_usual_month_day():
    assert usual_month_day("2024-04-01", POINT_IN_TIME) == (4, 1)
    assert usual_month_day("2024-07", POINT_IN_TIME) == (7, None)
    assert usual_month_day("", FISCAL_YEAR) == (3, 31)
    assert usual_month_day("", CALENDAR_YEAR) == (12, 31)
    assert usual_month_day("", POINT_IN_TIME) is None


# --- labels ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "basis", "text"),
    [
        (2025, FISCAL_YEAR, "R7(2025)年度"),
        (2025, CALENDAR_YEAR, "R7(2025)年"),
        (2025, POINT_IN_TIME, "R7(2025)年"),
        (2019, FISCAL_YEAR, "R1(2019)年度"),  # like year_label: the new era names the year two eras share
        (2018, FISCAL_YEAR, "H30(2018)年度"),
        (2015, FISCAL_YEAR, "H27(2015)年度"),
        (1989, CALENDAR_YEAR, "H1(1989)年"),
        (1988, CALENDAR_YEAR, "S63(1988)年"),
        (1980, CALENDAR_YEAR, "S55(1980)年"),
        (1926, CALENDAR_YEAR, "S1(1926)年"),
        (1925, CALENDAR_YEAR, "1925年"),
    ],
)
def test_year_ref(year, basis, text):
    assert year_ref(year, basis) == text


@given(st.integers(min_value=2019, max_value=2200))
def test_era_year_label_is_year_label_from_2019(year):
    assert era_year_label(year) == year_label(year)


@pytest.mark.parametrize(
    ("day", "month_only", "label"),
    [
        (D(2020, 10, 1), False, "R2.10.1(2020)"),
        (D(2024, 4, 1), False, "R6.4.1(2024)"),  # as period_label writes a point in time
        (D(2024, 7, 1), True, "R6.7(2024)"),
        (D(2019, 4, 30), False, "H31.4.30(2019)"),
        (D(2019, 5, 1), False, "R1.5.1(2019)"),
        (D(2015, 10, 1), False, "H27.10.1(2015)"),
        (D(1980, 10, 1), False, "S55.10.1(1980)"),
        (D(1926, 12, 24), False, "1926/12/24"),
    ],
)
def test_date_label(day, month_only, label):
    assert date_label(day, month_only) == label


@pytest.mark.parametrize(
    ("as_of", "label"),
    [
        ("2020-10-01", "令和2年(2020年)10月1日時点"),
        ("2024-04-01", "令和6年(2024年)4月1日時点"),
        ("2024-07", "令和6年(2024年)7月時点"),
        ("2019-05-01", "令和元年(2019年)5月1日時点"),
        ("2019-04-30", "平成31年(2019年)4月30日時点"),
        ("2015-10-01", "平成27年(2015年)10月1日時点"),
        ("1980-10-01", "昭和55年(1980年)10月1日時点"),
        ("令和7年度末", "令和8年(2026年)3月31日時点"),
        (D(2020, 10, 1), "令和2年(2020年)10月1日時点"),
        ("", ""),
        ("R7", "R7"),  # a year is not an as-of day: shown as written
        ("不明", "不明"),
    ],
)
def test_as_of_label(as_of, label):
    assert as_of_label(as_of) == label


def test_as_of_label_of_a_month():
    assert as_of_label(D(2024, 7, 1), month_only=True) == "令和6年(2024年)7月時点"


# --- properties -----------------------------------------------------------------------------------

DAYS = st.dates(min_value=D(1950, 1, 1), max_value=D(2099, 12, 31))
ERAS = {"R": ("令和", 2018, D(2019, 5, 1), D(9999, 12, 31)), "H": ("平成", 1988, D(1989, 1, 8), D(2019, 4, 30))}
ERAS["S"] = ("昭和", 1925, D(1926, 12, 25), D(1989, 1, 7))


def _era_of(day):
    return next(letter for letter, (_, _, start, end) in ERAS.items() if start <= day <= end)


@given(DAYS)
def test_written_dates_read_back(day):
    y, m, d = day.year, day.month, day.day
    letter = _era_of(day)
    name, offset, _, _ = ERAS[letter]
    n = y - offset
    forms = [
        f"{y}/{m}/{d}",
        f"{y}-{m:02d}-{d:02d}",
        f"{y}.{m}.{d}",
        f"{y}年{m}月{d}日",
        f"{y}-{m:02d}-{d:02d}T00:00:00",
        f"{y}-{m:02d}-{d:02d} 00:00:00",
        f"{letter}{n}.{m}.{d}",
        f"{letter.lower()}{n}.{m}.{d}",
        f"{letter}{n:02d}.{m:02d}.{d:02d}",
        f"{letter}{n}/{m}/{d}",
        f"{letter}{n}-{m}-{d}",
        f"{name}{n}年{m}月{d}日",
        f"{name}{'元' if n == 1 else n}年{m}月{d}日現在",
        date_label(day),
        as_of_label(day),
        datetime.datetime(y, m, d),
    ]
    if day >= excel_serial_date(20000):  # 1954-10-03: a smaller number is not taken for a serial
        forms += [excel_serial(day), float(excel_serial(day)), str(excel_serial(day))]
    for form in forms:
        when = parse_when(form)
        assert when is not None, form
        assert (when.date, when.month_only, when.year) == (day, False, None), form


@given(DAYS)
def test_written_months_read_back(day):
    first = day.replace(day=1)
    for form in (date_label(first, month_only=True), as_of_label(first, month_only=True), f"{day.year}/{day.month}"):
        when = parse_when(form)
        assert when is not None, form
        assert (when.date, when.month_only) == (first, True), form


@given(DAYS, st.sampled_from(sorted(ERAS)))
def test_an_era_date_reads_only_within_its_era(day, letter):
    name, offset, start, end = ERAS[letter]
    n = day.year - offset
    if n < 1:
        return
    within = start <= day <= end
    for form in (f"{letter}{n}.{day.month}.{day.day}", f"{name}{n}年{day.month}月{day.day}日"):
        assert (parse_when(form) is not None) is within, form


@given(DAYS)
def test_fiscal_year_is_the_year_three_months_earlier(day):
    when = parse_when(day)
    months = day.year * 12 + (day.month - 1) - 3
    assert indicator_year(when, FISCAL_YEAR) == months // 12
    assert indicator_year(when, CALENDAR_YEAR) == day.year
    assert indicator_year(when, POINT_IN_TIME) == day.year


@given(st.integers(min_value=1950, max_value=2100))
def test_every_year_form_reads_back(year):
    for form in (year, float(year), str(year), f"{year}年度", f"{year}年", year_ref(year, FISCAL_YEAR)):
        when = parse_when(form)
        assert when is not None and when.year == year, form
    assert parse_when(year_ref(year, FISCAL_YEAR)).basis == FISCAL_YEAR
    assert parse_when(year_ref(year, CALENDAR_YEAR)).basis == CALENDAR_YEAR
    assert parse_when(era_year_label(year)).basis == ""


def _check(when):
    if when is None:
        return
    assert isinstance(when, When)
    assert (when.year is None) != (when.date is None)
    if when.date is not None:
        assert when.basis == ""
        assert not when.month_only or when.date.day == 1
    else:
        assert when.basis in ("", FISCAL_YEAR, CALENDAR_YEAR)
        assert not when.month_only


@given(st.text())
def test_never_raises_on_any_text(text):
    _check(parse_when(text))


@given(st.text(alphabet="0123456789０１２３元年度月日末令和平成昭RHSrhs./-−ー／()（）T: 現在時点", max_size=24))
def test_never_raises_on_date_like_text(text):
    _check(parse_when(text))


@given(st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.decimals(), st.datetimes()))
def test_never_raises_on_any_number_or_datetime(value):
    _check(parse_when(value))
