"""The deck of the town-meeting presentation (発表モード), as data: used by the page and the snapshot.

Slides: title (将来像, plan period) → plan-wide targets → 満足度 → for each 大綱 a summary (grade
roll-up and the indicators that moved most), its indicators, two per slide, and 「事業の実施状況」
→ closing. Indicators without an actual for the evaluation year are listed together on one slide per
section instead of taking chart slides of their own, so the deck is no longer than it needs to be (an
indicator graded − 評価不能 for want of a baseline, but with an actual, keeps its chart).

事業の実施状況 (one slide per 大綱, after its indicator slides): the 大綱's projects counted by 評価
(A–D and 未評価) and its 新規 projects with their 実施状況. When no project has a record for the
evaluation year, the deck has no project slide at all — four slides saying 「まだ入力されていません」
would be noise in a town meeting — and the title slide says in one line that the project part is left
out and why (:attr:`Slide.note`). When some 大綱 has records and another has none, every 大綱 keeps its
slide and the empty one says so: the audience sees which part is missing, not a gap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from kamiplan import labels
from kamiplan.model import project_rollup
from kamiplan.model.narrative import TREND_FLAT, latest_change
from kamiplan.model.trajectory import Trajectory
from kamiplan.plan.periods import year_label

TITLE = "title"
PLAN_WIDE = "plan_wide"
SATISFACTION = "satisfaction"
PILLAR_SUMMARY = "pillar_summary"
INDICATORS = "indicators"
NO_ACTUALS = "no_actuals"  # the indicators of a section without an actual yet, listed on one slide
PROJECTS = "projects"  # 事業の実施状況 of one 大綱
CLOSING = "closing"
PER_SLIDE = 2  # charts per slide: large enough to read from the back of a hall
MOVERS = 3
# The 新規 list of a project slide: at most NEW_LINES lines in the slide's large type (a name longer than
# NAME_CHARS characters takes two); when more would be needed, the first ones and 「ほか M件」 on the last line.
# Measured: 14 lines fit the list's column on the 1920×1080 stage and in 発表モード at 1280×720.
NEW_LINES = 14
NAME_CHARS = 28


@dataclass(frozen=True)
class ProjectSummary:
    """What a 「事業の実施状況」 slide shows for one 大綱 (再掲 rows counted once, where the original is)."""

    projects: int  # rows evaluated (再掲 excluded)
    entered: int  # rows with a record for the year
    grades: tuple[tuple[str, int], ...]  # ("A", n) … ("D", n), then ("", n) = 未評価
    new: tuple[tuple[str, str], ...]  # (事業名, 実施状況 or 未入力) of the 新規 projects shown, document order
    new_total: int
    new_started: int  # 新規 whose 実施状況 is 実施・一部実施・完了
    more: int = 0  # 新規 projects not shown (「ほか M件」)


@dataclass(frozen=True)
class Slide:
    number: int  # 1-based, as in ?slide=N
    kind: str
    title: str
    subtitle: str = ""
    pillar: int = 0
    indicator_ids: tuple[str, ...] = ()
    movers: tuple[str, ...] = field(default=())  # pillar summary: the indicators that moved most
    projects: ProjectSummary | None = None  # PROJECTS slides
    note: str = ""  # title slide: what the deck leaves out (no project records for the year)


def _lines(name: str) -> int:
    return max(1, -(-len(name) // NAME_CHARS))


def project_summary(table: pd.DataFrame, lines: int = NEW_LINES) -> ProjectSummary:
    """The 事業の実施状況 of the rows of ``table`` (one 大綱 of :func:`project_rollup.project_table`).

    The 新規 list keeps within ``lines`` lines: if all of them do not fit, the first ones that leave a line
    for 「ほか M件」.
    """
    own = table[~table["is_repeat"].astype(bool)]
    row = project_rollup.counts(own)
    grades = tuple((g, int(row[f"grade_{g}"])) for g in labels.PROJECT_GRADES) + (("", int(row["grade_none"])),)
    new = [
        (str(r.name), str(r.status) or labels.PROJECT_NOT_ENTERED)
        for r in project_rollup.new_projects(table).itertuples()
    ]
    shown = new
    if sum(_lines(n) for n, _ in new) > lines:
        shown, used = [], 1  # one line for 「ほか M件」
        for item in new:
            if used + _lines(item[0]) > lines:
                break
            shown.append(item)
            used += _lines(item[0])
    return ProjectSummary(
        projects=int(row["projects"]),
        entered=int(row["entered"]),
        grades=grades,
        new=tuple(shown),
        new_total=len(new),
        new_started=int(row["new_started"]),
        more=len(new) - len(shown),
    )


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


def build_deck(
    pillars: pd.DataFrame, trajectories: list[Trajectory], plan: dict, projects: pd.DataFrame | None = None
) -> list[Slide]:
    """All slides in order.

    Parameters
    ----------
    pillars : DataFrame
        Rows of ``pillars.parquet``.
    trajectories : list of Trajectory
        One per indicator row (document order), for the evaluation year.
    plan : dict
        The row of ``plan.parquet``.
    projects : DataFrame, optional
        The year's project table (:func:`kamiplan.model.project_rollup.project_table`). Left out, the deck
        has no project slides and says nothing about projects; given with no record for the year, the
        deck has no project slides and the title slide's ``note`` says so (see the module docstring).

    Returns
    -------
    list of Slide
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

    with_projects = projects is not None and bool(projects["entered"].any())
    note = (
        labels.PROJECT_SLIDES_OMITTED.format(year=year_label(year))
        if projects is not None and not with_projects
        else ""
    )
    add(
        TITLE,
        f"将来像「{plan['vision']}」",
        subtitle=f"{plan['title']} 進捗状況({year_label(year)}年度)",
        note=note,
    )
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
        if with_projects:
            summary = project_summary(projects[projects["pillar"] == p.pillar])
            add(
                PROJECTS,
                f"大綱{p.pillar} {labels.PROJECT_PART_TITLE}",
                subtitle=f"{p.short_name} ・ {year_label(year)}年度 ・ "
                + labels.PROJECT_ENTERED.format(n=summary.projects, entered=summary.entered),
                pillar=int(p.pillar),
                projects=summary,
            )
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
