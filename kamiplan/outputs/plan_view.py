"""Everything the shareable outputs (printable report, offline snapshot) show for one evaluation year.

Read once from the plan tables, the recorded actuals and (when given) the projects' records, then laid out
by :mod:`kamiplan.outputs.print_report` and :mod:`kamiplan.outputs.snapshot`. No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from kamiplan.errors import InputError, Problem
from kamiplan.model import dashboard, project_rollup
from kamiplan.model.trajectory import S_ACTUAL, S_HISTORY, Trajectory
from kamiplan.plan import queries
from kamiplan.plan.periods import year_label

PLAN_WIDE_SECTIONS = ("vision", "population")
SATISFACTION = "satisfaction"


@dataclass(frozen=True)
class PlanView:
    """The plan, its actuals and every indicator's trajectory for one evaluation year."""

    info: dict
    pillars: pd.DataFrame
    policies: pd.DataFrame
    indicators: pd.DataFrame
    actuals: pd.DataFrame
    year: int
    trajectories: tuple[Trajectory, ...]  # one per indicator row, document order
    report: pd.DataFrame  # :func:`kamiplan.model.dashboard.evaluate`
    # Every 実施計画 row with its record of ``year`` (:func:`kamiplan.model.project_rollup.project_table`);
    # None when the caller did not read the projects' records (then the outputs leave the project parts out).
    projects: pd.DataFrame | None = None

    @property
    def start_year(self) -> int:
        return int(self.info["start_year"])

    @property
    def end_year(self) -> int:
        return int(self.info["end_year"])

    def period_text(self) -> str:
        return f"{year_label(self.start_year)}〜{year_label(self.end_year)}年度"

    def select(self, *, pillar: int | None = None, policy: int | None = None, sections=None) -> list[Trajectory]:
        """Trajectories of one 大綱 / 基本計画 / group of sections, in document order."""
        out = []
        for traj in self.trajectories:
            ind = traj.indicator
            if pillar is not None and int(ind["pillar"]) != pillar:
                continue
            if policy is not None and int(ind["policy"]) != policy:
                continue
            if sections is not None and ind["section"] not in sections:
                continue
            out.append(traj)
        return out

    def plan_wide(self) -> list[Trajectory]:
        return self.select(pillar=0, sections=PLAN_WIDE_SECTIONS)

    def satisfaction(self) -> list[Trajectory]:
        return self.select(pillar=0, sections=(SATISFACTION,))

    def pillar_policies(self, pillar: int) -> pd.DataFrame:
        return self.policies[self.policies["pillar"] == pillar]

    def rollup(self, by: str, pillar: int | None = None) -> pd.DataFrame:
        """Grade roll-up table per 大綱 (``by="pillar"``) or per 基本計画 (optionally of one 大綱)."""
        report = self.report if pillar is None else self.report[self.report["pillar"] == pillar]
        counts = dashboard.grade_counts(report, by, self.pillars, self.policies)
        return dashboard.rollup_table(counts)

    def rollup_counts(self, by: str = "pillar") -> pd.DataFrame:
        return dashboard.grade_counts(self.report, by, self.pillars, self.policies)

    @property
    def has_project_records(self) -> bool:
        """Whether any 実施計画 row has a record for the evaluation year."""
        return self.projects is not None and bool(self.projects["entered"].any())

    def projects_of(self, pillar: int | None = None, policy: int | None = None) -> pd.DataFrame:
        """The year's project table, of one 大綱 / 基本計画 (all rows, 再掲 included, document order)."""
        if self.projects is None:
            raise ValueError("この PlanView は事業の記録なしで作られました(load の projects)")
        table = self.projects
        if pillar is not None:
            table = table[table["pillar"] == pillar]
        if policy is not None:
            table = table[table["policy"] == policy]
        return table

    def project_rollup(self, by: tuple[str, ...] = ("pillar",), pillar: int | None = None) -> pd.DataFrame:
        """:func:`kamiplan.model.project_rollup.rollup` of the year's records (optionally of one 大綱)."""
        return project_rollup.rollup(self.projects_of(pillar), by)

    def related_policy(self, traj: Trajectory) -> str:
        """The 基本計画 a 満足度 item belongs to (kamiplan's judgement, from indicators.csv), or ''."""
        ind = traj.indicator
        pillar, policy = ind.get("related_pillar"), ind.get("related_policy")
        if pillar is None or pd.isna(pillar) or policy is None or pd.isna(policy):
            return ""
        return dashboard.group_label(int(pillar), int(policy), self.pillars, self.policies)


def notes_of(traj: Trajectory) -> list[tuple[int, str, str]]:
    """(year, note, source) of every recorded value that has a note, a source or an unusual date, oldest first.

    A value recorded for an unusual day (国勢調査 10月1日 in a 4月1日 series) says so before its note.
    """
    recorded = sorted((p for p in traj.point_dicts() if p["series"] in (S_ACTUAL, S_HISTORY)), key=lambda p: p["year"])
    out = []
    for r in recorded:
        note = "・".join(t for t in (str(r["as_of"]).strip(), str(r["note"]).strip()) if t)
        if note or str(r["source"]).strip():
            out.append((int(r["year"]), note, str(r["source"])))
    return out


def load(
    con: duckdb.DuckDBPyConnection, actuals: pd.DataFrame, year: int, projects: pd.DataFrame | None = None
) -> PlanView:
    """Read the plan and evaluate every indicator for ``year``.

    Parameters
    ----------
    con : DuckDB cursor over the plan tables
    actuals : DataFrame
        Recorded actuals (:meth:`kamiplan.records.actuals_store.ActualsStore.current`).
    year : int
        Evaluation year; must lie in the plan period.
    projects : DataFrame, optional
        The projects' records of every year (:meth:`kamiplan.records.projects.ProjectStore.current`; empty
        when nothing was entered). Left out, the view has no project table and the outputs show no project part.

    Returns
    -------
    PlanView

    Raises
    ------
    InputError
        When ``year`` is outside the plan period.
    """
    info = queries.plan_info(con)
    start, end = int(info["start_year"]), int(info["end_year"])
    if not start <= year <= end:
        raise InputError(
            [
                Problem(
                    f"評価年度は計画期間({year_label(start)}〜{year_label(end)}年度)の中で指定してください",
                    column="年度",
                    value=str(year),
                )
            ]
        )
    indicators = queries.indicators(con)
    cells = dashboard.series_cells(actuals)
    trajectories = tuple(dashboard.trajectories(indicators, cells, year, start))
    return PlanView(
        info=info,
        pillars=queries.pillars(con),
        policies=queries.policies(con),
        indicators=indicators,
        actuals=actuals,
        year=year,
        trajectories=trajectories,
        report=dashboard.evaluate(indicators, actuals, year, start),
        projects=None if projects is None else project_rollup.project_table(queries.actions(con), projects, year),
    )
