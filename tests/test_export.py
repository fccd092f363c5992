"""CSV exports for Excel: BOM or cp932, formula-safe text, numbers stay numbers, meaningful file names."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamiplan.errors import InputError
from kamiplan.export import export_filename, formula_safe, to_csv_bytes, unescape_formula


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+81", "'+81"),
        ("-転出超過", "'-転出超過"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("＝１＋１", "'＝１＋１"),
        ("＋", "'＋"),
        ("－", "'－"),
        ("＠", "'＠"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("人口", "人口"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_formula_safe(text, safe):
    assert formula_safe(text) == safe
    assert unescape_formula(formula_safe(text)) == text


@given(st.text())
def test_unescape_inverts_formula_safe(text):
    assert unescape_formula(formula_safe(text)) == text


def test_numbers_stay_numbers_and_bom():
    frame = pd.DataFrame({"名前": ["=1+1", "普通"], "値": [-30, 2.5], "整数": pd.array([1, None], dtype="Int64")})
    data = to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines() == ["名前,値,整数", "'=1+1,-30.0,1", "普通,2.5,"]
    assert to_csv_bytes(frame, "cp932").decode("cp932") == text


def test_cp932_refusal_names_the_character():
    with pytest.raises(InputError, match="「🙂」"):
        to_csv_bytes(pd.DataFrame({"x": ["🙂"]}), "cp932")


def test_export_filename():
    assert (
        export_filename("指標一覧", ["大綱1", "", "◎ 達成・× 遅れ"], date(2026, 11, 28))
        == "指標一覧_大綱1_◎達成・×遅れ_20261128.csv"
    )
    assert export_filename("事業一覧", ["a/b:c"], date(2026, 1, 2), "cp932") == "事業一覧_abc_20260102_sjis.csv"
