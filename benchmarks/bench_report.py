"""Benchmark of ``kamiplan report`` on the whole plan (issue 3). Not a test: it prints medians.

Synthetic actuals (clearly labelled, written to a temp folder, never to data/) give every indicator a
value for 2025 and 2026, so every row is evaluated. Two measurements, each against a reference taken
in the same run, alternating:

- in process: build the report and its CSV (reference: reading the indicators table with DuckDB);
- command line: ``python -m kamiplan report --format csv`` (reference: ``python -c "import pandas, duckdb"``,
  the import floor every command pays).

Usage: ``.venv/bin/python benchmarks/bench_report.py [--repeat 15]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kamiplan.model.progress import Spec, expected  # noqa: E402
from kamiplan.outputs import report  # noqa: E402
from kamiplan.paths import DEFAULT_DATA_DIR  # noqa: E402
from kamiplan.plan import queries  # noqa: E402
from kamiplan.plan.db import PlanDB  # noqa: E402


def synthetic_actuals(indicators: pd.DataFrame) -> pd.DataFrame:
    """合成データ: values on the plan's path ±2 %, for 2025 and 2026. Not the town's figures."""
    rows = []
    for row in indicators.drop_duplicates("series_id").to_dict("records"):
        spec = Spec.from_row(row)
        for year, wobble in ((2025, 0.98), (2026, 1.02)):
            if spec.kind == "cumulative":
                value = spec.target / 5 * wobble
            else:
                e = expected(spec, year)
                value = (e if e is not None else spec.target) * wobble
            if not pd.isna(row["value_max"]):
                value = min(value, row["value_max"])
            rows.append(
                {
                    "series_id": row["series_id"],
                    "indicator_id": row["indicator_id"],
                    "year": year,
                    "value": round(value, 3),
                }
            )
    return pd.DataFrame(rows)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    db = PlanDB(DEFAULT_DATA_DIR)
    con = db.cursor()
    actuals = synthetic_actuals(queries.indicators(con))
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "synthetic_actuals.csv"
        actuals[["indicator_id", "year", "value"]].to_csv(csv_path, index=False)

        inproc, floor_inproc, cli, floor_cli = [], [], [], []
        cmd = [
            sys.executable,
            "-m",
            "kamiplan",
            "report",
            "--year",
            "2026",
            "--format",
            "csv",
            "--actuals",
            str(csv_path),
        ]
        ref = [sys.executable, "-c", "import pandas, duckdb"]
        for _ in range(args.repeat):
            floor_inproc.append(timed(lambda: queries.indicators(con)))
            inproc.append(timed(lambda: report.to_csv(report.build_report(con, actuals, 2026))))
            floor_cli.append(timed(lambda: subprocess.run(ref, check=True, cwd=ROOT)))
            cli.append(timed(lambda: subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)))

    def ms(values: list[float]) -> float:
        return statistics.median(values) * 1000

    print(f"repetitions: {args.repeat}, indicator rows: 46, synthetic actuals: {len(actuals)}")
    print(f"{'measurement':44} {'median ms':>10} {'reference ms':>13} {'ratio':>7}")
    print(
        f"{'report + CSV in process':44} {ms(inproc):10.1f} {ms(floor_inproc):13.1f} {ms(inproc) / ms(floor_inproc):7.1f}"
    )
    print(
        f"{'python -m kamiplan report (whole command)':44} {ms(cli):10.1f} {ms(floor_cli):13.1f} {ms(cli) / ms(floor_cli):7.2f}"
    )


if __name__ == "__main__":
    main()
