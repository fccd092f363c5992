"""Amounts of a 事業評価シート read into 千円: units converted exactly and said, minus and words refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamiplan.reading.yen import YEN_UNITS, heading_unit, read_thousand_yen


@pytest.mark.parametrize(
    ("cell", "unit", "value", "converted"),
    [
        ("1200", "", 1200.0, ""),
        ("1,200", "千円", 1200.0, ""),
        ("１，２００", "", 1200.0, ""),
        ("1200千円", "", 1200.0, ""),
        ("1,200,000円", "", 1200.0, "1,200,000円 → 1,200千円"),
        ("120万円", "", 1200.0, "120万円 → 1,200千円"),
        ("12.3万円", "", 123.0, "12.3万円 → 123千円"),  # exact: not 123.00000000000001
        ("1.5億円", "", 150000.0, "1.5億円 → 150,000千円"),
        ("¥1,200,000", "", 1200.0, "1,200,000円 → 1,200千円"),
        ("1,234,567円", "", 1234.567, "1,234,567円 → 1,234.567千円"),
        ("2500000", "円", 2500.0, "2,500,000円 → 2,500千円"),  # the heading's unit
        ("3千円", "円", 3.0, ""),  # the cell's unit wins
        (1200, "", 1200.0, ""),
        (1200.5, "", 1200.5, ""),
        (2500000, "円", 2500.0, "2,500,000円 → 2,500千円"),
        ("0", "", 0.0, ""),
        ("", "", None, ""),
        (None, "", None, ""),
    ],
)
def test_amounts(cell, unit, value, converted):
    got = read_thousand_yen(cell, unit)
    assert (got.value, got.converted, got.refused) == (value, converted, "")


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        ("▲100", "マイナスの金額"),
        ("△100", "マイナスの金額"),
        ("-5", "マイナスの金額"),
        ("ー5", "マイナスの金額"),
        (-3, "マイナスの金額"),
        ("未定", "金額として読めません"),
        ("－", "金額として読めません"),
        ("1,20", "金額として読めません"),
        ("5ドル", "「ドル」を金額の単位として読めません"),
        ("50%", "「%」を金額の単位として読めません"),
        ("#DIV/0!", "Excel のエラー値"),
        (dt.datetime(2025, 1, 2), "日付(2025-01-02)"),
        (float("nan"), "金額として読めません"),
        (True, "金額として読めません"),
    ],
)
def test_refused(cell, fragment):
    got = read_thousand_yen(cell)
    assert got.value is None and fragment in got.refused


@pytest.mark.parametrize(
    ("heading", "unit"),
    [
        ("予算額(千円)", "千円"),
        ("予算額（円）", "円"),
        ("決算額(単位:千円)", "千円"),
        ("事業費【万円】", "万円"),
        ("予算額", ""),
    ],
)
def test_heading_unit(heading, unit):
    assert heading_unit(heading) == unit


_FULL = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


@given(
    whole=st.integers(min_value=0, max_value=10**13),
    cents=st.integers(min_value=0, max_value=999),
    unit=st.sampled_from(["", *YEN_UNITS]),
    commas=st.booleans(),
    full_width=st.booleans(),
    fraction=st.booleans(),
)
def test_any_amount_written_any_way_reads_back_to_the_same_thousands(whole, cents, unit, commas, full_width, fraction):
    """Any non-negative amount, with or without commas, full-width, in any yen unit, is the same 千円."""
    amount = Decimal(whole) + (Decimal(cents) / 1000 if fraction else 0)
    digits = f"{whole:,}" if commas else str(whole)
    if fraction:
        digits += f".{cents:03d}"
    text = digits + unit
    if full_width:
        text = text.translate(_FULL)
    got = read_thousand_yen(text)
    assert got.refused == ""
    assert got.value == float(amount * YEN_UNITS[unit or "千円"] / 1000)
    assert bool(got.converted) == (unit not in ("", "千円"))
