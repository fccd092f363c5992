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
