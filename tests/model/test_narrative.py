"""Plain sentences for residents, telling the same story as the grade (the survey band included)."""

from __future__ import annotations

import pytest

from kamiplan.model.narrative import TREND_DOWN, TREND_FLAT, TREND_UP, latest_change, number, sentence, survey_band
from kamiplan.model.trajectory import build


def traj(indicators, indicator_id, values, year):
    return build(indicators.loc[indicator_id].to_dict(), values, year, 2025)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (2020.0, "人", "2,020人"),
        (74.0, "%", "74%"),
        (1.35, "", "1.35"),
        (-17.0, "人", "▲17人"),
        (0.0, "件", "0件"),
        (9.5, "万人", "9.5万人"),
    ],
)
def test_number(value, unit, text):
    assert number(value, unit) == text


def test_population_sentences(indicators):
    assert (
        sentence(traj(indicators, "0-V1", {2025: 2380.0}, 2025))
        == "目標 2,020人に向けて、計画を上回るペースです(2,380人)。"
    )
    assert (
        sentence(traj(indicators, "0-V1", {2025: 2380.0, 2026: 2250.0}, 2026))
        == "目標 2,020人に向けて進んでいますが、計画のペースより少し遅れています(2,250人)。"
    )
    assert sentence(traj(indicators, "0-V1", {2029: 2030.0}, 2029)) == "2,030人で、目標 2,020人を達成しています。"
    assert sentence(traj(indicators, "0-V1", {}, 2026)) == "R8(2026)年度の実績はまだありません(目標 2,020人)。"


def test_maintain_and_cumulative_sentences(indicators):
    assert sentence(traj(indicators, "1-1-T2", {2026: 100.0}, 2026)) == "目標の100%を維持しています。"
    assert sentence(traj(indicators, "1-1-T2", {2026: 98.0}, 2026)) == "目標の100%を維持できていません(98%)。"
    assert (
        sentence(traj(indicators, "2-1-K1", {2025: 1.0, 2026: 1.0}, 2026))
        == "目標 6件に向けて進んでいますが、計画のペースより少し遅れています(累計 2件)。"
    )
    assert sentence(traj(indicators, "1-3-K1", {2025: 0.8}, 2025)) == "計画のペースより遅れています(0.8%、目標 0.6%)。"


def test_survey_change_within_band(indicators, monkeypatch):
    monkeypatch.delenv("KAMIPLAN_SURVEY_BAND", raising=False)
    sat = traj(indicators, "0-S1", {2026: 27.0}, 2026)  # 25.4 → 27.0: +1.6 points; path value 27.24
    change = latest_change(sat)
    assert (change.trend, change.since_year, change.within_band) == (TREND_FLAT, 2024, True)
    assert change.delta == pytest.approx(1.6)
    assert sentence(sat) == "27%で、計画線(27.24%)との差は調査の誤差±3ポイントの範囲です(目標 30%)。"
    below = traj(indicators, "0-S1", {2025: 26.0, 2026: 21.0}, 2026)  # 遅れ: the change as a number, not 横ばい
    assert sentence(below).endswith("前回のR7(2025)から−5ポイント。") and "横ばい" not in sentence(below)
    assert latest_change(traj(indicators, "0-S1", {2026: 29.0}, 2026)).trend == TREND_UP
    assert latest_change(traj(indicators, "0-S1", {2026: 21.0}, 2026)).trend == TREND_DOWN
    assert latest_change(sat, band=1.0).trend == TREND_UP
    monkeypatch.setenv("KAMIPLAN_SURVEY_BAND", "1")
    assert survey_band() == 1.0 and latest_change(sat).trend == TREND_UP


def test_non_survey_has_no_band(indicators):
    small = traj(indicators, "1-3-K1", {2025: 0.75}, 2025)  # 0.76 → 0.75, lower is better
    assert latest_change(small).trend == TREND_UP


def test_headline_is_the_grade_as_on_the_badge(indicators, monkeypatch):
    from kamiplan.model.narrative import headline

    monkeypatch.delenv("KAMIPLAN_SURVEY_BAND", raising=False)
    assert headline(traj(indicators, "0-S1", {2026: 27.0}, 2026)) == "○ 順調(誤差の範囲)"
    assert headline(traj(indicators, "0-S1", {2026: 29.0}, 2026)) == "○ 順調"
    assert headline(traj(indicators, "0-V1", {2025: 2437.0}, 2025)) == "○ 順調"  # not a survey: no band
