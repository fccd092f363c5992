"""One DuckDB connection over the data folder's parquet tables.

The plan tables are loaded once into in-memory DuckDB tables (they change only when ``build-data``
runs). A DuckDB connection is not thread-safe: share one :class:`PlanDB` and take :meth:`PlanDB.cursor`
per script run or thread.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from kamiplan.errors import fail
from kamiplan.plan.schema import TABLES


class PlanDB:
    """The plan tables of one data folder, loaded into an in-memory DuckDB database."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        missing = [name for name in TABLES if not (self.data_dir / f"{name}.parquet").exists()]
        if missing:
            raise fail(
                "計画のテーブルがありません: "
                + "、".join(f"{m}.parquet" for m in missing)
                + "。`python -m kamiplan build-data` で作成してください",
                self.data_dir,
            )
        # DuckDB's allocator keeps what concurrent queries (one per session) freed until its next query;
        # with background threads it gives it back meanwhile (in process, 10 threads × 3 reads of the
        # 4,240 事業: 49 MB kept → 12 MB a few seconds later; BENCHMARKS.md).
        self.con = duckdb.connect(":memory:", config={"allocator_background_threads": True})
        for name in TABLES:
            # Table names come from the fixed schema list, never from input; the path is a bound parameter.
            self.con.execute(
                f"CREATE TABLE {name} AS SELECT * FROM read_parquet($path)",
                {"path": str(self.data_dir / f"{name}.parquet")},
            )

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one script run or thread."""
        return self.con.cursor()

    def close(self) -> None:
        self.con.close()
