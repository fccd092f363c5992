"""The store's guarantees for every kind of record (actuals and projects' 事業の評価).

Two processes saving at once, a process killed between the log's and the current file's renames, the
optimistic check, and undo/redo one step at a time: the same tests for both kinds, since both are
:class:`kamiplan.records.store.RecordStore` and a kind differs only in its fields.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kamiplan.errors import InputError
from kamiplan.records.actuals_store import ActualsStore, Cell
from kamiplan.records.actuals_store import Change as ActualsChange
from kamiplan.records.projects import ProjectChange, ProjectRecord, ProjectStore
from kamiplan.records.store import RecordStore, StaleError


@dataclass(frozen=True)
class Kind:
    """What a test needs to know of a kind: its store, a record holding a number, and that number back."""

    store: Callable[[Path], RecordStore]
    record: Callable[[float], Any]
    number: Callable[[Any], float | None]
    change: Callable[..., Any]  # (key, year, new, expected)
    key: str
    shown: Callable[[float], str]  # how a message shows the record holding the number


KINDS = {
    "actuals": Kind(
        store=ActualsStore,
        record=lambda n: Cell(n, note=f"備考 {n:g}"),
        number=lambda r: r.value,
        change=ActualsChange,
        key="0-V1",
        shown=lambda n: f"{n:,.0f}",
    ),
    "projects": Kind(
        store=ProjectStore,
        record=lambda n: ProjectRecord(status="実施", spent=n, work=f"取組 {n:g}"),
        number=lambda r: r.spent,
        change=ProjectChange,
        key="1-1-1-01",
        shown=lambda n: f"実施・決算 {n:,.0f}千円",
    ),
}


@pytest.fixture(params=list(KINDS))
def kind(request) -> tuple[str, Kind]:
    return request.param, KINDS[request.param]


@pytest.fixture(autouse=True)
def plain_main(monkeypatch):
    """A spawned process runs the parent's ``__main__`` first: after an AppTest in the same worker that is the
    app's script (Streamlit runs it as ``__main__``), so the workers get a bare one."""
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))


def put(kind: Kind, store: RecordStore, key: str, year: int, n: float | None, by: str = "企画課 テスト"):
    """Save the record holding ``n`` (None clears it), expecting what is stored now."""
    empty = store.kind.record()
    seen = store.records().get((key, year), empty)
    new = empty if n is None else kind.record(n)
    return store.save([kind.change(key, year, new, seen)], by=by, how="form")


def numbers(kind: Kind, store: RecordStore) -> dict[tuple[str, int], float | None]:
    return {k: kind.number(r) for k, r in store.records().items()}


def parquet_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix == ".parquet"}


# -- workers (run in their own processes: spawned, so each has its own lock and DuckDB) ------------------
def _save_distinct(name: str, folder: str, worker: int, saves: int, barrier) -> None:
    kind = KINDS[name]
    store = kind.store(Path(folder))
    empty = store.kind.record()
    barrier.wait()
    for i in range(saves):
        key = f"W{worker}-{i:03d}"
        store.save([kind.change(key, 2025, kind.record(float(i)), empty)], by=f"worker{worker}", how="form")


def _race(name: str, folder: str, worker: int, wins: int, barrier, results) -> None:
    kind = KINDS[name]
    store = kind.store(Path(folder))
    empty = store.kind.record()
    won = refused = 0
    barrier.wait()
    while won < wins:
        seen = store.records().get(("RACE", 2025), empty)
        new = kind.record((kind.number(seen) or 0.0) + 1.0)
        try:
            store.save([kind.change("RACE", 2025, new, seen)], by=f"worker{worker}", how="form")
            won += 1
        except StaleError:
            refused += 1
    results.put((worker, won, refused))


def _die_between_renames(name: str, folder: str) -> None:
    """Save, and stop the process dead right after the log's rename, before the current file's."""
    kind = KINDS[name]
    store = kind.store(Path(folder))
    real = os.replace
    renamed = []

    def replace(src, dst):
        if renamed:
            os._exit(3)  # no cleanup, no finally: as if the power went
        renamed.append(dst)
        return real(src, dst)

    os.replace = replace
    store.save([kind.change(kind.key, 2026, kind.record(2300.0), store.kind.record())], by="停電", how="form")


def _spawn(target, *args):
    ctx = mp.get_context("spawn")
    return ctx.Process(target=target, args=args)


def test_two_processes_saving_at_once_both_land(kind, tmp_path):
    name, k = kind
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    saves = 12
    procs = [ctx.Process(target=_save_distinct, args=(name, str(tmp_path), w, saves, barrier)) for w in (0, 1)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    store = k.store(tmp_path)
    assert len(store.records()) == 2 * saves
    log = store.log()
    assert sorted(log["revision"]) == list(range(1, 2 * saves + 1))  # every save its own revision, no gaps
    assert set(log["changed_by"]) == {"worker0", "worker1"}
    assert store.revision() == 2 * saves


def test_two_processes_racing_on_one_record_never_overwrite(kind, tmp_path):
    name, k = kind
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    wins = 8
    procs = [ctx.Process(target=_race, args=(name, str(tmp_path), w, wins, barrier, results)) for w in (0, 1)]
    for p in procs:
        p.start()
    outcome = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    store = k.store(tmp_path)
    won = sum(w for _, w, _ in outcome)
    assert won == 2 * wins
    log = store.log().sort_values("revision")
    field = "value" if name == "actuals" else "spent"
    assert len(log) == won  # every accepted save is in the log, and only those
    previous = None
    for old, new in zip(log[f"old_{field}"], log[f"new_{field}"], strict=True):
        old = None if old != old else old  # NaN → None
        assert old == previous  # one unbroken chain: each save started from the one before it
        previous = new
    assert k.number(store.records()[("RACE", 2025)]) == float(won)


def test_a_process_killed_between_the_two_renames_loses_nothing(kind, tmp_path):
    name, k = kind
    put(k, k.store(tmp_path), k.key, 2025, 2380.0)
    before = parquet_files(tmp_path)
    proc = _spawn(_die_between_renames, name, str(tmp_path))
    proc.start()
    proc.join(120)
    assert proc.exitcode == 3  # it stopped where we meant it to
    after = parquet_files(tmp_path)
    log_name, current_name = f"{name}_log.parquet", f"{name}.parquet"
    assert after[log_name] != before[log_name] and after[current_name] == before[current_name]
    store = k.store(tmp_path)  # a fresh reader: the current file is older than the log
    assert store.revision() == 2
    assert numbers(k, store) == {(k.key, 2025): 2380.0, (k.key, 2026): 2300.0}
    assert store.records()[(k.key, 2026)] == k.record(2300.0)
    put(k, store, k.key, 2027, 2250.0)  # the next save writes a consistent current file again
    assert store.revision() == 3 and len(store.current()) == 3
    assert len(k.store(tmp_path).records()) == 3


def test_a_stale_save_is_refused_with_both_values_and_writes_nothing(kind, tmp_path):
    _, k = kind
    store = k.store(tmp_path)
    put(k, store, k.key, 2025, 2380.0)
    seen_by_b = store.records()[(k.key, 2025)]
    put(k, store, k.key, 2025, 2400.0, by="Aさん")
    before = parquet_files(tmp_path)
    with pytest.raises(StaleError) as info:
        store.save(
            [
                k.change(k.key, 2026, k.record(1.0), store.kind.record()),  # fine on its own
                k.change(k.key, 2025, k.record(2390.0), seen_by_b),  # B still sees 2,380
            ],
            by="Bさん",
            how="form",
        )
    message = str(info.value)
    assert f"今の記録: {k.shown(2400.0)}" in message and f"入力した値: {k.shown(2390.0)}" in message
    assert f"見ていた値: {k.shown(2380.0)}" in message and "「Aさん」が変更しました" in message
    assert parquet_files(tmp_path) == before  # the whole save refused: not even the fine change
    assert numbers(k, store) == {(k.key, 2025): 2400.0}


def test_undo_and_redo_go_one_step_at_a_time(kind, tmp_path):
    _, k = kind
    store = k.store(tmp_path)
    put(k, store, k.key, 2025, 2380.0)  # 1
    put(k, store, k.key, 2025, 2390.0)  # 2
    put(k, store, k.key, 2026, 2300.0)  # 3
    assert (store.history().undo, store.history().redo) == (3, None)
    store.undo("企画課")  # 4 = undo:3
    assert numbers(k, store) == {(k.key, 2025): 2390.0}
    store.undo("企画課")  # 5 = undo:2: one step further back, not change 3 again
    assert numbers(k, store) == {(k.key, 2025): 2380.0}
    assert (store.history().undo, store.history().redo) == (1, 5)
    store.redo("企画課")  # 6 = redo:5 → 2,390 again
    assert numbers(k, store) == {(k.key, 2025): 2390.0}
    assert (store.history().undo, store.history().redo) == (6, 4)
    store.redo("企画課")  # 7 = redo:4 → 2026 back
    assert numbers(k, store) == {(k.key, 2025): 2390.0, (k.key, 2026): 2300.0}
    assert store.history().redo is None
    with pytest.raises(InputError, match="やり直す変更がありません"):
        store.redo("企画課")
    store.undo("企画課")  # 8 = undo:7 (the redo is a change like any other)
    store.undo("企画課")  # 9 = undo:6
    assert numbers(k, store) == {(k.key, 2025): 2380.0}
    store.undo("企画課")  # 10 = undo:1: back to the start
    assert store.records() == {}
    with pytest.raises(InputError, match="元に戻す変更がありません"):
        store.undo("企画課")
    assert store.log()["how"].tolist()[3:7] == ["undo:3", "undo:2", "redo:5", "redo:4"]


def test_an_undo_is_refused_when_someone_changed_the_record_since(kind, tmp_path):
    _, k = kind
    store, other = k.store(tmp_path), k.store(tmp_path)
    put(k, store, k.key, 2025, 2380.0)  # 1
    target = store.history().undo
    inverse = store.inverse(target)  # what 元に戻す would save, prepared before…
    put(k, other, k.key, 2025, 2500.0, by="Aさん")  # …someone else changes the record
    with pytest.raises(StaleError):
        store.save(inverse, by="企画課", how=f"undo:{target}")
    assert numbers(k, store) == {(k.key, 2025): 2500.0}
