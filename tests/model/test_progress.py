"""The progress model: worked examples from the plan, every rule, and Hypothesis properties."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kamiplan.model.progress import (
    GRADE_ORDER,
    Spec,
    achievement_pct,
    evaluate,
    evaluate_indicators,
    expected,
    grade,
    progress_pct,
    projection,
    running_totals,
)


@pytest.fixture(scope="module")
def specs(indicators):
    return {i: Spec.from_row(row) for i, row in indicators.iterrows()}


# -- worked examples (values from the plan; actuals are invented for the test) -------------------------


def test_population_worked_example(specs):
    pop = specs["0-V1"]  # 2,438 on R6.4.1 → 2,020 on R11.4.1, higher
    assert (pop.baseline, pop.baseline_year, pop.target, pop.target_year) == (2438.0, 2024, 2020.0, 2029)
    assert expected(pop, 2025) == pytest.approx(2354.4)
    assert grade(pop, 2380, 2025) == "B"
    assert expected(pop, 2026) == pytest.approx(2270.8)
    assert grade(pop, 2250, 2026) == "C"  # behind the path, still above the 2,020 floor
    assert grade(pop, 2030, 2029) == "A"
    # 2,300 in 2026 is above 2,020 but behind the path: never "achieved" before R11.
    assert grade(pop, 2300, 2026) == "B"
    assert grade(pop, 2000, 2026) == "D"


def test_care_insurance_rate_lower_is_better(specs):
    care = specs["1-3-K1"]  # 0.76% R5 → 0.60% R11, lower
    assert care.direction == "lower"
    assert expected(care, 2025) == pytest.approx(0.76 - 0.16 * 2 / 6)
    assert grade(care, 0.80, 2025) == "D"
    assert grade(care, 0.70, 2025) == "B"
    assert grade(care, 0.74, 2025) == "C"
    assert grade(care, 0.59, 2025) == "A"


def test_new_shops_cumulative(specs):
    shops = specs["2-1-K1"]  # 6件 5か年合計
    assert shops.kind == "cumulative"
    totals = running_totals(shops, {2025: 1, 2026: 1})
    assert totals == {2025: 1.0, 2026: 2.0}
    assert expected(shops, 2026) == pytest.approx(2.4)
    ev = evaluate(shops, {2025: 1, 2026: 1}, 2026)
    assert ev.actual == 2.0 and ev.grade == "C"
    assert ev.progress_pct == pytest.approx(2 / 6 * 100)
    assert evaluate(shops, {2025: 0, 2026: 0}, 2026).grade == "D"
    assert evaluate(shops, {2025: 3, 2026: 3}, 2026).grade == "A"  # 6 reached early: achieved
    assert evaluate(shops, {2025: 2, 2026: 1}, 2026).grade == "B"
    # The R5 baseline (1件) is a single year and is not counted in the 5-year total.
    assert running_totals(shops, {2023: 5, 2025: 1}) == {2025: 1.0}


def test_pregnancy_checkups_maintain(specs):
    checkup = specs["1-1-T2"]  # 100% → 100%, maintain, higher
    assert checkup.kind == "maintain"
    assert expected(checkup, 2026) == 100.0
    assert grade(checkup, 100, 2026) == "A"
    assert grade(checkup, 98, 2026) == "D"
    ev = evaluate(checkup, {2026: 100}, 2026)
    assert ev.progress_pct is None  # t = b: never divide by zero
    assert ev.achievement_pct == 100.0


def test_traffic_deaths_maintain_lower(specs):
    deaths = specs["3-2-K2"]  # 0件 → 0件, lower
    assert grade(deaths, 0, 2026) == "A"
    assert grade(deaths, 1, 2026) == "D"
    ev = evaluate(deaths, {2026: 0}, 2026)
    assert ev.progress_pct is None and ev.achievement_pct is None  # 0/0 is undefined, not 100%


def test_academic_score_relative(specs):
    score = specs["1-2-T1"]  # −5 → 0 (difference from the 全道 average)
    assert expected(score, 2025) == pytest.approx(-10 / 3)
    assert grade(score, -3, 2025) == "B"
    assert grade(score, 0.5, 2025) == "A"
    assert grade(score, -4, 2025) == "C"
    assert grade(score, -6, 2025) == "D"
    ev = evaluate(score, {2025: -3}, 2025)
    assert ev.progress_pct == pytest.approx(40.0)
    assert ev.achievement_pct is None  # a ratio to a target of 0 has no meaning


def test_no_baseline(specs):
    training = specs["4-2-K1"]  # — → 100%
    assert training.baseline is None
    assert expected(training, 2026) is None
    assert grade(training, 100, 2026) == "A"
    assert grade(training, 80, 2026) == "N"
    ev = evaluate(training, {2026: 80}, 2026)
    assert ev.progress_pct is None and ev.achievement_pct == pytest.approx(80.0)


def test_no_actual_is_not_evaluable(specs):
    assert grade(specs["0-V1"], None, 2026) == "N"
    assert evaluate(specs["0-V1"], {2025: 2400}, 2026).grade == "N"


def test_history_before_the_baseline_is_not_graded(specs):
    pop = specs["0-V1"]
    assert grade(pop, 3000, 2010) == "N"
    ev = evaluate(pop, {1995: 4000, 2010: 3000, 2025: 2380}, 2025)
    assert ev.grade == "B" and ev.projected is None  # history is not used for the projection


def test_progress_and_achievement_formulas(specs):
    pop = specs["0-V1"]
    assert progress_pct(pop, 2354.4) == pytest.approx(20.0)
    assert achievement_pct(pop, 2250) == pytest.approx(2250 / 2020 * 100)
    care = specs["1-3-K1"]
    assert achievement_pct(care, 0.8) == pytest.approx(0.6 / 0.8 * 100)
    assert progress_pct(care, 0.68) == pytest.approx(50.0)
    social = specs["0-P2"]  # ▲41 → ▲17
    assert progress_pct(social, -29) == pytest.approx(50.0)
    assert achievement_pct(social, -29) is None  # ratios of negative numbers are meaningless


def test_projection(specs):
    pop = specs["0-V1"]
    assert projection(pop, {2025: 2380}, 2025) is None  # fewer than two actuals
    p = projection(pop, {2025: 2380, 2026: 2250}, 2026)
    assert p.value == pytest.approx(2380 - 130 * 4)  # 1,860 in 2029
    assert p.meets is False
    p3 = projection(pop, {2025: 2400, 2026: 2380, 2027: 2350}, 2027)
    assert p3.slope == pytest.approx(-25.0)
    assert p3.value == pytest.approx(2376.6667 - 25 * 3)  # x̄ = 2026, ȳ = 2,376.67
    assert p3.meets is True
    shops = specs["2-1-K1"]
    ps = projection(shops, {2025: 1, 2026: 2}, 2026)  # running totals 1, 3 → +2 a year → 9 by 2029
    assert ps.value == pytest.approx(9.0) and ps.meets is True
    assert projection(pop, {2025: 2380, 2026: 2250, 2027: 2100}, 2026).years == (2025, 2026)


def test_projection_least_squares_exact():
    spec = Spec(baseline=0.0, baseline_year=2023, target=10.0, target_year=2029)
    p = projection(spec, {2024: 1.0, 2025: 2.0, 2026: 4.0}, 2026)
    # slope = Σ(x−x̄)(y−ȳ)/Σ(x−x̄)² = (−1·−4/3 + 0 + 1·5/3)/2 = 1.5; ȳ = 7/3 at 2025 → 7/3 + 1.5·4
    assert p.slope == pytest.approx(1.5)
    assert p.value == pytest.approx(7 / 3 + 6.0)


def test_evaluate_indicators_frame(indicators):
    actuals = pd.DataFrame({"series_id": ["0-V1", "0-P1"], "year": [2026, 2026], "value": [2250.0, 1.40]})
    before = indicators.copy(deep=True)
    actuals_before = actuals.copy(deep=True)
    report = evaluate_indicators(indicators, actuals, 2026)
    pd.testing.assert_frame_equal(indicators, before)
    pd.testing.assert_frame_equal(actuals, actuals_before)
    by_id = report.set_index("indicator_id")
    assert by_id.loc["0-V1", "grade"] == "C"
    # 合計特殊出生率 is one series printed in two places: one actual shows in both.
    assert by_id.loc["0-P1", "actual"] == by_id.loc["1-1-T1", "actual"] == 1.40
    assert by_id.loc["0-P1", "grade"] == by_id.loc["1-1-T1", "grade"] == "A"
    assert by_id.loc["1-3-T1", "name"] == "平均自立期間(男)"
    assert len(report) == 46


# -- properties -----------------------------------------------------------------------------------------

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
years = st.integers(min_value=2015, max_value=2028)


@st.composite
def linear_specs(draw, kinds=("level", "relative")):
    y0 = draw(years)
    b = draw(finite)
    t = draw(finite)
    kind = draw(st.sampled_from(kinds))
    if kind == "maintain":
        t = b
    else:
        assume(abs(t - b) > 1e-3)
    return Spec(
        baseline=b,
        baseline_year=y0,
        target=t,
        target_year=2029,
        kind=kind,
        direction=draw(st.sampled_from(["higher", "lower"])),
    )


@given(linear_specs())
def test_path_starts_at_baseline_and_ends_at_target(spec):
    assert expected(spec, spec.baseline_year) == pytest.approx(spec.baseline)
    assert expected(spec, spec.target_year) == pytest.approx(spec.target)


def _flip(spec: Spec) -> Spec:
    return Spec(
        baseline=None if spec.baseline is None else -spec.baseline,
        baseline_year=spec.baseline_year,
        target=-spec.target,
        target_year=spec.target_year,
        kind=spec.kind,
        direction="lower" if spec.direction == "higher" else "higher",
        span_years=spec.span_years,
    )


@given(linear_specs(("level", "relative", "maintain")), finite, st.integers(min_value=2015, max_value=2029))
def test_grade_is_symmetric_under_flipping_direction_and_sign(spec, actual, year):
    assume(year >= spec.baseline_year)
    assert grade(spec, actual, year) == grade(_flip(spec), -actual, year)


@given(linear_specs(("level", "relative", "maintain")), finite, finite, st.integers(min_value=2015, max_value=2029))
def test_a_better_actual_never_gets_a_worse_grade(spec, a1, a2, year):
    assume(year >= spec.baseline_year)
    worse, better_value = sorted([a1, a2]) if spec.direction == "higher" else sorted([a1, a2], reverse=True)
    assert GRADE_ORDER[grade(spec, better_value, year)] <= GRADE_ORDER[grade(spec, worse, year)]


@given(linear_specs(), st.integers(min_value=2015, max_value=2029))
def test_progress_on_the_path_is_the_share_of_time(spec, year):
    assume(year >= spec.baseline_year)
    e = expected(spec, year)
    share = (year - spec.baseline_year) / (spec.target_year - spec.baseline_year) * 100
    assert progress_pct(spec, e) == pytest.approx(share, abs=1e-6)
    assert grade(spec, e, year) in ("A", "B")


@given(
    st.lists(st.one_of(st.just(0.0), st.floats(min_value=0.001, max_value=100)), min_size=0, max_size=5),
    st.floats(min_value=0.5, max_value=100),
)
def test_cumulative_running_total_is_monotone_and_graded(yearly, target):
    spec = Spec(baseline=1.0, baseline_year=2023, target=target, target_year=2029, kind="cumulative", span_years=5)
    values = {2025 + i: v for i, v in enumerate(yearly)}
    totals = running_totals(spec, values)
    assert list(totals.values()) == sorted(totals.values())
    for year, total in totals.items():
        g = grade(spec, total, year)
        assert g == (
            "A"
            if total >= target - 1e-9
            else "B"
            if total >= expected(spec, year) - 1e-9
            else "C"
            if total > 0
            else "D"
        )


@given(linear_specs(("level", "relative", "maintain")), finite)
def test_ratios_never_divide_by_zero(spec, actual):
    for value in (progress_pct(spec, actual), achievement_pct(spec, actual)):
        assert value is None or math.isfinite(value)
