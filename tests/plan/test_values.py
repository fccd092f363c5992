"""Cell values as the plan and Japanese offices write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamiplan.plan.values import is_no_value, parse_number, parse_plan_cell


@pytest.mark.parametrize(
    ("text", "value", "rest"),
    [
        ("▲41人", -41.0, "人"),
        ("△17", -17.0, ""),
        ("2,438人", 2438.0, "人"),
        ("1,050人", 1050.0, "人"),
        ("9.5万人", 9.5, "万人"),
        ("０．７６％", 0.76, "%"),
        ("１，１０７戸", 1107.0, "戸"),
        ("-5ポイント以下", -5.0, "ポイント以下"),
        ("－3", -3.0, ""),
        ("70 事業所", 70.0, "事業所"),
        ("4種類", 4.0, "種類"),
        ("0 局", 0.0, "局"),
        ("+2", 2.0, ""),
    ],
)
def test_parse_number(text, value, rest):
    parsed = parse_number(text)
    assert parsed is not None
    assert parsed.value == value
    assert parsed.rest.replace(" ", "") == rest


@pytest.mark.parametrize("text", ["1,00", "12,3456", "abc", "", "人2", "—", ",100"])
def test_parse_number_refuses(text):
    assert parse_number(text) is None


def test_minus_zero_is_plain_zero():
    parsed = parse_number("▲0")
    assert parsed is not None
    assert str(parsed.value) == "0.0"


@pytest.mark.parametrize("text", ["—", "－", "", "  ", "―", "-"])
def test_no_value_marks(text):
    assert is_no_value(text)


@pytest.mark.parametrize(
    ("cell", "value", "unit", "year", "basis", "extra"),
    [
        ("2,438人 (令和6年4月1日)", 2438.0, "人", 2024, "point_in_time", {}),
        ("2,020人 (令和11年4月1日)", 2020.0, "人", 2029, "point_in_time", {}),
        ("63.9%※1 (令和6年度)", 63.9, "%", 2024, "fiscal_year", {"footnotes": ("※1",)}),
        ("1.32 (R5年度)", 1.32, "", 2023, "fiscal_year", {}),
        ("▲41人 (R5年)", -41.0, "人", 2023, "calendar_year", {}),
        ("▲17人 (R11年)", -17.0, "人", 2029, "calendar_year", {}),
        ("9.5万人", 9.5, "万人", None, None, {}),
        ("男 74.7 歳", 74.7, "歳", None, None, {"subgroup": "男"}),
        ("女 83.6 歳", 83.6, "歳", None, None, {"subgroup": "女"}),
        ("6 件 (5 か年合計)", 6.0, "件", None, None, {"span_years": 5}),
        ("4種類 (4か年合計)", 4.0, "種類", None, None, {"span_years": 4}),
        (
            "-5ポイント以下 (全道平均との差)",
            -5.0,
            "ポイント",
            None,
            None,
            {"qualifier": "以下", "remark": "全道平均との差"},
        ),
        ("1,107戸", 1107.0, "戸", None, None, {}),
    ],
)
def test_parse_plan_cell(cell, value, unit, year, basis, extra):
    parsed = parse_plan_cell(cell)
    assert parsed.label == cell
    assert parsed.value == value
    assert parsed.unit == unit
    if year is None:
        assert parsed.period is None
    else:
        assert parsed.period is not None
        assert (parsed.period.year, parsed.period.basis) == (year, basis)
    for field, expected in extra.items():
        assert getattr(parsed, field) == expected


def test_plan_cell_without_number():
    dash = parse_plan_cell("—")
    assert dash.value is None and dash.unit == ""
    average = parse_plan_cell("全道平均以上")
    assert average.value is None
    assert average.label == "全道平均以上"


@given(st.integers(min_value=-(10**9), max_value=10**9), st.sampled_from(["▲", "△", "-", "－"]), st.booleans())
def test_grouped_numbers_round_trip(n, minus, fullwidth):
    text = f"{abs(n):,}"
    if n < 0:
        text = minus + text
    if fullwidth:
        text = text.translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
    parsed = parse_number(text + "人")
    assert parsed is not None
    assert parsed.value == float(n)
    assert parsed.rest == "人"


@given(st.decimals(min_value=-10000, max_value=10000, places=2, allow_nan=False))
def test_decimals_round_trip(d):
    parsed = parse_number(f"{d}%")
    assert parsed is not None
    assert parsed.value == pytest.approx(float(d))
