"""The store of recorded actuals: one :class:`~kamiplan.records.store.RecordStore` of kind ``actuals``.

Files in the data folder:

- ``actuals.parquet``: one row per series and year (value, note 要因分析・コメント, source 出典, as_of,
  recorded_at, recorded_by, revision). The plan's baselines are not copied here.
- ``actuals_log.parquet``: every change ever saved (revision, changed_at, changed_by, series, year,
  old → new value/note/source/as_of, how). Rows are only ever added.
- ``actuals.lock``: the lock held around every read-modify-write.

The guarantees (atomic saves, the log as the source of truth, the optimistic check, undo and redo)
are those of :mod:`kamiplan.records.store`, shared with the projects' records.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from kamiplan.plan.values import format_number
from kamiplan.records.store import (  # noqa: F401 — the names callers of this module use
    JST,
    REVISION_KEY,
    Describe,
    History,
    RecordKind,
    RecordStore,
    SaveResult,
    StaleError,
    history,
    now_jst,
    same_record,
)

ACTUALS_FILE = "actuals.parquet"
LOG_FILE = "actuals_log.parquet"
LOCK_FILE = "actuals.lock"


@dataclass(frozen=True)
class Cell:
    """What is stored for one series and year (value None = nothing stored)."""

    value: float | None = None
    note: str = ""
    source: str = ""
    as_of: str = ""  # the date the value is for when it was given ("2020-10-01", "2024-07"), else ""

    def same_as(self, other: Cell) -> bool:
        return same_record(self, other)


EMPTY = Cell()


@dataclass(frozen=True)
class Change:
    """One intended change: the new content of (series, year) and what the user saw before."""

    series_id: str
    year: int
    new: Cell
    expected: Cell


def _show(cell: Cell) -> str:
    if cell.value is None:
        return "(空欄)"
    text = format_number(cell.value)
    if cell.note:
        text += f"・備考「{cell.note[:20]}」"
    return text


ACTUALS = RecordKind(
    name="actuals",
    key="series_id",
    fields=(("value", pa.float64()), ("note", pa.string()), ("source", pa.string()), ("as_of", pa.string())),
    record=Cell,
    is_empty=lambda cell: cell.value is None,  # a note without a value is not kept
    show=_show,
    what="指標・年度",
    # the order of the first files (as_of was added after revision)
    current_order=("series_id", "year", "value", "note", "source", "recorded_at", "recorded_by", "revision", "as_of"),
)
ACTUALS_SCHEMA = ACTUALS.current_schema
LOG_SCHEMA = ACTUALS.log_schema


class ActualsStore(RecordStore):
    """Read and change the recorded actuals of one data folder."""

    def __init__(self, data_dir) -> None:
        super().__init__(data_dir, ACTUALS)

    @property
    def actuals_path(self):
        return self.current_path

    def cells(self) -> dict[tuple[str, int], Cell]:
        """Current content by (series_id, year)."""
        return self.records()


def cells_of(frame: pd.DataFrame) -> dict[tuple[str, int], Cell]:
    """Content by (series_id, year) of a frame of ``actuals.parquet``'s columns."""
    return {(str(r["series_id"]), int(r["year"])): ACTUALS.record_from(r) for r in frame.to_dict("records")}
