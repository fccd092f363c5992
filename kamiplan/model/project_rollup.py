"""事業の実施状況: the projects' records of one year, joined to the plan's 実施計画 rows and rolled up.

The unit of evaluation is one row of a 実施計画 table (``action_id``; 186 rows besides the 10 再掲).
A 再掲 row shows its original's record but is counted once, where the original is; a continuation
row (the 9 rows of 保護者負担の軽減) is evaluated on its own and belongs to its project
(``project_id``). No composite score is made: the roll-up is counts and sums only (issue 13: 「no
invented composite score」), the form the 総合戦略 効果検証 of Japanese municipalities reports to
its 外部有識者会議.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kamiplan import labels
from kamiplan.records.projects import PROJECTS

FIELDS = PROJECTS.field_names  # status, grade, direction, budget, spent, work, outcome, department
STARTED = ("実施", "一部実施", "完了")  # a 新規 project has started when its 実施状況 is one of these
NOT_GRADED = "未評価"
NOT_ENTERED = labels.PROJECT_NOT_ENTERED  # 未入力


def project_table(actions: pd.DataFrame, current: pd.DataFrame, year: int) -> pd.DataFrame:
    """Every 実施計画 row with its record of ``year`` (a 再掲 row with its original's).

    Parameters
    ----------
    actions : DataFrame
        The plan's 実施計画 rows (:func:`kamiplan.plan.queries.actions`), 196 rows.
    current : DataFrame
        The projects' current records (:meth:`kamiplan.records.projects.ProjectStore.current`):
        action_id, year and the record fields.
    year : int
        The fiscal year (2025 = R7).

    Returns
    -------
    DataFrame
        ``actions``'s rows and columns in document order, plus the record fields (``""`` / NaN when
        not entered), ``recorded_on`` (the action_id whose record is shown: the row's own, or its
        original's for a 再掲 row) and ``entered`` (bool: a record exists for the year).
    """
    of_year = current[current["year"] == year] if len(current) else current
    by_id = {str(r["action_id"]): r for r in of_year.to_dict("records")}
    out = actions.copy()
    out["recorded_on"] = [
        str(r.repeat_of) if r.is_repeat and r.repeat_of else str(r.action_id) for r in actions.itertuples()
    ]
    for name, typ in PROJECTS.fields:
        numeric = str(typ).startswith("double")
        out[name] = [by_id.get(key, {}).get(name, float("nan") if numeric else "") for key in out["recorded_on"]]
        if numeric:
            out[name] = out[name].astype("float64")
        else:
            out[name] = out[name].fillna("").astype(str)
    out["entered"] = out["recorded_on"].isin(by_id)
    return out


def rollup(table: pd.DataFrame, by: Sequence[str] = ("pillar",)) -> pd.DataFrame:
    """Counts and sums of the year's project records per group (再掲 rows left out: counted once).

    Parameters
    ----------
    table : DataFrame
        :func:`project_table`'s result (or a part of it).
    by : sequence of str
        Grouping columns: ``("pillar",)``, ``("pillar", "policy")`` or ``("pillar", "policy", "measure")``.

    Returns
    -------
    DataFrame
        One row per group in plan order with ``projects`` (rows evaluated, 再掲 excluded), ``entered``,
        ``grade_A`` … ``grade_D`` and ``grade_none`` (未評価), ``status_<word>`` for each of
        :data:`kamiplan.labels.PROJECT_STATUSES` and ``status_none`` (未入力), ``budget`` and ``spent``
        (千円, sums of the entered amounts; NaN when none was entered), ``budget_count`` and
        ``spent_count`` (how many amounts were summed), ``new`` (新規 rows) and ``new_started``
        (新規 rows whose 実施状況 is 実施・一部実施・完了).
    """
    own = table[~table["is_repeat"].astype(bool)]
    rows = []
    for keys, part in own.groupby(list(by), sort=True):
        keys = keys if isinstance(keys, tuple) else (keys,)
        row = dict(zip(by, (int(k) for k in keys), strict=True))
        row |= counts(part)
        rows.append(row)
    columns = [*by, *_COUNT_COLUMNS]
    return pd.DataFrame(rows, columns=columns)


def counts(part: pd.DataFrame) -> dict:
    """The counts and sums of :func:`rollup` for one group of rows (再掲 rows already left out)."""
    grades = part["grade"].fillna("")
    statuses = part["status"].fillna("")
    row: dict = {"projects": len(part), "entered": int(part["entered"].sum())}
    for letter in labels.PROJECT_GRADES:
        row[f"grade_{letter}"] = int((grades == letter).sum())
    row["grade_none"] = int((grades == "").sum())
    for word in labels.PROJECT_STATUSES:
        row[f"status_{word}"] = int((statuses == word).sum())
    row["status_none"] = int((statuses == "").sum())
    for name in ("budget", "spent"):
        values = part[name].dropna()
        row[name] = float(values.sum()) if len(values) else float("nan")
        row[f"{name}_count"] = len(values)
    new = part[part["is_new"].astype(bool)]
    row["new"] = len(new)
    row["new_started"] = int(new["status"].isin(STARTED).sum())
    return row


_COUNT_COLUMNS = list(
    counts(
        pd.DataFrame(
            {
                "grade": pd.Series(dtype=str),
                "status": pd.Series(dtype=str),
                "entered": pd.Series(dtype=bool),
                "budget": pd.Series(dtype=float),
                "spent": pd.Series(dtype=float),
                "is_new": pd.Series(dtype=bool),
            }
        )
    )
)


def grade_counts_long(summary: pd.Series | dict) -> pd.DataFrame:
    """One roll-up row as (評価, 件数) for a bar chart: A–D then 未評価, with the label words.

    Returns
    -------
    DataFrame
        Columns ``grade`` (A, B, C, D, "") ``label`` (「A 計画どおり以上」, 「未評価」) and ``count``.
    """
    rows = [
        {"grade": letter, "label": f"{letter} {words}", "count": int(summary[f"grade_{letter}"])}
        for letter, words in labels.PROJECT_GRADES.items()
    ]
    rows.append({"grade": "", "label": NOT_GRADED, "count": int(summary["grade_none"])})
    return pd.DataFrame(rows)


def status_counts_long(summary: pd.Series | dict) -> pd.DataFrame:
    """One roll-up row as (実施状況, 件数): the seven words then 未入力."""
    rows = [{"status": w, "count": int(summary[f"status_{w}"])} for w in labels.PROJECT_STATUSES]
    rows.append({"status": NOT_ENTERED, "count": int(summary["status_none"])})
    return pd.DataFrame(rows)


def new_projects(table: pd.DataFrame) -> pd.DataFrame:
    """The 新規 rows (再掲 left out) with their 実施状況 and 評価, in document order (for slides and pages)."""
    own = table[~table["is_repeat"].astype(bool) & table["is_new"].astype(bool)]
    return own.sort_values("seq")
