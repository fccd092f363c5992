"""One value cell for one indicator: numbers as written, units converted within a family, scale questioned."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamiplan.reading.amounts import read_amount


@pytest.mark.parametrize(
    ("indicator", "cell", "value"),
    [
        ("0-V1", "2390", 2390.0),
        ("0-V1", "２，３９０", 2390.0),
        ("0-V1", "2,390人", 2390.0),
        ("0-V1", "2390名", 2390.0),  # 名 is 人
        ("0-V1", 2390, 2390.0),  # an Excel number
        ("0-V1", 2390.0, 2390.0),
        ("0-P2", "▲35", -35.0),
        ("0-P2", "△35人", -35.0),
        ("0-P2", "ー35", -35.0),  # the prolonged sound mark typed for a minus
        ("0-P2", "−35", -35.0),
        ("1-2-T1", "-3pt", -3.0),
        ("1-1-T3", "91.5%", 91.5),
        ("1-1-T3", "９１．５％", 91.5),
        ("2-2-K1", "9.7万人", 9.7),
        ("0-P1", "1.30", 1.3),
    ],
)
def test_values_as_written(indicators, indicator, cell, value):
    amount = read_amount(cell, indicators.loc[indicator].to_dict())
    assert (amount.value, amount.refused, amount.unusual, amount.na) == (value, "", "", None)


@pytest.mark.parametrize(
    ("indicator", "cell", "converted", "hint"),
    [
        ("2-2-K1", "98000人", 9.8, "9.8万人"),
        ("2-2-K1", "98千人", 9.8, "9.8万人"),
        ("0-V1", "2.39千人", 2390.0, "2,390人"),
    ],
)
def test_units_of_the_same_family_are_converted_but_questioned(indicators, indicator, cell, converted, hint):
    amount = read_amount(cell, indicators.loc[indicator].to_dict())
    assert amount.value == converted and hint in amount.unusual and amount.converted_from


@pytest.mark.parametrize(
    ("indicator", "cell", "fragment"),
    [
        ("0-V1", "約2400", "数値として読めません"),
        ("0-V1", "2,38", "数値として読めません"),
        ("0-V1", "#DIV/0!", "Excel のエラー値"),
        ("0-V1", "2390円", "換算できません"),
        ("0-V1", "2390人(速報)", "単位として読めません"),
        ("0-P1", "1.3人", "単位はありません"),
        ("1-1-T3", "101", "0〜100"),
        ("0-V1", "-5", "小さくなりません"),
    ],
)
def test_refusals(indicators, indicator, cell, fragment):
    amount = read_amount(cell, indicators.loc[indicator].to_dict())
    assert amount.value is None and fragment in amount.refused


@pytest.mark.parametrize(
    ("cell", "kind"), [("", "blank"), ("－", "dash"), ("…", "unknown"), ("x", "secret"), ("***", "hidden")]
)
def test_no_value_marks(indicators, cell, kind):
    assert read_amount(cell, indicators.loc["3-2-K2"].to_dict()).na == kind
    if kind == "dash":
        assert read_amount(cell, indicators.loc["3-2-K2"].to_dict(), dash_as_zero=True).value == 0.0


@given(st.floats(min_value=0.5, max_value=2.0))
def test_values_near_the_plan_are_never_questioned(indicators, factor):
    """Anything between half the baseline and twice the target of 人口 is plain (the check only catches scale slips)."""
    ind = indicators.loc["0-V1"].to_dict()
    value = round(2438 * factor)
    assert read_amount(str(value), ind).unusual == ""


@given(st.integers(min_value=1, max_value=10**6))
def test_ten_times_away_from_both_is_always_questioned(indicators, value):
    ind = indicators.loc["2-2-K1"].to_dict()  # 9.5 → 10 万人
    amount = read_amount(str(value), ind)
    assert bool(amount.unusual) == (value >= 100)  # 10× the target 10 万人 (and more than 10× the baseline 9.5)
