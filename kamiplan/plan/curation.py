"""The curated file: what the plan document cannot say about its indicators.

``data/source/indicators.csv`` holds one row per indicator row of the document, keyed by
(pillar, policy, section, name, subgroup), and gives it a stable ``indicator_id``, the series it
belongs to (a measure printed in two places is one series), its ``kind`` and ``direction``, whether it
comes from a residents' survey, and the 基本計画 a plan-wide 満足度 target relates to.

The build refuses the file when it and the document disagree: a row for an indicator the document
does not have, an indicator of the document missing here, or a kind the document contradicts.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from kamiplan.errors import InputError, Problem, fail
from kamiplan.plan.parser import SECTIONS

KINDS = ("level", "cumulative", "maintain", "relative")
DIRECTIONS = ("higher", "lower")
COLUMNS = (
    "indicator_id",
    "series_id",
    "pillar",
    "policy",
    "section",
    "name",
    "subgroup",
    "kind",
    "direction",
    "survey",
    "related_policy",
    "memo",
)
_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,31}$")
_POLICY_REF = re.compile(r"^(?P<pillar>\d+)-(?P<policy>\d+)$")


@dataclass(frozen=True)
class Curated:
    """One row of the curated file."""

    line: int
    indicator_id: str
    series_id: str
    pillar: int
    policy: int
    section: str
    name: str
    subgroup: str
    kind: str
    direction: str
    survey: bool
    related_pillar: int | None
    related_policy: int | None
    memo: str

    @property
    def key(self) -> tuple[int, int, str, str, str]:
        return (self.pillar, self.policy, self.section, self.name, self.subgroup)


def read_curation(path: Path) -> list[Curated]:
    """Read and check the curated file on its own (matching with the document is done by the build).

    Parameters
    ----------
    path : Path
        ``indicators.csv`` (UTF-8, with or without BOM).

    Returns
    -------
    list of Curated
        In file order. Raises :class:`InputError` listing every problem found.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail("指標の補足情報ファイルが見つかりません", path) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise fail("指標の補足情報ファイルが UTF-8 ではありません", path) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        msg = []
        if missing:
            msg.append("必要な列がありません: " + "、".join(missing))
        if unknown:
            msg.append("不明な列があります: " + "、".join(unknown))
        raise fail("。".join(msg), path, 1)

    problems: list[Problem] = []
    rows: list[Curated] = []
    seen_ids: dict[str, int] = {}
    seen_keys: dict[tuple, int] = {}

    def problem(line: int, column: str, value: str, message: str) -> None:
        problems.append(Problem(message=message, path=str(path), line=line, column=column, value=value))

    for record in reader:
        line = reader.line_num
        if None in record or any(v is None for v in record.values()):
            problem(line, "", "", f"列の数が見出し行({len(COLUMNS)}列)と合いません")
            continue
        r = {k: v.strip() for k, v in record.items()}
        ok = True
        if not _ID.match(r["indicator_id"]):
            problem(line, "indicator_id", r["indicator_id"], "指標IDは英数字・ハイフン・下線の32文字以内です")
            ok = False
        elif r["indicator_id"] in seen_ids:
            problem(
                line, "indicator_id", r["indicator_id"], f"指標IDが{seen_ids[r['indicator_id']]}行目と重複しています"
            )
            ok = False
        ints = {}
        for col in ("pillar", "policy"):
            if not r[col].isdigit():
                problem(line, col, r[col], "0以上の整数ではありません")
                ok = False
            else:
                ints[col] = int(r[col])
        if r["section"] not in SECTIONS:
            problem(line, "section", r["section"], "区分は " + "・".join(SECTIONS) + " のいずれかです")
            ok = False
        if r["kind"] not in KINDS:
            problem(line, "kind", r["kind"], "種類は " + "・".join(KINDS) + " のいずれかです")
            ok = False
        if r["direction"] not in DIRECTIONS:
            problem(line, "direction", r["direction"], "方向は higher(高いほど良い)か lower(低いほど良い)です")
            ok = False
        if r["survey"] not in ("0", "1"):
            problem(line, "survey", r["survey"], "アンケート由来かどうかは 0 か 1 で書きます")
            ok = False
        related_pillar = related_policy = None
        if r["related_policy"]:
            m = _POLICY_REF.match(r["related_policy"])
            if not m:
                problem(
                    line,
                    "related_policy",
                    r["related_policy"],
                    "関連する基本計画は「大綱-基本計画」(例: 1-2)で書きます",
                )
                ok = False
            else:
                related_pillar, related_policy = int(m.group("pillar")), int(m.group("policy"))
        if not r["name"]:
            problem(line, "name", "", "指標名が空です")
            ok = False
        if not ok:
            continue
        item = Curated(
            line=line,
            indicator_id=r["indicator_id"],
            series_id=r["series_id"] or r["indicator_id"],
            pillar=ints["pillar"],
            policy=ints["policy"],
            section=r["section"],
            name=r["name"],
            subgroup=r["subgroup"],
            kind=r["kind"],
            direction=r["direction"],
            survey=r["survey"] == "1",
            related_pillar=related_pillar,
            related_policy=related_policy,
            memo=r["memo"],
        )
        if item.key in seen_keys:
            problem(line, "name", item.name, f"同じ指標が{seen_keys[item.key]}行目にもあります")
            continue
        seen_ids[item.indicator_id] = line
        seen_keys[item.key] = line
        rows.append(item)

    ids = {c.indicator_id: c for c in rows}
    for c in rows:
        if c.series_id != c.indicator_id:
            target = ids.get(c.series_id)
            if target is None:
                problem(c.line, "series_id", c.series_id, "系列IDが、このファイルにある指標IDではありません")
            elif target.series_id != target.indicator_id:
                problem(
                    c.line, "series_id", c.series_id, "系列IDは、自分自身の系列の代表である指標IDを指します(連鎖は不可)"
                )
    if problems:
        raise InputError(problems)
    return rows
