"""The presentation deck: order, numbering, every indicator shown once, summaries with movers."""

from __future__ import annotations

import pandas as pd
import pytest

from kamiplan.model import dashboard
from kamiplan.outputs import slides
from kamiplan.plan import queries
from kamiplan.plan.db import PlanDB
from tests.conftest import DATA
from tests.synthetic import synthetic_changes


@pytest.fixture(scope="module")
def deck():
    con = PlanDB(DATA).cursor()
    inds = queries.indicators(con)
    changes = synthetic_changes(inds)
    current = pd.DataFrame(
        [{"series_id": c.series_id, "year": c.year, "value": c.new.value, "note": "", "source": ""} for c in changes]
    )
    trajs = dashboard.trajectories(inds, dashboard.series_cells(current), 2026, 2025)
    return slides.build_deck(queries.pillars(con), trajs, queries.plan_info(con)), trajs


def test_order_and_numbers(deck):
    items, _ = deck
    assert [s.number for s in items] == list(range(1, len(items) + 1))
    assert items[0].kind == slides.TITLE and items[0].title == "将来像「小さな町の輝く未来へ挑戦するまち」"
    assert items[-1].kind == slides.CLOSING
    kinds = [s.kind for s in items]
    assert kinds.index(slides.PLAN_WIDE) < kinds.index(slides.SATISFACTION) < kinds.index(slides.PILLAR_SUMMARY)
    summaries = [s for s in items if s.kind == slides.PILLAR_SUMMARY]
    assert [s.pillar for s in summaries] == [1, 2, 3, 4]
    # title + per section (計画全体, 満足度, 大綱1–4): ceil(graded / 2) chart slides and one list if any is N,
    # + 4 summaries + closing
    _, trajs = deck
    sections: dict[str, list[str]] = {}
    for t in trajs:
        key = "plan" if t.indicator["section"] in ("vision", "population") else t.indicator["section"]
        key = f"pillar{t.indicator['pillar']}" if t.indicator["pillar"] else key
        sections.setdefault(key, []).append(t.evaluation.actual is not None)
    expected = 2 + 4 + sum(-(-sum(has for has in gs) // 2) + (not all(gs)) for gs in sections.values())
    assert len(items) == expected


def test_every_indicator_on_exactly_one_slide_graded_ones_with_their_chart(deck):
    items, trajs = deck
    on_charts = [
        i
        for s in items
        if s.kind in (slides.PLAN_WIDE, slides.SATISFACTION, slides.INDICATORS)
        for i in s.indicator_ids
    ]
    listed = [i for s in items if s.kind == slides.NO_ACTUALS for i in s.indicator_ids]
    assert sorted(on_charts + listed) == sorted(t.indicator["indicator_id"] for t in trajs)
    actual = {t.indicator["indicator_id"]: t.evaluation.actual for t in trajs}
    assert all(actual[i] is not None for i in on_charts) and all(actual[i] is None for i in listed)
    chart_slides = [s for s in items if s.kind in (slides.PLAN_WIDE, slides.SATISFACTION, slides.INDICATORS)]
    assert all(len(s.indicator_ids) <= slides.PER_SLIDE for s in chart_slides)


def test_indicators_without_actuals_share_one_slide_per_section():
    """Issue 12: with no actuals the deck was 30 slides of empty charts; now one list per section."""
    con = PlanDB(DATA).cursor()
    trajs = dashboard.trajectories(queries.indicators(con), {}, 2025, 2025)
    items = slides.build_deck(queries.pillars(con), trajs, queries.plan_info(con))
    assert [s.kind for s in items] == [
        slides.TITLE,
        slides.NO_ACTUALS,
        slides.NO_ACTUALS,
        *[slides.PILLAR_SUMMARY, slides.NO_ACTUALS] * 4,
        slides.CLOSING,
    ]
    assert items[1].title == "計画全体の目標" and items[1].subtitle == "R7(2025)年度の実績がまだない指標"


def test_summary_lists_what_moved_most(deck):
    items, trajs = deck
    by_id = {t.indicator["indicator_id"]: t for t in trajs}
    summary = next(s for s in items if s.kind == slides.PILLAR_SUMMARY and s.pillar == 1)
    assert len(summary.indicator_ids) == 15 and 0 < len(summary.movers) <= slides.MOVERS
    moves = [slides.moved(by_id[i]) for i in summary.movers]
    assert moves == sorted(moves, reverse=True)
    others = [slides.moved(by_id[i]) for i in summary.indicator_ids if i not in summary.movers]
    assert min(moves) >= max(others)


def test_within_band_survey_change_does_not_count_as_movement(deck):
    _, trajs = deck
    from kamiplan.model.trajectory import build

    sat = next(t for t in trajs if t.indicator["indicator_id"] == "0-S1")
    flat = build(sat.indicator, {2026: 26.0}, 2026, 2025)  # +0.6 points
    assert slides.moved(flat) == 0.0


def test_keys_are_what_clickers_send():
    # USB presentation clickers send PageDown/PageUp (some arrows, Space/Enter, Home/End): KeyboardEvent.key names.
    forward = {k for k, move in slides.KEYS.items() if move == slides.NEXT}
    back = {k for k, move in slides.KEYS.items() if move == slides.PREVIOUS}
    assert forward == {"ArrowRight", "PageDown", " ", "Enter"}
    assert back == {"ArrowLeft", "PageUp", "Backspace"}
    assert slides.KEYS["Home"] == slides.FIRST and slides.KEYS["End"] == slides.LAST


def test_an_indicator_with_an_actual_but_no_baseline_keeps_its_chart_and_movers_have_results():
    """4-2-K1 has no baseline (—): 80 in R7 is graded − 評価不能 but is a result, not 「実績がまだない」."""
    con = PlanDB(DATA).cursor()
    inds = queries.indicators(con)
    current = pd.DataFrame(
        [
            {"series_id": "4-2-K1", "year": 2025, "value": 80.0, "note": "", "source": ""},
            {"series_id": "0-P1", "year": 2025, "value": 1.2, "note": "", "source": ""},  # moved a lot, in R7 only
        ]
    )
    cells = dashboard.series_cells(current)
    deck = slides.build_deck(
        queries.pillars(con), dashboard.trajectories(inds, cells, 2025, 2025), queries.plan_info(con)
    )
    charted = [i for s in deck if s.kind == slides.INDICATORS for i in s.indicator_ids]
    assert "4-2-K1" in charted
    later = slides.build_deck(
        queries.pillars(con), dashboard.trajectories(inds, cells, 2026, 2025), queries.plan_info(con)
    )
    movers = [i for s in later if s.kind == slides.PILLAR_SUMMARY for i in s.movers]
    assert "1-1-T1" not in movers and "0-P1" not in movers  # no R8 result: it did not move in R8
