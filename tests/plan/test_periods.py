"""令和 years, 年度 vs 年, and labels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamiplan.plan.periods import (
    CALENDAR_YEAR,
    FISCAL_YEAR,
    POINT_IN_TIME,
    parse_period,
    period_label,
    year_label,
)


@pytest.mark.parametrize(
    ("text", "year", "basis", "explicit", "as_of"),
    [
        ("令和6年4月1日", 2024, POINT_IN_TIME, True, "2024-04-01"),
        ("令和6年7月", 2024, POINT_IN_TIME, True, "2024-07"),
        ("令和6年度", 2024, FISCAL_YEAR, True, ""),
        ("R5年度", 2023, FISCAL_YEAR, True, ""),
        ("R5年", 2023, CALENDAR_YEAR, True, ""),
        ("R5", 2023, FISCAL_YEAR, False, ""),
        ("R11", 2029, FISCAL_YEAR, False, ""),
        ("令和元年度", 2019, FISCAL_YEAR, True, ""),
        ("令和7年", 2025, CALENDAR_YEAR, True, ""),
        ("2025年度", 2025, FISCAL_YEAR, True, ""),
        ("2025", 2025, FISCAL_YEAR, False, ""),
        ("令和１１年度", 2029, FISCAL_YEAR, True, ""),
        ("令和 6 年 4 月 1 日", 2024, POINT_IN_TIME, True, "2024-04-01"),
    ],
)
def test_parse_period(text, year, basis, explicit, as_of):
    p = parse_period(text)
    assert p is not None
    assert (p.year, p.basis, p.explicit, p.as_of) == (year, basis, explicit, as_of)


@pytest.mark.parametrize("text", ["全道平均との差", "5か年合計", "令和6年13月", "R", "", "平成30年度"])
def test_not_a_period(text):
    assert parse_period(text) is None


def test_labels_show_both_calendars_and_keep_fiscal_apart():
    assert year_label(2025) == "R7(2025)"
    assert year_label(2029) == "R11(2029)"
    assert period_label(2025, FISCAL_YEAR) == "R7年度(2025)"
    assert period_label(2023, CALENDAR_YEAR) == "R5年(2023)"
    assert period_label(2024, POINT_IN_TIME, "2024-04-01") == "R6.4.1(2024)"


@pytest.mark.parametrize(
    ("year", "label"),
    [
        (2019, "R1(2019)"),  # 令和元年: the new era names the year two eras share, as the plan writes 令和元年度
        (2018, "H30(2018)"),
        (2016, "H28(2016)"),
        (1995, "H7(1995)"),
        (1989, "H1(1989)"),
        (1988, "S63(1988)"),
        (1926, "S1(1926)"),
        (1925, "1925"),  # before 昭和: no era a reader would know
    ],
)
def test_years_before_reiwa_are_labelled_in_their_era(year, label):
    """A chart of R-years and the years before them reads in one style (it mixed 2016 with R6(2024))."""
    assert year_label(year) == label


def test_period_labels_before_reiwa_name_their_era():
    assert period_label(2015, FISCAL_YEAR) == "H27年度(2015)"  # was 2015年度(2015)
    assert period_label(2010, CALENDAR_YEAR) == "H22年(2010)"
    assert period_label(2015, POINT_IN_TIME, "2015-10-01") == "H27.10.1(2015)"
    assert period_label(1920, FISCAL_YEAR) == "1920年度"


@given(st.integers(min_value=2019, max_value=2099))
def test_reiwa_round_trip(year):
    n = year - 2018
    assert parse_period(f"令和{n}年度").year == year
    assert parse_period(f"R{n}年").year == year
    assert year_label(year) == f"R{n}({year})"
