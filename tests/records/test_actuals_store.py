"""The actuals store: atomic, serialized, optimistic, with a complete change log and undo."""

from __future__ import annotations

import os

import pytest

from kamiplan import storage
from kamiplan.errors import InputError
from kamiplan.records.actuals_store import EMPTY, ActualsStore, Cell, Change, StaleError


@pytest.fixture
def store(tmp_path):
    return ActualsStore(tmp_path)


def put(store, series, year, value, expected=EMPTY, note="", source="", by="企画課 テスト"):
    return store.save([Change(series, year, Cell(value, note, source), expected)], by=by, how="form")


def files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix == ".parquet"}


def test_empty_store(store):
    assert store.current().empty
    assert store.log().empty
    assert store.revision() == 0


def test_save_read_and_log(store):
    result = put(store, "0-V1", 2025, 2380.0, note="住基", source="町民課")
    assert (result.revision, result.changed) == (1, 1)
    cur = store.current()
    assert cur[["series_id", "year", "value", "note", "source", "recorded_by"]].values.tolist() == [
        ["0-V1", 2025, 2380.0, "住基", "町民課", "企画課 テスト"]
    ]
    assert cur["recorded_at"][0].endswith("+09:00")
    put(store, "0-V1", 2025, 2390.0, expected=Cell(2380.0, "住基", "町民課"))
    log = store.log()
    assert log[["revision", "old_value", "new_value", "how"]].values.tolist()[1] == [2, 2380.0, 2390.0, "form"]
    assert len(log) == 2


def test_unchanged_save_writes_nothing(store, tmp_path):
    put(store, "0-V1", 2025, 2380.0)
    before = files(tmp_path)
    result = put(store, "0-V1", 2025, 2380.0, expected=Cell(2380.0))
    assert result.changed == 0 and result.revision == 1
    assert files(tmp_path) == before


def test_stale_save_is_refused_with_both_values(store, tmp_path):
    put(store, "0-V1", 2025, 2380.0)
    put(store, "0-V1", 2025, 2400.0, expected=Cell(2380.0), by="Aさん")
    before = files(tmp_path)
    with pytest.raises(StaleError) as info:
        put(store, "0-V1", 2025, 2390.0, expected=Cell(2380.0), by="Bさん")  # B still sees 2,380
    message = str(info.value)
    assert "今の記録: 2,400" in message and "見ていた値: 2,380" in message and "入力した値: 2,390" in message
    assert "「Aさん」が変更しました" in message
    assert files(tmp_path) == before


def test_one_stale_cell_refuses_the_whole_save(store):
    put(store, "0-V1", 2025, 2380.0)
    with pytest.raises(StaleError):
        store.save(
            [
                Change("0-V1", 2026, Cell(2300.0), EMPTY),
                Change("0-V1", 2025, Cell(1.0), EMPTY),  # stale: 2025 already has 2,380
            ],
            by="x",
            how="form",
        )
    assert store.cells() == {("0-V1", 2025): Cell(2380.0)}


def test_delete_and_undo(store):
    put(store, "0-V1", 2025, 2380.0, note="a")
    put(store, "0-V1", 2025, None, expected=Cell(2380.0, "a"))
    assert store.cells() == {}
    result = store.undo("企画課")
    assert store.cells() == {("0-V1", 2025): Cell(2380.0, "a")}
    assert result.revision == 3
    assert store.log()["how"].tolist() == ["form", "form", "undo:2"]


def test_two_undos_go_two_changes_back_and_redo_goes_forward(store):
    """Issue 12: the second undo re-applied the first change instead of going one step further back."""
    put(store, "0-V1", 2025, 2380.0)  # 1
    put(store, "0-V1", 2025, 2390.0, expected=Cell(2380.0))  # 2
    put(store, "0-V1", 2026, 2300.0)  # 3
    assert store.history().undo == 3 and store.history().redo is None
    store.undo("企画課")  # 4 = undo:3
    store.undo("企画課")  # 5 = undo:2
    assert store.cells() == {("0-V1", 2025): Cell(2380.0)}
    assert store.history().undo == 1 and store.history().redo == 5
    store.redo("企画課")  # 6 = redo:5 → 2,390 again
    assert store.cells() == {("0-V1", 2025): Cell(2390.0)}
    assert store.history().undo == 6 and store.history().redo == 4
    put(store, "0-V1", 2027, 2250.0)  # a new change: nothing left to redo
    assert store.history().redo is None
    with pytest.raises(InputError, match="やり直す変更がありません"):
        store.redo("企画課")
    assert store.log()["how"].tolist()[3:6] == ["undo:3", "undo:2", "redo:5"]


def test_undo_back_to_the_start(store):
    put(store, "0-V1", 2025, 2380.0)
    store.undo("x")
    assert store.cells() == {} and store.history().undo is None
    with pytest.raises(InputError, match="元に戻す変更がありません"):
        store.undo("x")


def test_first_version_logs_read_the_same_way():
    import pandas as pd

    from kamiplan.records.actuals_store import history

    log = pd.DataFrame({"revision": [1, 2, 3, 4], "how": ["form", "form", "undo:2", "undo:3"]})
    assert history(log) == history(
        pd.DataFrame({"revision": [1, 2, 3, 4], "how": ["form", "form", "undo:2", "redo:3"]})
    )


def test_undo_refused_when_changed_since(store):
    put(store, "0-V1", 2025, 2380.0)
    with pytest.raises(InputError, match="元に戻す変更がありません"):
        ActualsStore(store.dir / "other").undo_last("x")
    store.undo_last("x")
    assert store.current().empty


def test_name_is_required(store):
    with pytest.raises(InputError, match="記録者"):
        put(store, "0-V1", 2025, 1.0, by="  ")


def test_failure_between_temp_and_replace_leaves_store_unchanged(store, tmp_path, monkeypatch):
    put(store, "0-V1", 2025, 2380.0)
    before = files(tmp_path)

    def boom(src, dst):
        raise OSError("injected crash before rename")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="injected"):
        put(store, "0-V1", 2026, 2300.0)
    monkeypatch.undo()
    assert files(tmp_path) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(storage.TEMP_PREFIX)]
    assert store.cells() == {("0-V1", 2025): Cell(2380.0)}


def test_crash_between_the_two_renames_loses_nothing(store, tmp_path, monkeypatch):
    """The log is renamed first; if the process dies before the snapshot, reads rebuild from the log."""
    put(store, "0-V1", 2025, 2380.0)
    real = os.replace
    calls = []

    def second_fails(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("injected crash between renames")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", second_fails)
    with pytest.raises(OSError):
        put(store, "0-V1", 2026, 2300.0, note="新")
    monkeypatch.undo()
    assert str(calls[0]).endswith("actuals_log.parquet")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(storage.TEMP_PREFIX)]
    assert store.revision() == 2
    assert store.cells() == {("0-V1", 2025): Cell(2380.0), ("0-V1", 2026): Cell(2300.0, "新")}
    put(store, "0-V1", 2027, 2250.0)  # the next save persists a consistent snapshot again
    assert store.revision() == 3 and len(store.current()) == 3


def test_lock_timeout_is_explained(store):
    from filelock import FileLock

    blocked = ActualsStore(store.dir)
    blocked.lock.timeout = 0.1
    with FileLock(str(store.dir / "actuals.lock")):
        with pytest.raises(InputError, match="しばらくしてから"):
            put(blocked, "0-V1", 2025, 1.0)
    assert blocked.current().empty


def test_revision_is_remembered_until_a_file_changes(tmp_path, monkeypatch):
    reader, writer = ActualsStore(tmp_path), ActualsStore(tmp_path)  # e.g. the dashboard and the import command
    assert reader.revision() == 0
    put(writer, "0-V1", 2025, 1.0)
    assert reader.revision() == 1  # another process saved: the files changed, so it is read again
    reads = []
    real = ActualsStore._log_revision
    monkeypatch.setattr(ActualsStore, "_log_revision", lambda self: reads.append(1) or real(self))
    assert [reader.revision() for _ in range(5)] == [1] * 5 and reads == []
    put(writer, "0-V1", 2026, 2.0)
    reads.clear()
    assert reader.revision() == 2 and reader.revision() == 2 and reads == [1]


def test_files_written_before_as_of_existed_are_read_and_extended(store, tmp_path):
    """Stores saved before 2026-11 have no as_of columns: they read with "" and the next save adds them."""
    import pyarrow.parquet as pq

    from kamiplan.records.actuals_store import ACTUALS_SCHEMA, LOG_SCHEMA, REVISION_KEY

    put(store, "0-V1", 2025, 2380.0, note="住基")
    old_actuals = pq.read_table(store.actuals_path).drop_columns(["as_of"])
    old_actuals = old_actuals.replace_schema_metadata({REVISION_KEY: b"1"})
    pq.write_table(old_actuals, store.actuals_path)
    pq.write_table(pq.read_table(store.log_path).drop_columns(["old_as_of", "new_as_of"]), store.log_path)
    assert "as_of" not in pq.read_schema(store.actuals_path).names

    fresh = ActualsStore(tmp_path)
    assert fresh.cells() == {("0-V1", 2025): Cell(2380.0, "住基", "", "")}
    assert fresh.log()["new_as_of"].tolist() == [""]
    fresh.save([Change("0-V1", 2020, Cell(2800.0, "国勢調査", "", "2020-10-01"), EMPTY)], by="テスト", how="form")
    assert pq.read_schema(store.actuals_path).names == ACTUALS_SCHEMA.names
    assert pq.read_schema(store.log_path).names == LOG_SCHEMA.names
    assert ActualsStore(tmp_path).cells()[("0-V1", 2020)].as_of == "2020-10-01"
    # the log alone rebuilds the dates too (the process stopped between the two renames)
    store.actuals_path.unlink()
    assert ActualsStore(tmp_path).cells()[("0-V1", 2020)] == Cell(2800.0, "国勢調査", "", "2020-10-01")
