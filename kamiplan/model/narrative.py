"""Plain Japanese for residents: one sentence per indicator, telling the same story as its grade.

Survey rates (満足度 and other アンケート-based percentages) move by a few points from sampling alone. The
grade already counts a result within the band (default ±3 points, ``KAMIPLAN_SURVEY_BAND``) of the path
as 順調(誤差の範囲) (:mod:`kamiplan.model.progress`); the sentence explains that, and may mention the change
from the previous survey — as a number, never calling the result 横ばい when its grade says 遅れ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kamiplan.model.progress import CUMULATIVE, MAINTAIN, Spec, better, survey_band
from kamiplan.model.trajectory import S_ACTUAL, S_HISTORY, Trajectory
from kamiplan.plan.periods import year_label

__all__ = ["Change", "headline", "latest_change", "number", "sentence", "survey_band"]

TREND_UP = "改善"
TREND_DOWN = "悪化"
TREND_FLAT = "横ばい"


def number(value: float, unit: str = "") -> str:
    """``2,020人``, ``74%``, ``1.35``, ``▲17人`` (minus written ▲ as in the plan)."""
    text = f"{abs(value):,.2f}".rstrip("0").rstrip(".")
    sign = "▲" if value < 0 and text != "0" else ""
    return f"{sign}{text}{unit}"


@dataclass(frozen=True)
class Change:
    """How the latest value moved from the one before it (or from the baseline)."""

    trend: str  # 改善 / 悪化 / 横ばい
    delta: float
    since_year: int
    within_band: bool


def latest_change(traj: Trajectory, band: float | None = None) -> Change | None:
    """The movement of the latest actual up to the evaluation year, judged with the survey band.

    Non-survey indicators have no band: any change in the good direction is 改善.
    """
    ind = traj.indicator
    # From the points' tuples (a slide deck asks this twice per indicator: a frame each time cost ~2 ms).
    field = "yearly" if ind["kind"] == CUMULATIVE else "value"
    recorded = sorted(
        (p for p in traj.point_dicts() if p["series"] in (S_ACTUAL, S_HISTORY) and p["year"] <= traj.year),
        key=lambda p: p["year"],
    )
    values = [(p["year"], math.nan if p[field] is None else p[field]) for p in recorded]
    baseline = ind.get("baseline_value")
    if ind["kind"] != CUMULATIVE and baseline is not None and not math.isnan(baseline):
        values = [(int(ind["baseline_year"]), float(baseline))] + [
            (y, v) for y, v in values if y > ind["baseline_year"]
        ]
    if len(values) < 2:
        return None
    (y0, v0), (_, v1) = values[-2], values[-1]
    delta = float(v1) - float(v0)
    width = (band if band is not None else survey_band()) if ind.get("survey") else 0.0
    if abs(delta) < width or delta == 0:
        return Change(TREND_FLAT, delta, int(y0), within_band=abs(delta) < width)
    good = better(float(v1), float(v0), ind["direction"])
    return Change(TREND_UP if good else TREND_DOWN, delta, int(y0), within_band=False)


def sentence(traj: Trajectory, band: float | None = None) -> str:
    """One sentence a resident understands, from the grade and the numbers.

    Examples: 「目標 2,020人に向けて、計画どおりのペースです。」 「目標の100%を維持しています。」
    """
    ind = traj.indicator
    unit = ind["unit"]
    spec = Spec.from_row(ind)
    target = ind["target_label"] if ind["kind"] == "relative" else number(spec.target, unit)
    ev = traj.evaluation
    grade = ev.grade
    if ev.actual is None:
        return f"{year_label(traj.year)}年度の実績はまだありません(目標 {target})。"
    actual = number(ev.actual, unit)
    total = "累計 " if ind["kind"] == CUMULATIVE else ""
    width = band if band is not None else survey_band()
    since = _since_previous_survey(traj, band) if ind.get("survey") else ""
    if grade == "B" and ev.within_band and ev.expected is not None:
        # Short enough for a slide: the comparison that makes it 順調, not the history (that is on the chart).
        return f"{actual}で、計画線({number(ev.expected, unit)})との差は調査の誤差±{number(width)}ポイントの範囲です(目標 {target})。"
    # Behind the path beyond the band: 遅れ, with the change since the last survey as a number only.
    return _grade_sentence(traj, spec, grade, ev, target, actual, total) + (since if grade in ("C", "D") else "")


def _since_previous_survey(traj: Trajectory, band: float | None) -> str:
    """「前回の R6(2024)から −1.2ポイント。」: the change, as a number only.

    Said beside 遅れ: no 横ばい and no 「誤差の範囲」 (the words of ○ 順調(誤差の範囲)) in the same sentence.
    """
    change = latest_change(traj, band)
    if change is None:
        return ""
    sign = "+" if change.delta > 0 else ("−" if change.delta < 0 else "±")
    return f"前回の{year_label(change.since_year)}から{sign}{number(abs(change.delta))}ポイント。"


def _grade_sentence(traj: Trajectory, spec: Spec, grade: str, ev, target: str, actual: str, total: str) -> str:
    if grade == "A":
        if spec.kind == MAINTAIN:
            return f"目標の{target}を維持しています。"
        return f"{total}{actual}で、目標 {target}を達成しています。"
    if grade == "B":
        ahead = (
            ev.expected is not None
            and better(ev.actual, ev.expected, spec.direction)
            and abs(ev.actual - ev.expected) > 1e-9
        )
        pace = "計画を上回るペースです" if ahead else "計画どおりのペースです"
        return f"目標 {target}に向けて、{pace}({total}{actual})。"
    if grade == "C":
        return f"目標 {target}に向けて進んでいますが、計画のペースより少し遅れています({total}{actual})。"
    if grade == "D":
        if spec.kind == MAINTAIN:
            return f"目標の{target}を維持できていません({actual})。"
        return f"計画のペースより遅れています({total}{actual}、目標 {target})。"
    if spec.baseline is None:
        return f"{actual}で、目標 {target}にはまだ届いていません(基準値がないため、計画線はありません)。"
    return f"{actual}(目標 {target})。"


def headline(traj: Trajectory, band: float | None = None) -> str:
    """The short label shown before the sentence: the grade with its symbol and word, as on the badge
    (``○ 順調(誤差の範囲)`` for a survey result within the sampling band of the path)."""
    return traj.grade_text
