"""テスト用の架空データ: invented actuals for tests and screenshots. Never written to data/.

Values follow the plan's path with deliberate deviations so that every grade (A, B, C, D, N) appears.
Every note says it is invented.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from kamiplan.model.progress import Spec, expected
from kamiplan.records.actuals_store import ActualsStore, Cell, Change
from kamiplan.records.projects import ProjectChange, ProjectRecord, ProjectStore

LABEL = "テスト用の架空データ(上砂川町の実績ではありません)"
# Multipliers on the distance travelled along the path: > 1 ahead, < 1 behind, < 0 going backwards.
PATTERN = [1.3, 1.0, 0.6, -0.5, None]


def plan_folder(tmp: Path, source: Path, keep_actuals: bool = False) -> Path:
    """A data folder with the plan tables of ``source``, no project records, and no actuals unless
    ``keep_actuals`` (then the actuals of ``source`` and their log, as they are)."""
    tmp.mkdir(parents=True, exist_ok=True)
    for path in source.glob("*.parquet"):
        if not path.name.startswith(("projects",) if keep_actuals else ("actuals", "projects")):
            shutil.copy(path, tmp / path.name)
    return tmp


def synthetic_changes(indicators: pd.DataFrame, years=(2025, 2026)) -> list[Change]:
    changes = []
    for i, row in enumerate(indicators.drop_duplicates("series_id").to_dict("records")):
        factor = PATTERN[i % len(PATTERN)]
        if factor is None:
            continue  # no actual: 評価不能
        spec = Spec.from_row(row)
        for year in years:
            if spec.kind == "cumulative":
                value = max(0.0, round(spec.target / 5 * factor, 1))
            elif spec.baseline is None:
                value = spec.target * 0.5
            else:
                e = expected(spec, year)
                value = spec.baseline + (e - spec.baseline) * factor
                if spec.kind == "maintain":
                    value = spec.target if factor >= 1 else spec.target - (1 if spec.direction == "higher" else -1)
            low, high = row["value_min"], row["value_max"]
            if not pd.isna(low):
                value = max(value, low)
            if not pd.isna(high):
                value = min(value, high)
            changes.append(Change(row["series_id"], year, Cell(round(value, 3), LABEL, "テスト"), Cell()))
    # History before the baseline, drawn as context (invented, like everything here).
    for year, value in ((2015, 3100.0), (2020, 2800.0)):
        changes.append(Change("0-V1", year, Cell(value, LABEL, "テスト"), Cell()))
    return changes


def add_early_value(folder: Path, series_id: str = "0-V1", year: int = 2027) -> ActualsStore:
    """One invented value in a year after the others (as the population of 4月1日 arrives before the year's
    other figures): the latest value recorded for the series, again, in ``year``."""
    store = ActualsStore(folder)
    cells = {y: c for (s, y), c in store.cells().items() if s == series_id}
    value = cells[max(cells)].value
    store.save([Change(series_id, year, Cell(value, LABEL, "テスト"), Cell())], by="テスト", how="form")
    return store


def populate(folder: Path, indicators: pd.DataFrame) -> ActualsStore:
    store = ActualsStore(folder)
    store.save(synthetic_changes(indicators), by="テスト", how="form")
    return store


# Project records: a cycle over statuses, grades and directions so that every word appears.
PROJECT_PATTERN = [
    ("実施", "A", "拡充"),
    ("実施", "B", "継続"),
    ("一部実施", "C", "改善"),
    ("未実施", "D", "継続"),
    ("検討中", "", ""),
    ("完了", "A", "完了"),
    None,  # not entered
]
TEST_DEPARTMENTS = ("テスト課A", "テスト課B")  # invented: the plan names no department


def synthetic_project_changes(actions: pd.DataFrame, years=(2025,)) -> list[ProjectChange]:
    """テスト用の架空データ for every 実施計画 row that is not 再掲 (one in seven left unentered)."""
    changes = []
    own = actions[~actions["is_repeat"].astype(bool)].sort_values("seq")
    for i, row in enumerate(own.to_dict("records")):
        pattern = PROJECT_PATTERN[i % len(PROJECT_PATTERN)]
        if pattern is None:
            continue
        status, grade, direction = pattern
        for year in years:
            budget = float(100 * (i % 9 + 1))
            record = ProjectRecord(
                status=status,
                grade=grade,
                direction=direction,
                budget=budget,
                spent=budget * 0.9 if status != "未実施" else 0.0,
                work=LABEL,
                outcome="テスト用の成果・課題",
                department=TEST_DEPARTMENTS[i % 2],
            )
            changes.append(ProjectChange(key=row["action_id"], year=year, new=record, expected=ProjectRecord()))
    return changes


def populate_projects(folder: Path, actions: pd.DataFrame, years=(2025,)) -> ProjectStore:
    store = ProjectStore(folder)
    store.save(synthetic_project_changes(actions, years), by="テスト", how="form")
    return store


def populated_folder(tmp: Path, source: Path, project_years: tuple[int, ...] = ()) -> Path:
    """A data folder with the committed plan tables, the invented actuals of :func:`populate` and, for
    ``project_years`` (e.g. ``(2025, 2026)``), the invented project records of :func:`populate_projects`."""
    from kamiplan.plan import queries
    from kamiplan.plan.db import PlanDB

    folder = plan_folder(tmp, source)
    con = PlanDB(folder).cursor()
    populate(folder, queries.indicators(con))
    if project_years:
        populate_projects(folder, queries.actions(con), years=project_years)
    return folder
