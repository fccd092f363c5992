"""The store of recorded actuals: current values plus an append-only change log.

Files in the data folder:

- ``actuals.parquet``: one row per series and year (value, note 要因分析・コメント, source 出典,
  recorded_at, recorded_by, revision). The plan's baselines are not copied here.
- ``actuals_log.parquet``: every change ever saved (revision, changed_at, changed_by, series, year,
  old → new value/note/source, how: ``form``, ``file:<name>`` or ``undo:<revision>``). Rows are only
  ever added.
- ``actuals.lock``: the cross-platform lock (:mod:`filelock`) held around every read-modify-write.

A save writes both files to fsync'ed temp files in the same folder and renames them into place, the
log first. The log is the source of truth: if the process dies between the two renames, the current
values are rebuilt from the log on the next read, so nothing saved is ever lost.

A save carries the values the user saw ("expected"); if someone else changed one of them meanwhile
the whole save is refused with both values shown (optimistic check), never silently overwritten.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from filelock import FileLock, Timeout

from kamiplan.errors import InputError, Problem
from kamiplan.labels import timestamp_text
from kamiplan.plan.values import format_number
from kamiplan.storage import parquet_bytes, replace_all

JST = timezone(timedelta(hours=9), "JST")
ACTUALS_FILE = "actuals.parquet"
LOG_FILE = "actuals_log.parquet"
LOCK_FILE = "actuals.lock"
LOCK_TIMEOUT_S = 15.0
REVISION_KEY = b"kamiplan.revision"

ACTUALS_SCHEMA = pa.schema(
    [
        ("series_id", pa.string()),
        ("year", pa.int64()),
        ("value", pa.float64()),
        ("note", pa.string()),
        ("source", pa.string()),
        ("recorded_at", pa.string()),
        ("recorded_by", pa.string()),
        ("revision", pa.int64()),
        ("as_of", pa.string()),  # the date the value is for, when the file gave one ("2020-10-01"), else ""
    ]
)
LOG_SCHEMA = pa.schema(
    [
        ("revision", pa.int64()),
        ("changed_at", pa.string()),
        ("changed_by", pa.string()),
        ("how", pa.string()),
        ("series_id", pa.string()),
        ("year", pa.int64()),
        ("old_value", pa.float64()),
        ("new_value", pa.float64()),
        ("old_note", pa.string()),
        ("new_note", pa.string()),
        ("old_source", pa.string()),
        ("new_source", pa.string()),
        ("old_as_of", pa.string()),
        ("new_as_of", pa.string()),
    ]
)


_DB = duckdb.connect(":memory:")  # one in-memory database; each read takes its own cursor (thread-safe)


def _arrow(sql: str, path: Path) -> pa.Table:
    """Run one query over one parquet file on a fresh cursor of the shared DuckDB database."""
    with _DB.cursor() as con:
        return con.sql(sql, params={"path": str(path)}).to_arrow_table()


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Files written before a column existed (``as_of``, 2026-11) read with that column empty ("")."""
    for f in schema:
        if f.name not in table.column_names:
            table = table.append_column(f.name, pa.array([""] * table.num_rows, type=f.type))
    return table.select(schema.names).cast(schema)


def now_jst() -> str:
    """The current time in Japan, ISO 8601 with offset (no tzdata needed on Windows)."""
    return datetime.now(UTC).astimezone(JST).isoformat(timespec="seconds")


def _same(a: float | None, b: float | None) -> bool:
    a = None if a is None or (isinstance(a, float) and math.isnan(a)) else float(a)
    b = None if b is None or (isinstance(b, float) and math.isnan(b)) else float(b)
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))


@dataclass(frozen=True)
class Cell:
    """What is stored for one series and year (value None = nothing stored)."""

    value: float | None = None
    note: str = ""
    source: str = ""
    as_of: str = ""  # the date the value is for when it was given ("2020-10-01", "2024-07"), else ""

    def same_as(self, other: Cell) -> bool:
        return (
            _same(self.value, other.value)
            and self.note == other.note
            and self.source == other.source
            and self.as_of == other.as_of
        )


EMPTY = Cell()


@dataclass(frozen=True)
class Change:
    """One intended change: the new content of (series, year) and what the user saw before."""

    series_id: str
    year: int
    new: Cell
    expected: Cell


@dataclass(frozen=True)
class SaveResult:
    revision: int
    changed: int


class StaleError(InputError):
    """Someone else changed a value after the user looked at it."""


Describe = Callable[[str, int], str]


def _describe_plain(series_id: str, year: int) -> str:
    return f"{series_id}・{year}年"


class ActualsStore:
    """Read and change the recorded actuals of one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.dir = Path(data_dir)
        self.actuals_path = self.dir / ACTUALS_FILE
        self.log_path = self.dir / LOG_FILE
        self.lock = FileLock(str(self.dir / LOCK_FILE), timeout=LOCK_TIMEOUT_S)
        self._revision_memo: tuple[tuple, int] | None = None

    # -- reading -------------------------------------------------------------------------------------
    def log(self) -> pd.DataFrame:
        """The change log, oldest first."""
        if not self.log_path.exists():
            return pd.DataFrame({f.name: pd.Series(dtype=f.type.to_pandas_dtype()) for f in LOG_SCHEMA})
        return self._log_table().to_pandas()

    def _log_table(self) -> pa.Table:
        table = _arrow("SELECT * FROM read_parquet($path) ORDER BY revision, series_id, year", self.log_path)
        return _conform(table, LOG_SCHEMA)

    def current(self) -> pd.DataFrame:
        """Current values, one row per series and year (columns of ``actuals.parquet``)."""
        table, _ = self._read_state()
        return table.to_pandas()

    def revision(self) -> int:
        """The revision of the last save (0 when nothing was ever saved).

        Every page asks for it several times per run (it keys the caches), so it is remembered until
        either file changes: a save replaces both by rename (a new inode), so their stat differs.
        """
        stamp = self._stamp()
        memo = self._revision_memo
        if memo is not None and memo[0] == stamp:
            return memo[1]
        # _read_state always answers the log's revision (the log is the source of truth).
        revision = self._log_revision()
        self._revision_memo = (stamp, revision)
        return revision

    def _stamp(self) -> tuple:
        out = []
        for path in (self.log_path, self.actuals_path):
            try:
                st = path.stat()
            except FileNotFoundError:
                out.append(None)
            else:
                out.append((st.st_ino, st.st_mtime_ns, st.st_size))
        return tuple(out)

    def _read_state(self) -> tuple[pa.Table, int]:
        log_rev = self._log_revision()
        if self.actuals_path.exists():
            meta = pq.read_schema(self.actuals_path).metadata or {}
            rev = int(meta.get(REVISION_KEY, b"0"))
            if rev == log_rev:
                table = _arrow("SELECT * FROM read_parquet($path) ORDER BY series_id, year", self.actuals_path)
                return _conform(table, ACTUALS_SCHEMA), rev
        if log_rev == 0:
            return ACTUALS_SCHEMA.empty_table(), 0
        # The snapshot is missing or older than the log (e.g. the process stopped between the two
        # renames): rebuild the current values from the log, which has every change.
        return self._from_log(), log_rev

    def _log_revision(self) -> int:
        if not self.log_path.exists():
            return 0
        # The maximum is in the footer's statistics (written by every save): no need to read the log.
        meta = pq.ParquetFile(self.log_path).metadata
        column = meta.schema.names.index("revision")
        maxima = [meta.row_group(i).column(column).statistics for i in range(meta.num_row_groups)]
        if all(s is not None and s.has_min_max for s in maxima):
            return max((int(s.max) for s in maxima), default=0)
        table = _arrow("SELECT coalesce(max(revision), 0) AS revision FROM read_parquet($path)", self.log_path)
        return int(table.column("revision")[0].as_py())

    def _from_log(self) -> pa.Table:
        log = self._log_table()  # noqa: F841 — queried by name below
        with _DB.cursor() as con:
            table = con.sql(
                """
                SELECT series_id, year, new_value AS value, new_note AS note, new_source AS source,
                       changed_at AS recorded_at, changed_by AS recorded_by, revision, new_as_of AS as_of
                FROM log
                QUALIFY row_number() OVER (PARTITION BY series_id, year ORDER BY revision DESC) = 1
                """
            ).df()
        table = table[table["value"].notna()].sort_values(["series_id", "year"])
        return pa.Table.from_pandas(table, schema=ACTUALS_SCHEMA, preserve_index=False)

    def cells(self) -> dict[tuple[str, int], Cell]:
        """Current content by (series_id, year)."""
        return _cells(self.current())

    # -- writing -------------------------------------------------------------------------------------
    def save(self, changes: list[Change], by: str, how: str, describe: Describe | None = None) -> SaveResult:
        """Apply ``changes`` atomically under the lock, refusing all of them if any is stale.

        Parameters
        ----------
        changes : list of Change
            New contents and what the user saw; unchanged cells are dropped.
        by : str
            Who saves (shown in the change log).
        how : str
            ``form``, ``file:<name>`` or ``undo:<revision>``.
        describe : callable, optional
            ``(series_id, year) -> str`` naming a value in messages (``人口(0-V1)・R7(2025)年度``).

        Returns
        -------
        SaveResult
            The new revision and how many cells changed (revision unchanged when nothing changed).
        """
        if not by.strip():
            raise InputError([Problem("保存する人の名前(記録者)を入力してください")])
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            with self.lock:
                return self._save_locked(changes, by.strip(), how, describe or _describe_plain)
        except Timeout:
            raise InputError(
                [Problem("他の保存が終わらないため保存できませんでした。しばらくしてからもう一度保存してください")]
            ) from None

    def _save_locked(self, changes: list[Change], by: str, how: str, describe: Describe) -> SaveResult:
        table, rev = self._read_state()
        frame = table.to_pandas()
        current = _cells(frame)
        recorded = {
            (str(r.series_id), int(r.year)): (r.recorded_by, r.recorded_at)
            for r in frame[["series_id", "year", "recorded_by", "recorded_at"]].itertuples()
        }
        stale: list[Problem] = []
        effective: list[tuple[Change, Cell]] = []
        seen: set[tuple[str, int]] = set()
        for ch in changes:
            key = (ch.series_id, int(ch.year))
            if key in seen:
                raise InputError([Problem("同じ指標・年度の変更が2つあります", subject=describe(*key))])
            seen.add(key)
            now = current.get(key, EMPTY)
            if not now.same_as(ch.expected):
                who, when = recorded.get(key, ("", ""))
                changed = f"{timestamp_text(when)}に「{who}」が" if who else "他の人が"
                stale.append(
                    Problem(
                        f"画面を開いた後に{changed}変更しました。あなたが入力した値: {_show(ch.new)}、"
                        f"今の記録: {_show(now)}(あなたが画面で見ていた値: {_show(ch.expected)})。"
                        "「最新の状態を読み込む」で今の記録を読み込み、確かめてからもう一度保存してください",
                        subject=describe(ch.series_id, int(ch.year)),
                    )
                )
                continue
            if not now.same_as(ch.new):
                effective.append((ch, now))
        if stale:
            raise StaleError(stale)
        if not effective:
            return SaveResult(revision=rev, changed=0)

        new_rev = rev + 1
        stamp = now_jst()
        log_rows = [
            {
                "revision": new_rev,
                "changed_at": stamp,
                "changed_by": by,
                "how": how,
                "series_id": ch.series_id,
                "year": int(ch.year),
                "old_value": old.value,
                "new_value": ch.new.value,
                "old_note": old.note,
                "new_note": ch.new.note,
                "old_source": old.source,
                "new_source": ch.new.source,
                "old_as_of": old.as_of,
                "new_as_of": ch.new.as_of,
            }
            for ch, old in effective
        ]
        old_log = (
            _conform(pq.read_table(self.log_path), LOG_SCHEMA) if self.log_path.exists() else LOG_SCHEMA.empty_table()
        )
        log = pa.concat_tables([old_log, pa.Table.from_pylist(log_rows, schema=LOG_SCHEMA)])

        rows_by_key = {(r["series_id"], int(r["year"])): r for r in table.to_pylist()}
        for ch, _ in effective:
            key = (ch.series_id, int(ch.year))
            if ch.new.value is None:
                rows_by_key.pop(key, None)
            else:
                rows_by_key[key] = {
                    "series_id": ch.series_id,
                    "year": int(ch.year),
                    "value": float(ch.new.value),
                    "note": ch.new.note,
                    "source": ch.new.source,
                    "recorded_at": stamp,
                    "recorded_by": by,
                    "revision": new_rev,
                    "as_of": ch.new.as_of,
                }
        rows = [rows_by_key[k] for k in sorted(rows_by_key)]
        actuals = pa.Table.from_pylist(rows, schema=ACTUALS_SCHEMA).replace_schema_metadata(
            {REVISION_KEY: str(new_rev).encode()}
        )
        # The log first: if we stop between the two renames, the log still has this save.
        replace_all({self.log_path: parquet_bytes(log), self.actuals_path: parquet_bytes(actuals)})
        return SaveResult(revision=new_rev, changed=len(effective))

    def history(self) -> History:
        """Which change 元に戻す and やり直す would act on next (see :func:`history`)."""
        return history(self.log())

    def undo(self, by: str, describe: Describe | None = None) -> SaveResult:
        """Undo the latest change not yet undone, one at a time back through the log (recorded as ``undo:<rev>``).

        Undoing twice goes two changes back: an undo entry itself is never "the last change" to undo
        (that was redo, and is :meth:`redo`).
        """
        target = self.history().undo
        if target is None:
            raise InputError([Problem("元に戻す変更がありません")])
        return self.save(_inverse(self.log(), target), by, f"undo:{target}", describe)

    undo_last = undo  # the name the first version used

    def redo(self, by: str, describe: Describe | None = None) -> SaveResult:
        """やり直す: undo the latest undo (recorded as ``redo:<undo revision>``); only while nothing else changed."""
        target = self.history().redo
        if target is None:
            raise InputError([Problem("やり直す変更がありません")])
        return self.save(_inverse(self.log(), target), by, f"redo:{target}", describe)


@dataclass(frozen=True)
class History:
    """The next change 元に戻す would undo and the undo やり直す would reverse (None when there is none)."""

    undo: int | None
    redo: int | None


def history(log: pd.DataFrame) -> History:
    """Replay the log as a stack of changes that can be undone and a stack of undos that can be redone.

    A change (form, file, redo) goes on the done stack and clears the redo stack; ``undo:r`` takes r off
    the done stack and puts the undo on the redo stack; ``redo:u`` takes u off the redo stack and puts the
    redo on the done stack (it can be undone like any change). Logs written by the first version, whose
    undo could target an undo entry, read the same way: undoing an undo is a redo.
    """
    done: list[int] = []
    undone: list[int] = []
    for revision, how in (
        log[["revision", "how"]].drop_duplicates("revision").sort_values("revision").itertuples(index=False)
    ):
        revision = int(revision)
        kind, _, ref = str(how).partition(":")
        if kind == "undo" and ref.isdigit() and int(ref) in done:
            done.remove(int(ref))
            undone.append(revision)
        elif kind in ("undo", "redo") and ref.isdigit() and int(ref) in undone:
            undone.remove(int(ref))
            done.append(revision)
        else:
            done.append(revision)
            undone.clear()
    return History(undo=done[-1] if done else None, redo=undone[-1] if undone else None)


def _inverse(log: pd.DataFrame, revision: int) -> list[Change]:
    """The changes that put back what ``revision`` changed (each expects what ``revision`` left)."""
    return [
        Change(
            series_id=r.series_id,
            year=int(r.year),
            new=Cell(_opt(r.old_value), r.old_note or "", r.old_source or "", r.old_as_of or ""),
            expected=Cell(_opt(r.new_value), r.new_note or "", r.new_source or "", r.new_as_of or ""),
        )
        for r in log[log["revision"] == revision].itertuples()
    ]


def _opt(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _cells(frame: pd.DataFrame) -> dict[tuple[str, int], Cell]:
    return {
        (str(r.series_id), int(r.year)): Cell(_opt(r.value), r.note or "", r.source or "", r.as_of or "")
        for r in frame.itertuples()
    }


def _show(cell: Cell) -> str:
    if cell.value is None:
        return "(空欄)"
    text = format_number(cell.value)
    if cell.note:
        text += f"・備考「{cell.note[:20]}」"
    return text
