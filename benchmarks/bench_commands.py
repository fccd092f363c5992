"""Benchmark of the commands as whole processes (issue 14). Not a test: it prints medians.

Each command runs as ``python -m kamiplan …`` (start-up, imports and writing included) on a copy of the
plan tables of data/ with the invented test actuals and project records of ``tests/synthetic.py``
(テスト用の架空データ, never written to data/). Every command run is paired with a run of the import floor
``python -c "import pandas, duckdb"`` (A B A B …), so that the ratio stays meaningful while the shared
machine's speed drifts; the ratio printed is the median of the pairs' ratios.

Commands: ``report --format csv`` (the whole plan's CSV), ``report``, ``export-actuals``, ``import`` of a
50-row cp932 CSV (``--dry-run``, and a real import into a fresh copy of the data folder each run),
``export-report`` and ``snapshot``, these two with the render cache warm (filled by the warm-up) and
cold (an empty cache folder each run, ``KAMIPLAN_CACHE_DIR``).

Usage: ``.venv/bin/python benchmarks/bench_commands.py [--repeat 5] [--warmup 1] [--only report,import]
[--json FILE]``
(``--only report,import,export-actuals,export-report,snapshot``)
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kamiplan.paths import DEFAULT_DATA_DIR  # noqa: E402
from kamiplan.plan.db import PlanDB  # noqa: E402
from kamiplan.plan.queries import actions, indicators  # noqa: E402
from kamiplan.records.actuals_io import export_frame  # noqa: E402
from kamiplan.records.actuals_store import ActualsStore  # noqa: E402
from tests.synthetic import plan_folder, populate, populate_projects  # noqa: E402

FLOOR = [sys.executable, "-c", "import pandas, duckdb"]
ENV_CACHE_DIR = "KAMIPLAN_CACHE_DIR"  # kamiplan.outputs.render_cache's; spelled out so that older code can be timed
IMPORT_ROWS = 50


@dataclass
class Command:
    """One command to time; ``prepare`` runs before each run, outside the timing."""

    name: str
    args: list[str]
    prepare: Callable[[], dict[str, str]] = lambda: {}
    seconds: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)

    def ratios(self) -> list[float]:
        return [a / b for a, b in zip(self.seconds, self.floor, strict=True)]


def make_data(folder: Path) -> Path:
    """The plan tables with the invented actuals (2025–2026) and project records (2025–2026)."""
    data = plan_folder(folder, DEFAULT_DATA_DIR)
    con = PlanDB(data).cursor()
    populate(data, indicators(con))
    populate_projects(data, actions(con), years=(2025, 2026))
    return data


def make_import_file(data: Path, path: Path) -> Path:
    """50 rows of the import format, values 1 % lower than recorded, as Excel saves a CSV (cp932, CRLF)."""
    frame = export_frame(indicators(PlanDB(data).cursor()), ActualsStore(data).current())
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(frame.columns)
    rows = 0
    for row in frame.astype(object).to_dict("records"):
        value = row["実績値"]
        if rows == IMPORT_ROWS or value in ("", None):
            continue
        value = float(value)
        row["実績値"] = f"{round(value * 0.99, 1) if value >= 10 else value:g}"
        row["備考"] = "取込テスト(テスト用の架空データ)"
        writer.writerow(row.values())
        rows += 1
    path.write_bytes(buf.getvalue().encode("cp932"))
    return path


def run_once(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def commands(tmp: Path, data: Path, import_file: Path) -> list[Command]:
    py = [sys.executable, "-m", "kamiplan"]
    warm_cache = tmp / "cache-warm"
    counter = iter(range(1_000_000))

    def fresh(kind: str) -> Path:
        path = tmp / f"{kind}-{next(counter)}"
        shutil.rmtree(path, ignore_errors=True)
        return path

    import_copy = tmp / "import-data"

    def copy_data() -> dict[str, str]:
        shutil.rmtree(import_copy, ignore_errors=True)
        shutil.copytree(data, import_copy)
        return {}

    site = tmp / "site"

    def no_site() -> dict[str, str]:
        shutil.rmtree(site, ignore_errors=True)
        return {ENV_CACHE_DIR: str(warm_cache)}

    def cold_site() -> dict[str, str]:
        shutil.rmtree(site, ignore_errors=True)
        return {ENV_CACHE_DIR: str(fresh("cache-cold"))}

    d = ["--data-dir", str(data)]
    return [
        Command("report --format csv (whole plan)", [*py, "report", "--format", "csv", *d]),
        Command("report", [*py, "report", *d]),
        Command("export-actuals", [*py, "export-actuals", "--out", str(tmp / "actuals.csv"), *d]),
        Command("import --dry-run (50 rows)", [*py, "import", str(import_file), "--dry-run", *d]),
        Command(
            "import (50 rows, saved)",
            [*py, "import", str(import_file), "--by", "bench", "--data-dir", str(import_copy)],
            copy_data,
        ),
        Command(
            "export-report (cache warm)",
            [*py, "export-report", "--out", str(tmp / "report.html"), *d],
            lambda: {ENV_CACHE_DIR: str(warm_cache)},
        ),
        Command(
            "export-report (cache cold)",
            [*py, "export-report", "--out", str(tmp / "report.html"), *d],
            lambda: {ENV_CACHE_DIR: str(fresh("cache-cold"))},
        ),
        Command("snapshot (cache warm)", [*py, "snapshot", "--out", str(site), *d], no_site),
        Command("snapshot (cache cold)", [*py, "snapshot", "--out", str(site), *d], cold_site),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5, help="measured runs of each command (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="runs not counted (default 1)")
    parser.add_argument("--only", help="only these commands, e.g. report,export-report")
    parser.add_argument("--json", help="write every sample to this file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        data = make_data(tmp / "data")
        import_file = make_import_file(data, tmp / "実績_50行.csv")
        check = subprocess.run(
            [sys.executable, "-m", "kamiplan", "import", str(import_file), "--dry-run", "--data-dir", str(data)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if f"変更 {IMPORT_ROWS}件" not in check.stdout:
            raise SystemExit(f"the import file is not {IMPORT_ROWS} changes:\n{check.stdout}{check.stderr}")
        todo = commands(tmp, data, import_file)
        if args.only:
            words = [w.strip() for w in args.only.split(",") if w.strip()]
            todo = [c for c in todo if c.name.split()[0] in words]
        for cmd in todo:
            for i in range(args.warmup + args.repeat):
                env = {**os.environ, **cmd.prepare()}
                seconds, floor = run_once(cmd.args, env), run_once(FLOOR, env)
                if i >= args.warmup:
                    cmd.seconds.append(seconds)
                    cmd.floor.append(floor)

    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(f"runs: {args.repeat} (+{args.warmup} warm-up) each, paired with the import floor; cores: {os.cpu_count()}")
    if load:
        print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{'command (whole process)':36} {'median s':>9} {'floor s':>8} {'ratio':>6}")
    for cmd in todo:
        print(
            f"{cmd.name:36} {statistics.median(cmd.seconds):9.3f} {statistics.median(cmd.floor):8.3f} "
            f"{statistics.median(cmd.ratios()):6.2f}"
        )
    if args.json:
        report = {
            "repeat": args.repeat,
            "warmup": args.warmup,
            "cores": os.cpu_count(),
            "load_average": list(load) if load else None,
            "floor_command": FLOOR[1:],
            "commands": {
                cmd.name: {
                    "args": cmd.args[1:],
                    "median_s": statistics.median(cmd.seconds),
                    "floor_median_s": statistics.median(cmd.floor),
                    "ratio": statistics.median(cmd.ratios()),
                    "seconds": cmd.seconds,
                    "floor_seconds": cmd.floor,
                }
                for cmd in todo
            },
        }
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
