"""事業の評価: what is recorded for one 実施計画 row and fiscal year, its word lists, and its store.

The plan's progress management asks each year for 「施策・個別事業の取組状況の評価」 (計画書 第5章
計画の推進). The columns follow the municipal 事務事業評価シート / 総合戦略 KPI 効果検証シート (北見市,
登別市, 上川町, 真狩村): 実施状況, 評価 (A–D), 今後の方向性, 予算額・決算額 (千円), 取組内容・実績,
成果・課題 and 担当課. The unit is one row of the 実施計画 table (``action_id`` 1-1-1-01); a 再掲
row has no record of its own (it shows its original's), and years are the plan's R7–R11.

Stored by :class:`ProjectStore`, a :class:`~kamiplan.records.store.RecordStore` of kind ``projects``
(``projects.parquet``, ``projects_log.parquet``, ``projects.lock``): the guarantees of the actuals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

import pyarrow as pa

from kamiplan import labels
from kamiplan.plan.values import format_number, nfkc
from kamiplan.records.store import Change, RecordKind, RecordStore, same_record

STATUSES: tuple[str, ...] = labels.PROJECT_STATUSES
GRADES: dict[str, str] = labels.PROJECT_GRADES  # A → 計画どおり以上 …
DIRECTIONS: tuple[str, ...] = labels.PROJECT_DIRECTIONS

# Variants whose meaning is certain (after NFKC, spaces removed). Anything else is refused with the list.
STATUS_VARIANTS = {
    "実施済": "実施",
    "実施済み": "実施",
    "実施中": "実施",
    "一部実施済": "一部実施",
    "一部実施済み": "一部実施",
    "一部実施中": "一部実施",
    "未着手": "未実施",
    "未実施(未着手)": "未実施",
    "検討": "検討中",
    "終了": "完了",
    "完了済": "完了",
    "完了済み": "完了",
    "休止中": "休止",
}
DIRECTION_VARIANTS = {
    "継続実施": "継続",
    "現行どおり継続": "継続",
    "現行通り継続": "継続",
    "事業拡充": "拡充",
    "改善して継続": "改善",
    "見直し(改善)": "改善",
    "事業縮小": "縮小",
    "事業統合": "統合",
    "事業休止": "休止",
    "事業廃止": "廃止",
    "事業完了": "完了",
    "終了": "完了",
}
_GRADE_WORDS = {nfkc(words).replace(" ", ""): letter for letter, words in GRADES.items()} | {
    "計画通り以上": "A",
    "計画以上": "A",
    "概ね計画通り": "B",
    "おおむね計画どおり": "B",
    "おおむね計画通り": "B",
    "大幅な遅れ": "D",
    "未着手": "D",
}
_GRADE_LEAD = re.compile(r"^([ABCD])(?:[\s::・.、)\]]|$)")

FIRST_YEAR, LAST_YEAR = 2025, 2029  # R7–R11: projects are evaluated within the plan period (計画書 第1章)


@dataclass(frozen=True)
class ProjectRecord:
    """What is recorded for one 実施計画 row and fiscal year ("" / None = not entered).

    Amounts are 千円 (thousand yen), as on every municipal 事業評価シート.
    """

    status: str = ""  # 実施状況: one of STATUSES
    grade: str = ""  # 評価: A, B, C or D
    direction: str = ""  # 今後の方向性: one of DIRECTIONS
    budget: float | None = None  # 予算額(千円)
    spent: float | None = None  # 決算額(千円)
    work: str = ""  # 取組内容・実績
    outcome: str = ""  # 成果・課題
    department: str = ""  # 担当課 (the plan names none: only what the office enters)

    def same_as(self, other: ProjectRecord) -> bool:
        return same_record(self, other)

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in ("", None) for f in fields(self))


EMPTY_PROJECT = ProjectRecord()


def show_project(record: ProjectRecord) -> str:
    """A record in a few words for messages (「実施・評価 B・決算 1,200千円」)."""
    if record.is_empty():
        return "(未入力)"
    parts = [
        record.status,
        f"評価 {record.grade}" if record.grade else "",
        record.direction,
        f"予算 {format_number(record.budget)}千円" if record.budget is not None else "",
        f"決算 {format_number(record.spent)}千円" if record.spent is not None else "",
        f"取組「{record.work[:15]}」" if record.work else "",
        f"担当 {record.department}" if record.department else "",
    ]
    return "・".join(p for p in parts if p)


PROJECTS = RecordKind(
    name="projects",
    key="action_id",
    fields=(
        ("status", pa.string()),
        ("grade", pa.string()),
        ("direction", pa.string()),
        ("budget", pa.float64()),
        ("spent", pa.float64()),
        ("work", pa.string()),
        ("outcome", pa.string()),
        ("department", pa.string()),
    ),
    record=ProjectRecord,
    is_empty=ProjectRecord.is_empty,
    show=show_project,
    what="事業・年度",
)


@dataclass(frozen=True)
class ProjectChange(Change):
    """A change of one project row's record for one year (``key`` is the row's 事業ID)."""

    @property
    def action_id(self) -> str:
        return self.key


class ProjectStore(RecordStore):
    """Read and change the projects' yearly records of one data folder."""

    def __init__(self, data_dir) -> None:
        super().__init__(data_dir, PROJECTS)


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", nfkc(str(text)))


def read_status(text: str) -> str | None:
    """実施状況 as one of :data:`STATUSES` ("" for blank), or None when it is not one of them."""
    key = _plain(text)
    if not key:
        return ""
    if key in STATUSES:
        return key
    return STATUS_VARIANTS.get(key)


def read_direction(text: str) -> str | None:
    """今後の方向性 as one of :data:`DIRECTIONS` ("" for blank), or None."""
    key = _plain(text)
    if not key:
        return ""
    if key in DIRECTIONS:
        return key
    return DIRECTION_VARIANTS.get(key)


def read_grade(text: str) -> str | None:
    """評価 as A–D from the letter (Ａ, ａ, 「B 概ね計画どおり」) or the words ("" for blank), or None."""
    key = _plain(text).upper()
    if not key:
        return ""
    if key in GRADES:
        return key
    m = _GRADE_LEAD.match(nfkc(str(text)).strip().upper())
    if m:
        return m.group(1)
    return _GRADE_WORDS.get(_plain(text))


def grade_text(letter: str) -> str:
    """「B 概ね計画どおり」 ("" for no grade)."""
    return f"{letter} {GRADES[letter]}" if letter in GRADES else ""
