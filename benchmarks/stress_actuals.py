"""Stress the actuals store from several processes (issue 4). Not a timed test: it checks invariants.

1. Two processes save N values each to *different* series: every save must land (2N values, 2N log
   entries, revisions 1..2N without gaps).
2. Two processes race on *the same* series and year, each saving what it read plus one: a save made
   from a stale read must be refused (never silently overwrite), and the log must form one unbroken
   chain (each change's old value is the previous change's new value), ending at the stored value.

Usage: ``.venv/bin/python benchmarks/stress_actuals.py [--saves 200] [--races 50]``; exit status 1 if
any invariant is violated. Works on a temporary folder; never touches data/.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _distinct(folder: str, worker: int, saves: int) -> int:
    from kamiplan.records.actuals_store import EMPTY, ActualsStore, Cell, Change

    store = ActualsStore(Path(folder))
    for i in range(saves):
        store.save([Change(f"W{worker}-{i:04d}", 2025, Cell(float(i)), EMPTY)], by=f"worker{worker}", how="form")
    return saves


def _race(folder: str, worker: int, wins: int) -> tuple[int, int]:
    from kamiplan.records.actuals_store import EMPTY, ActualsStore, Cell, Change, StaleError

    store = ActualsStore(Path(folder))
    won = refused = 0
    while won < wins:
        seen = store.cells().get(("RACE", 2025), EMPTY)
        new = Cell((seen.value or 0.0) + 1.0, f"worker{worker}")
        try:
            store.save([Change("RACE", 2025, new, seen)], by=f"worker{worker}", how="form")
            won += 1
        except StaleError:
            refused += 1
    return won, refused


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=200, help="saves per process to distinct series")
    parser.add_argument("--races", type=int, default=50, help="successful saves per process on one shared value")
    args = parser.parse_args()
    ctx = mp.get_context("spawn")
    failures: list[str] = []
    from kamiplan.records.actuals_store import ActualsStore

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        with ctx.Pool(2) as pool:
            done = pool.starmap(_distinct, [(tmp, 0, args.saves), (tmp, 1, args.saves)])
        distinct_s = time.perf_counter() - start
        store = ActualsStore(folder)
        current, log = store.current(), store.log()
        expected = 2 * args.saves
        if sum(done) != expected or len(current) != expected:
            failures.append(f"distinct series: {len(current)} values stored, {expected} saved")
        if sorted(log["revision"].tolist()) != list(range(1, expected + 1)):
            failures.append("distinct series: revisions are not 1..N without gaps")

        start = time.perf_counter()
        with ctx.Pool(2) as pool:
            results = pool.starmap(_race, [(tmp, 0, args.races), (tmp, 1, args.races)])
        race_s = time.perf_counter() - start
        won = sum(r[0] for r in results)
        refused = sum(r[1] for r in results)
        race_log = store.log()
        race_log = race_log[race_log["series_id"] == "RACE"].sort_values("revision")
        if len(race_log) != won:
            failures.append(f"race: {won} accepted saves but {len(race_log)} log entries")
        previous = None
        for row in race_log.itertuples():
            old = None if row.old_value != row.old_value else row.old_value  # NaN → None
            if old != previous:
                failures.append(f"race: broken chain at revision {row.revision}: old {old} after new {previous}")
                break
            previous = row.new_value
        final = store.cells().get(("RACE", 2025))
        if final is None or final.value != float(won) or previous != float(won):
            failures.append(f"race: stored {final} but {won} increments were accepted")

    print(f"distinct series: 2 processes × {args.saves} saves in {distinct_s:.1f} s, {expected} values, log complete")
    print(f"same value race: {won} saves accepted, {refused} stale saves refused, {race_s:.1f} s, chain intact")
    for failure in failures:
        print("FAILED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
