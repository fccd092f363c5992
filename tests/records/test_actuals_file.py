"""The one actuals-file parser (report --actuals, import, upload)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamiplan.errors import InputError
from kamiplan.reading.tabular import decode
from kamiplan.records.actuals_file import parse_actuals, parse_year
from tests.hostile_files import CASES, HEADER_JA


def test_at_least_30_hostile_files():
    assert len(CASES) >= 30
    assert sum(c.refused for c in CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_file(case, indicators):
    if case.refused:
        with pytest.raises(InputError) as info:
            parse_actuals(case.data, indicators, "実績.csv")
        problems = info.value.problems
        assert len(problems) == len(case.errors), [str(p) for p in problems]
        for problem, (line, column, fragment) in zip(problems, case.errors, strict=True):
            assert problem.line == line, str(problem)
            assert column in problem.column, str(problem)
            assert fragment in problem.message, str(problem)
            assert problem.path == "実績.csv"
        return
    parsed = parse_actuals(case.data, indicators, "実績.csv")
    got = {(r.series_id, r.year): r.value for r in parsed.records}
    assert got == pytest.approx(case.values)
    notes = {(r.series_id, r.year): r.note for r in parsed.records}
    for key, note in case.notes.items():
        assert notes[key] == note


def test_encoding_is_detected_not_guessed():
    text = HEADER_JA + "髙橋①,2025,1\n"
    assert decode(text.encode("cp932"))[1] == "cp932"  # shift_jis would reject ① and 髙
    assert decode(text.encode("utf-8"))[1] == "utf-8"
    assert decode(text.encode("utf-8-sig"))[1] == "utf-8-sig"


def test_skipped_rows_are_reported(indicators):
    parsed = parse_actuals((HEADER_JA + "人口,2025,—\n人口,2026,2300\n").encode(), indicators)
    assert [(s.line, s.kind, s.column) for s in parsed.skipped] == [(2, "no_value", "実績値")]
    assert "「—」: 該当なし" in parsed.skipped[0].reason and "人口(0-V1)" in parsed.skipped[0].text
    assert [(r.line, r.year) for r in parsed.records] == [(3, 2026)]


def test_informational_columns_are_accepted(indicators):
    data = "指標ID,指標名,単位,年度,実績値,備考,出典\n0-V1,人口,人,2025,2380,住民基本台帳,町民課\n".encode("utf-8-sig")
    parsed = parse_actuals(data, indicators)
    assert parsed.ignored_columns == []
    record = parsed.records[0]
    assert (record.note, record.source) == ("住民基本台帳", "町民課")


@given(st.integers(min_value=1950, max_value=2035))
def test_year_forms_agree(year):
    forms = [str(year), f"{year}年度", f"{year}.0"]
    if year >= 2019:
        forms += [f"R{year - 2018}", f"令和{year - 2018}年度", f"令和{year - 2018}年"]
    assert {parse_year(f)[0] for f in forms} == {year}


@given(st.integers().filter(lambda y: not 1950 <= y <= 2035))
def test_years_out_of_range_are_refused(year):
    value, reason = parse_year(str(year))
    assert value is None and reason
