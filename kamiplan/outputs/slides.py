"""The deck of the town-meeting presentation (発表モード), as data: used by the page and the snapshot.

Slides: title (将来像, plan period) → plan-wide targets → 満足度 → for each 大綱 a summary (grade
roll-up and the indicators that moved most) and its indicators, two per slide → closing. Indicators
without an actual for the evaluation year are listed together on one slide per section instead of
taking chart slides of their own, so the deck is no longer than it needs to be (an indicator graded
− 評価不能 for want of a baseline, but with an actual, keeps its chart).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from kamiplan.model.narrative import TREND_FLAT, latest_change
from kamiplan.model.trajectory import Trajectory
from kamiplan.plan.periods import year_label

TITLE = "title"
PLAN_WIDE = "plan_wide"
SATISFACTION = "satisfaction"
PILLAR_SUMMARY = "pillar_summary"
INDICATORS = "indicators"
NO_ACTUALS = "no_actuals"  # the indicators of a section without an actual yet, listed on one slide
CLOSING = "closing"
PER_SLIDE = 2  # charts per slide: large enough to read from the back of a hall
MOVERS = 3


@dataclass(frozen=True)
class Slide:
    number: int  # 1-based, as in ?slide=N
    kind: str
    title: str
    subtitle: str = ""
    pillar: int = 0
    indicator_ids: tuple[str, ...] = ()
    movers: tuple[str, ...] = field(default=())  # pillar summary: the indicators that moved most


def moved(traj: Trajectory) -> float:
    """How far the latest change went, as a share of the whole planned change (0 when within the band)."""
    change = latest_change(traj)
    if change is None or change.trend == TREND_FLAT:
        return 0.0
    ind = traj.indicator
    span = abs(float(ind["target_value"]) - float(ind["baseline_value"])) if not pd.isna(ind["baseline_value"]) else 0.0
    if not span or math.isnan(span):
        span = abs(float(ind["target_value"])) or 1.0
    return abs(change.delta) / span


def build_deck(pillars: pd.DataFrame, trajectories: list[Trajectory], plan: dict) -> list[Slide]:
    """All slides in order.

    Parameters
    ----------
    pillars : DataFrame
        Rows of ``pillars.parquet``.
    trajectories : list of Trajectory
        One per indicator row (document order), for the evaluation year.
    plan : dict
        The row of ``plan.parquet``.
    """
    by_section: dict[str, list[Trajectory]] = {}
    for t in trajectories:
        key = t.indicator["section"] if t.indicator["pillar"] == 0 else f"pillar{t.indicator['pillar']}"
        by_section.setdefault(key, []).append(t)
    slides: list[Slide] = []

    def add(kind: str, title: str, **kw) -> None:
        slides.append(Slide(number=len(slides) + 1, kind=kind, title=title, **kw))

    year = trajectories[0].year if trajectories else int(plan["start_year"])

    def charts_and_list(kind: str, title: str, items: list[Trajectory], **kw) -> None:
        recorded = [t for t in items if t.evaluation.actual is not None]
        for i in range(0, len(recorded), PER_SLIDE):
            ids = tuple(t.indicator["indicator_id"] for t in recorded[i : i + PER_SLIDE])
            add(kind, title, indicator_ids=ids, **kw)
        waiting = [t for t in items if t.evaluation.actual is None]
        if waiting:
            add(
                NO_ACTUALS,
                title,
                subtitle=f"{year_label(year)}年度の実績がまだない指標",
                indicator_ids=tuple(t.indicator["indicator_id"] for t in waiting),
                **kw,
            )

    add(TITLE, f"将来像「{plan['vision']}」", subtitle=f"{plan['title']} 進捗状況({year_label(year)}年度)")
    charts_and_list(PLAN_WIDE, "計画全体の目標", by_section.get("vision", []) + by_section.get("population", []))
    charts_and_list(SATISFACTION, "町民アンケートの満足度", by_section.get("satisfaction", []))
    for p in pillars.itertuples():
        items = by_section.get(f"pillar{p.pillar}", [])
        # Only what has a result in the evaluation year can have "moved" in it.
        ranked = sorted(
            (t for t in items if t.evaluation.actual is not None and moved(t) > 0), key=moved, reverse=True
        )[:MOVERS]
        add(
            PILLAR_SUMMARY,
            f"大綱{p.pillar} {p.short_name}",
            subtitle=p.fields,
            pillar=int(p.pillar),
            indicator_ids=tuple(t.indicator["indicator_id"] for t in items),
            movers=tuple(t.indicator["indicator_id"] for t in ranked),
        )
        charts_and_list(INDICATORS, f"大綱{p.pillar} {p.short_name}", items, pillar=int(p.pillar))
    add(CLOSING, "ご清聴ありがとうございました", subtitle=f"{plan['title']} / {plan['strategy_title']}")
    return slides


# What a presenter's USB clicker (and a keyboard) sends, as ``KeyboardEvent.key``, and where it leads.
NEXT, PREVIOUS, FIRST, LAST = "next", "previous", "first", "last"
KEYS = {
    "ArrowRight": NEXT,
    "PageDown": NEXT,
    " ": NEXT,
    "Enter": NEXT,
    "ArrowLeft": PREVIOUS,
    "PageUp": PREVIOUS,
    "Backspace": PREVIOUS,
    "Home": FIRST,
    "End": LAST,
}
