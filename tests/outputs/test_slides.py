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


# -- 事業の実施状況 ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def project_deck(deck):
    """The deck of :func:`deck` with テスト用の架空データ of 事業の評価 for R8(2026)."""
    from kamiplan.model.project_rollup import project_table
    from kamiplan.records.projects import PROJECTS
    from tests.synthetic import synthetic_project_changes

    con = PlanDB(DATA).cursor()
    actions = queries.actions(con)
    changes = synthetic_project_changes(actions, years=(2026,))
    current = pd.DataFrame(
        [{"action_id": c.key, "year": c.year} | vars(c.new) for c in changes],
        columns=["action_id", "year", *PROJECTS.field_names],
    )
    table = project_table(actions, current, 2026)
    _, trajs = deck
    return slides.build_deck(queries.pillars(con), trajs, queries.plan_info(con), table), table


def test_one_project_slide_per_pillar_after_its_indicators(project_deck, deck):
    items, _ = project_deck
    without, _ = deck
    projects = [s for s in items if s.kind == slides.PROJECTS]
    assert [s.pillar for s in projects] == [1, 2, 3, 4]
    assert len(items) == len(without) + 4 and items[0].note == ""
    for s in projects:
        before, after = items[s.number - 2], items[s.number]
        assert before.pillar == s.pillar and before.kind in (slides.INDICATORS, slides.NO_ACTUALS)
        assert after.kind in (slides.PILLAR_SUMMARY, slides.CLOSING)
        assert s.title == f"大綱{s.pillar} 事業の実施状況" and "R8(2026)年度" in s.subtitle
    assert [s.number for s in items] == list(range(1, len(items) + 1))


def test_project_slide_counts_are_the_rollup(project_deck):
    from kamiplan.model.project_rollup import new_projects, rollup

    items, table = project_deck
    whole = rollup(table, ("pillar",)).set_index("pillar")
    for s in (s for s in items if s.kind == slides.PROJECTS):
        row = whole.loc[s.pillar]
        summary = s.projects
        assert dict(summary.grades) == {
            "A": row["grade_A"],
            "B": row["grade_B"],
            "C": row["grade_C"],
            "D": row["grade_D"],
            "": row["grade_none"],
        }
        assert sum(n for _, n in summary.grades) == summary.projects == row["projects"]
        assert (summary.entered, summary.new_total, summary.new_started) == (
            row["entered"],
            row["new"],
            row["new_started"],
        )
        new = new_projects(table[table["pillar"] == s.pillar])
        assert [n for n, _ in summary.new] == new["name"].tolist()[: len(summary.new)]
        assert len(summary.new) + summary.more == len(new)
        assert all(status for _, status in summary.new)  # a blank 実施状況 is said: 「未入力」
    first = next(s for s in items if s.kind == slides.PROJECTS and s.pillar == 1).projects
    assert first.new_total == 13 and first.more == 0  # all 13 新規 of 大綱1 fit
    assert ("子ども家庭センター設置事業", "実施") in first.new


def test_too_many_new_projects_end_with_how_many_more():
    from kamiplan.model.project_rollup import project_table
    from kamiplan.records.projects import PROJECTS

    actions = queries.actions(PlanDB(DATA).cursor())
    table = project_table(actions, pd.DataFrame(columns=["action_id", "year", *PROJECTS.field_names]), 2026)
    one = table[table["pillar"] == 1].assign(is_new=True)
    summary = slides.project_summary(one)
    assert len(summary.new) == slides.NEW_LINES - 1 and summary.more == 102 - (slides.NEW_LINES - 1)
    assert {status for _, status in summary.new} == {"未入力"}
    long = one.assign(name="成年後見制度利用促進地域連携ネットワーク構築事業" * 2)  # 48 characters: two lines each
    summary = slides.project_summary(long)
    assert len(summary.new) == (slides.NEW_LINES - 1) // 2 and summary.more == 102 - len(summary.new)
    few = one.head(5)
    assert slides.project_summary(few).more == 0 and len(slides.project_summary(few).new) == 5


def test_no_project_slides_when_nothing_was_entered_for_the_year(deck):
    from kamiplan.model.project_rollup import project_table
    from kamiplan.records.projects import PROJECTS

    con = PlanDB(DATA).cursor()
    _, trajs = deck
    empty = project_table(
        queries.actions(con), pd.DataFrame(columns=["action_id", "year", *PROJECTS.field_names]), 2026
    )
    items = slides.build_deck(queries.pillars(con), trajs, queries.plan_info(con), empty)
    assert not [s for s in items if s.kind == slides.PROJECTS]
    assert items[0].note == "R8(2026)年度の事業の評価はまだ入力されていないため、事業の実施状況のスライドはありません。"
    old = slides.build_deck(queries.pillars(con), trajs, queries.plan_info(con))  # projects not read: not mentioned
    assert [s.kind for s in old] == [s.kind for s in items] and old[0].note == ""
