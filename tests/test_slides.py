"""The presentation deck: order, numbering, every indicator shown once, summaries with movers."""

from __future__ import annotations

import pandas as pd
import pytest

from kamiplan import dashboard, queries, slides
from kamiplan.db import PlanDB
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
    assert len(items) == 30


def test_every_indicator_on_exactly_one_chart_slide(deck):
    items, trajs = deck
    shown = [
        i
        for s in items
        if s.kind in (slides.PLAN_WIDE, slides.SATISFACTION, slides.INDICATORS)
        for i in s.indicator_ids
    ]
    assert sorted(shown) == sorted(t.indicator["indicator_id"] for t in trajs)
    assert all(len(s.indicator_ids) <= slides.PER_SLIDE for s in items if s.kind != slides.PILLAR_SUMMARY)


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
    from kamiplan.trajectory import build

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
