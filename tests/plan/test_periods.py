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
    assert year_label(1995) == "1995"
    assert period_label(2025, FISCAL_YEAR) == "R7年度(2025)"
    assert period_label(2023, CALENDAR_YEAR) == "R5年(2023)"
    assert period_label(2024, POINT_IN_TIME, "2024-04-01") == "R6.4.1(2024)"


@given(st.integers(min_value=2019, max_value=2099))
def test_reiwa_round_trip(year):
    n = year - 2018
    assert parse_period(f"令和{n}年度").year == year
    assert parse_period(f"R{n}年").year == year
    assert year_label(year) == f"R{n}({year})"
