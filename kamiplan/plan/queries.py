"""Every SQL statement of kamiplan, as named functions that return frames. Parameters are always bound."""

from __future__ import annotations

import duckdb
import pandas as pd


def plan_info(con: duckdb.DuckDBPyConnection) -> dict:
    """The plan's title, vision and period (one row of ``plan``) as a dict."""
    frame = con.execute("SELECT * FROM plan").df()
    return frame.iloc[0].to_dict()


def pillars(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All 大綱 in order."""
    return con.execute("SELECT * FROM pillars ORDER BY pillar").df()


def policies(con: duckdb.DuckDBPyConnection, pillar: int | None = None) -> pd.DataFrame:
    """基本計画 of one 大綱 (or all)."""
    return con.execute(
        "SELECT * FROM policies WHERE $pillar IS NULL OR pillar = $pillar ORDER BY pillar, policy",
        {"pillar": pillar},
    ).df()


def measures(con: duckdb.DuckDBPyConnection, pillar: int | None = None, policy: int | None = None) -> pd.DataFrame:
    """施策 of one 基本計画, one 大綱, or all."""
    return con.execute(
        """
        SELECT * FROM measures
        WHERE ($pillar IS NULL OR pillar = $pillar) AND ($policy IS NULL OR policy = $policy)
        ORDER BY pillar, policy, measure
        """,
        {"pillar": pillar, "policy": policy},
    ).df()


def indicators(con: duckdb.DuckDBPyConnection, pillar: int | None = None, policy: int | None = None) -> pd.DataFrame:
    """Indicator rows in document order, optionally of one 大綱 / 基本計画 (0 = plan-wide)."""
    return con.execute(
        """
        SELECT * FROM indicators
        WHERE ($pillar IS NULL OR pillar = $pillar) AND ($policy IS NULL OR policy = $policy)
        ORDER BY seq
        """,
        {"pillar": pillar, "policy": policy},
    ).df()


def actions(con: duckdb.DuckDBPyConnection, pillar: int | None = None, policy: int | None = None) -> pd.DataFrame:
    """実施計画 rows in document order, optionally of one 大綱 / 基本計画."""
    return con.execute(
        """
        SELECT * FROM actions
        WHERE ($pillar IS NULL OR pillar = $pillar) AND ($policy IS NULL OR policy = $policy)
        ORDER BY seq
        """,
        {"pillar": pillar, "policy": policy},
    ).df()


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many 大綱, 基本計画, 施策, indicators (series) and projects the plan has."""
    row = con.execute(
        """
        SELECT
          (SELECT count(*) FROM pillars) AS pillars,
          (SELECT count(*) FROM policies) AS policies,
          (SELECT count(*) FROM measures) AS measures,
          (SELECT count(*) FROM indicators) AS indicator_rows,
          (SELECT count(DISTINCT series_id) FROM indicators) AS series,
          (SELECT count(DISTINCT project_id) FROM actions WHERE NOT is_repeat) AS projects
        """
    ).fetchone()
    keys = ("pillars", "policies", "measures", "indicator_rows", "series", "projects")
    return dict(zip(keys, (int(v) for v in row), strict=True))


TAG_FILTERS = ("新規", "拡充", "再掲", "なし")


def filter_actions(
    con: duckdb.DuckDBPyConnection,
    pillar: int | None = None,
    policy: int | None = None,
    measure: int | None = None,
    tags: list[str] | None = None,
    keyword: str = "",
    project: str | None = None,
) -> pd.DataFrame:
    """実施計画 rows matching every given filter, in document order, with their 施策 name.

    ``tags`` is any of 新規 / 拡充 / 再掲 / なし (「新規 (再掲)」 matches 新規 and 再掲); the keyword is
    searched in 事業名 and 概要 (case-insensitive, no wildcards); ``project`` selects one project.
    """
    tags = [t for t in (tags or []) if t in TAG_FILTERS]
    return con.execute(
        """
        SELECT a.*, m.name AS measure_name,
               o.pillar AS repeat_pillar, o.policy AS repeat_policy, o.measure AS repeat_measure
        FROM actions a JOIN measures m USING (pillar, policy, measure)
        LEFT JOIN actions o ON o.action_id = a.repeat_of
        WHERE ($pillar IS NULL OR a.pillar = $pillar)
          AND ($policy IS NULL OR a.policy = $policy)
          AND ($measure IS NULL OR a.measure = $measure)
          AND ($project IS NULL OR a.action_id = $project OR a.project_id = $project)
          AND (len($tags) = 0
               OR (a.is_new AND list_contains($tags, '新規'))
               OR (a.is_expanded AND list_contains($tags, '拡充'))
               OR (a.is_repeat AND list_contains($tags, '再掲'))
               OR (a.tag = '' AND list_contains($tags, 'なし')))
          AND ($keyword = '' OR contains(lower(a.name), lower($keyword)) OR contains(lower(a.summary), lower($keyword)))
        ORDER BY a.seq
        """,
        {
            "pillar": pillar,
            "policy": policy,
            "measure": measure,
            "project": project,
            "tags": tags,
            "keyword": keyword.strip(),
        },
    ).df()
