"""The record store: current records plus an append-only change log, for every kind of yearly record.

kamiplan keeps two kinds of record that staff enter each year — the indicators' actuals and the
projects' 事業評価 — and both need the same guarantees. This module gives them once; a
:class:`RecordKind` says what one kind stores (its key column and fields) and which files it uses.

Files of a kind in the data folder (``actuals`` shown):

- ``actuals.parquet``: one row per key and year (the kind's fields, recorded_at, recorded_by, revision).
- ``actuals_log.parquet``: every change ever saved (revision, changed_at, changed_by, how, key, year,
  old → new of every field; how: ``form``, ``file:<name>``, ``undo:<revision>`` or ``redo:<revision>``).
  Rows are only ever added.
- ``actuals.lock``: the cross-platform lock (:mod:`filelock`) held around every read-modify-write.

A save writes both files to fsync'ed temp files in the same folder and renames them into place, the
log first. The log is the source of truth: if the process dies between the two renames, the current
records are rebuilt from the log on the next read, so nothing saved is ever lost.

A save carries the records the user saw ("expected"); if someone else changed one of them meanwhile
the whole save is refused with both versions shown (optimistic check), never silently overwritten.
Undo goes back one change at a time through the log; undoing an undo is やり直す (redo).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from filelock import FileLock, Timeout

from kamiplan.errors import InputError, Problem
from kamiplan.labels import timestamp_text
from kamiplan.storage import parquet_bytes, remove_stale_temps, replace_all

JST = timezone(timedelta(hours=9), "JST")
LOCK_TIMEOUT_S = 15.0
REVISION_KEY = b"kamiplan.revision"
META_FIELDS = (("recorded_at", pa.string()), ("recorded_by", pa.string()), ("revision", pa.int64()))

# One in-memory database; each read takes its own cursor (thread-safe). Background threads give back
# what concurrent reads freed (see kamiplan/plan/db.py).
_DB = duckdb.connect(":memory:", config={"allocator_background_threads": True})


class Record(Protocol):
    """What one key and year holds: a frozen dataclass whose fields are the kind's fields."""

    def same_as(self, other: Any) -> bool: ...


@dataclass(frozen=True)
class RecordKind:
    """What one kind of record stores, and how it is named to staff.

    Parameters
    ----------
    name : str
        The file stem: ``actuals`` → ``actuals.parquet``, ``actuals_log.parquet``, ``actuals.lock``.
    key : str
        The column naming what a record is of (``series_id``, ``action_id``); the other key is ``year``.
    fields : tuple of (str, pyarrow.DataType)
        The stored fields in order; ``float64`` fields hold None for "nothing", ``string`` fields "".
    record : type
        The frozen dataclass holding one record (its fields are ``fields``); ``record()`` is empty.
    is_empty : callable
        Whether a record holds nothing (its row is then removed from the current file).
    show : callable
        A record in a few words for messages (「2,380・備考「…」」).
    what : str
        The key and year in words, for messages (「指標・年度」, 「事業・年度」).
    current_order : tuple of str, optional
        Column order of the current file when it differs from key, year, fields, meta (files written by
        earlier versions keep theirs).
    """

    name: str
    key: str
    fields: tuple[tuple[str, pa.DataType], ...]
    record: type
    is_empty: Callable[[Any], bool]
    show: Callable[[Any], str]
    what: str
    current_order: tuple[str, ...] | None = None

    @property
    def current_schema(self) -> pa.Schema:
        cols = [(self.key, pa.string()), ("year", pa.int64()), *self.fields, *META_FIELDS]
        if self.current_order:
            by = dict(cols)
            cols = [(n, by[n]) for n in self.current_order]
        return pa.schema(cols)

    @property
    def log_schema(self) -> pa.Schema:
        cols = [
            ("revision", pa.int64()),
            ("changed_at", pa.string()),
            ("changed_by", pa.string()),
            ("how", pa.string()),
            (self.key, pa.string()),
            ("year", pa.int64()),
        ]
        for name, typ in self.fields:
            cols += [(f"old_{name}", typ), (f"new_{name}", typ)]
        return pa.schema(cols)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(n for n, _ in self.fields)

    def record_from(self, values: dict) -> Any:
        """A record from stored values (None and NaN of numbers kept as None, of text as "")."""
        out = {}
        for name, typ in self.fields:
            value = values.get(name)
            if pa.types.is_floating(typ):
                out[name] = None if value is None or pd.isna(value) else float(value)
            else:
                out[name] = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        return self.record(**out)


def same_number(a: float | None, b: float | None) -> bool:
    """Equal as stored numbers (None and NaN are "nothing"; a relative 1e-12 for float noise)."""
    a = None if a is None or (isinstance(a, float) and math.isnan(a)) else float(a)
    b = None if b is None or (isinstance(b, float) and math.isnan(b)) else float(b)
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))


def same_record(a: Any, b: Any) -> bool:
    """Field by field: numbers by :func:`same_number`, text exactly."""
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, float) or isinstance(y, float) or (x is None) != (y is None):
            if not same_number(x, y):
                return False
        elif x != y:
            return False
    return True


@dataclass(frozen=True)
class Change:
    """One intended change: the new record of (key, year) and the record the user saw before."""

    key: str
    year: int
    new: Any
    expected: Any


@dataclass(frozen=True)
class SaveResult:
    revision: int
    changed: int


class StaleError(InputError):
    """Someone else changed a record after the user looked at it."""


Describe = Callable[[str, int], str]


def _describe_plain(key: str, year: int) -> str:
    return f"{key}・{year}年"


def now_jst() -> str:
    """The current time in Japan, ISO 8601 with offset (no tzdata needed on Windows)."""
    return datetime.now(UTC).astimezone(JST).isoformat(timespec="seconds")


def _arrow(sql: str, path: Path) -> pa.Table:
    """Run one query over one parquet file on a fresh cursor of the shared DuckDB database."""
    with _DB.cursor() as con:
        return con.sql(sql, params={"path": str(path)}).to_arrow_table()


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Files written before a column existed (``as_of``, 2026-11) read with that column empty."""
    for f in schema:
        if f.name not in table.column_names:
            fill = [""] * table.num_rows if pa.types.is_string(f.type) else [None] * table.num_rows
            table = table.append_column(f.name, pa.array(fill, type=f.type))
    return table.select(schema.names).cast(schema)


class RecordStore:
    """Read and change the records of one kind in one data folder."""

    def __init__(self, data_dir: Path, kind: RecordKind) -> None:
        self.kind = kind
        self.dir = Path(data_dir)
        self.current_path = self.dir / f"{kind.name}.parquet"
        self.log_path = self.dir / f"{kind.name}_log.parquet"
        self.lock = FileLock(str(self.dir / f"{kind.name}.lock"), timeout=LOCK_TIMEOUT_S)
        self._revision_memo: tuple[tuple, int] | None = None

    # -- reading -------------------------------------------------------------------------------------
    def log(self) -> pd.DataFrame:
        """The change log, oldest first."""
        schema = self.kind.log_schema
        if not self.log_path.exists():
            return pd.DataFrame({f.name: pd.Series(dtype=f.type.to_pandas_dtype()) for f in schema})
        return self._log_table().to_pandas()

    def _log_table(self) -> pa.Table:
        key = self.kind.key
        table = _arrow(f"SELECT * FROM read_parquet($path) ORDER BY revision, {key}, year", self.log_path)
        return _conform(table, self.kind.log_schema)

    def current(self) -> pd.DataFrame:
        """Current records, one row per key and year (columns of the current file)."""
        table, _ = self._read_state()
        return table.to_pandas()

    def revision(self) -> int:
        """The revision of the last save (0 when nothing was ever saved).

        Pages ask for it several times per run (it keys the caches), so it is remembered until either
        file changes: a save replaces both by rename (a new inode), so their stat differs.
        """
        stamp = self._stamp()
        memo = self._revision_memo
        if memo is not None and memo[0] == stamp:
            return memo[1]
        revision = self._log_revision()  # the log is the source of truth
        self._revision_memo = (stamp, revision)
        return revision

    def _stamp(self) -> tuple:
        out = []
        for path in (self.log_path, self.current_path):
            try:
                st = path.stat()
            except FileNotFoundError:
                out.append(None)
            else:
                out.append((st.st_ino, st.st_mtime_ns, st.st_size))
        return tuple(out)

    def _read_state(self) -> tuple[pa.Table, int]:
        log_rev = self._log_revision()
        schema = self.kind.current_schema
        if self.current_path.exists():
            meta = pq.read_schema(self.current_path).metadata or {}
            rev = int(meta.get(REVISION_KEY, b"0"))
            if rev == log_rev:
                table = _arrow(f"SELECT * FROM read_parquet($path) ORDER BY {self.kind.key}, year", self.current_path)
                return _conform(table, schema), rev
        if log_rev == 0:
            return schema.empty_table(), 0
        # The current file is missing or older than the log (the process stopped between the two
        # renames): rebuild it from the log, which has every change.
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
        kind = self.kind
        log = self._log_table().to_pandas()
        log = log.sort_values("revision").drop_duplicates([kind.key, "year"], keep="last")
        rows = []
        for r in log.to_dict("records"):
            record = kind.record_from({n: r[f"new_{n}"] for n in kind.field_names})
            if kind.is_empty(record):
                continue
            rows.append(
                {kind.key: r[kind.key], "year": int(r["year"])}
                | dataclasses.asdict(record)
                | {"recorded_at": r["changed_at"], "recorded_by": r["changed_by"], "revision": int(r["revision"])}
            )
        rows.sort(key=lambda row: (row[kind.key], row["year"]))
        return pa.Table.from_pylist(rows, schema=kind.current_schema)

    def records(self) -> dict[tuple[str, int], Any]:
        """Current records by (key, year)."""
        return self._records(self.current())

    def _records(self, frame: pd.DataFrame) -> dict[tuple[str, int], Any]:
        kind = self.kind
        return {(str(r[kind.key]), int(r["year"])): kind.record_from(r) for r in frame.to_dict("records")}

    # -- writing -------------------------------------------------------------------------------------
    def save(self, changes: list, by: str, how: str, describe: Describe | None = None) -> SaveResult:
        """Apply ``changes`` atomically under the lock, refusing all of them if any is stale.

        Parameters
        ----------
        changes : list of Change
            New records and what the user saw (each has the kind's key as ``key`` or under the key's
            own name, e.g. ``series_id``); unchanged records are dropped.
        by : str
            Who saves (shown in the change log).
        how : str
            ``form``, ``file:<name>``, ``undo:<revision>`` or ``redo:<revision>``.
        describe : callable, optional
            ``(key, year) -> str`` naming a record in messages (``人口(0-V1)・R7(2025)年度``).

        Returns
        -------
        SaveResult
            The new revision and how many records changed (revision unchanged when nothing changed).

        Raises
        ------
        InputError
            No name given, the same key and year twice, or the lock not had within 15 s.
        StaleError
            Someone changed a record after the user saw it (every such record listed, both versions).
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

    def _key_of(self, change) -> str:
        return str(getattr(change, "key", None) or getattr(change, self.kind.key))

    def _save_locked(self, changes: list, by: str, how: str, describe: Describe) -> SaveResult:
        kind = self.kind
        empty = kind.record()
        table, rev = self._read_state()
        frame = table.to_pandas()
        current = self._records(frame)
        recorded = {
            (str(r[kind.key]), int(r["year"])): (r["recorded_by"], r["recorded_at"])
            for r in frame[[kind.key, "year", "recorded_by", "recorded_at"]].to_dict("records")
        }
        stale: list[Problem] = []
        effective: list[tuple[str, int, Any, Any]] = []
        seen: set[tuple[str, int]] = set()
        for ch in changes:
            key = (self._key_of(ch), int(ch.year))
            if key in seen:
                raise InputError([Problem(f"同じ{kind.what}の変更が2つあります", subject=describe(*key))])
            seen.add(key)
            now = current.get(key, empty)
            if not now.same_as(ch.expected):
                who, when = recorded.get(key, ("", ""))
                changed = f"{timestamp_text(when)}に「{who}」が" if who else "他の人が"
                stale.append(
                    Problem(
                        f"画面を開いた後に{changed}変更しました。あなたが入力した値: {kind.show(ch.new)}、"
                        f"今の記録: {kind.show(now)}(あなたが画面で見ていた値: {kind.show(ch.expected)})。"
                        "「最新の状態を読み込む」で今の記録を読み込み、確かめてからもう一度保存してください",
                        subject=describe(*key),
                    )
                )
                continue
            if not now.same_as(ch.new):
                effective.append((key[0], key[1], ch.new, now))
        if stale:
            raise StaleError(stale)
        if not effective:
            return SaveResult(revision=rev, changed=0)

        new_rev = rev + 1
        stamp = now_jst()
        log_rows = []
        for key, year, new, old in effective:
            row = {"revision": new_rev, "changed_at": stamp, "changed_by": by, "how": how, kind.key: key, "year": year}
            for name in kind.field_names:
                row[f"old_{name}"] = getattr(old, name)
                row[f"new_{name}"] = getattr(new, name)
            log_rows.append(row)
        old_log = (
            _conform(pq.read_table(self.log_path), kind.log_schema)
            if self.log_path.exists()
            else kind.log_schema.empty_table()
        )
        log = pa.concat_tables([old_log, pa.Table.from_pylist(log_rows, schema=kind.log_schema)])

        rows_by_key = {(r[kind.key], int(r["year"])): r for r in table.to_pylist()}
        for key, year, new, _ in effective:
            if kind.is_empty(new):
                rows_by_key.pop((key, year), None)
            else:
                rows_by_key[(key, year)] = (
                    {kind.key: key, "year": year}
                    | dataclasses.asdict(new)
                    | {"recorded_at": stamp, "recorded_by": by, "revision": new_rev}
                )
        rows = [rows_by_key[k] for k in sorted(rows_by_key)]
        current_table = pa.Table.from_pylist(rows, schema=kind.current_schema).replace_schema_metadata(
            {REVISION_KEY: str(new_rev).encode()}
        )
        # The log first: if we stop between the two renames, the log still has this save.
        replace_all({self.log_path: parquet_bytes(log), self.current_path: parquet_bytes(current_table)})
        remove_stale_temps(self.dir)  # what a process killed mid-save left (an hour old: nobody's)
        return SaveResult(revision=new_rev, changed=len(effective))

    def history(self) -> History:
        """Which change 元に戻す and やり直す would act on next (see :func:`history`)."""
        return history(self.log())

    def undo(self, by: str, describe: Describe | None = None) -> SaveResult:
        """Undo the latest change not yet undone, one at a time back through the log (``undo:<rev>``).

        Undoing twice goes two changes back: an undo entry itself is never "the last change" to undo
        (that is :meth:`redo`).
        """
        target = self.history().undo
        if target is None:
            raise InputError([Problem("元に戻す変更がありません")])
        return self.save(self.inverse(target), by, f"undo:{target}", describe)

    undo_last = undo  # the name the first version used

    def redo(self, by: str, describe: Describe | None = None) -> SaveResult:
        """やり直す: undo the latest undo (``redo:<undo revision>``); only while nothing else changed."""
        target = self.history().redo
        if target is None:
            raise InputError([Problem("やり直す変更がありません")])
        return self.save(self.inverse(target), by, f"redo:{target}", describe)

    def inverse(self, revision: int) -> list[Change]:
        """The changes that put back what ``revision`` changed (each expects what ``revision`` left)."""
        kind = self.kind
        log = self.log()
        return [
            Change(
                key=str(r[kind.key]),
                year=int(r["year"]),
                new=kind.record_from({n: r[f"old_{n}"] for n in kind.field_names}),
                expected=kind.record_from({n: r[f"new_{n}"] for n in kind.field_names}),
            )
            for r in log[log["revision"] == revision].to_dict("records")
        ]


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
