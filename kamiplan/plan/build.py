"""``python -m kamiplan build-data``: the plan document (+ its errata) + the curated file → parquet tables.

Everything is parsed and checked before anything is written; then all tables are replaced together
(temp files first, then renames), so a refused build leaves the existing tables untouched.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from kamiplan.errors import InputError, Problem
from kamiplan.paths import CURATION_FILE, ERRATA_FILE, PLAN_FILE
from kamiplan.plan import schema
from kamiplan.plan.curation import Curated, read_curation
from kamiplan.plan.errata import apply_errata, read_errata
from kamiplan.plan.parser import (
    TAG_EXPANDED,
    TAG_NEW,
    TAG_REPEAT,
    IndicatorRow,
    ParsedPlan,
    compact,
    parse_plan_text,
    read_plan_text,
)
from kamiplan.plan.periods import FISCAL_YEAR
from kamiplan.plan.values import PlanCell
from kamiplan.storage import parquet_bytes, replace_all

PLAN_TABLES = tuple(schema.TABLES)


@dataclass(frozen=True)
class SourceFiles:
    plan: Path
    curation: Path
    errata: Path | None = (
        None  # corrections of the converted text (:mod:`kamiplan.plan.errata`); a missing file is none
    )

    @classmethod
    def in_dir(cls, source_dir: Path) -> SourceFiles:
        return cls(plan=source_dir / PLAN_FILE, curation=source_dir / CURATION_FILE, errata=source_dir / ERRATA_FILE)


def build_tables(sources: SourceFiles) -> dict[str, pa.Table]:
    """Parse and check the sources and return every plan table (nothing is written).

    Parameters
    ----------
    sources : SourceFiles
        The plan document, its errata (applied to the text before parsing; the document itself is never
        edited) and the curated file.

    Returns
    -------
    dict of str to pyarrow.Table
        Keyed by table name (``plan``, ``pillars``, ``policies``, ``measures``, ``indicators``, ``actions``).
    """
    text = read_plan_text(sources.plan)
    if sources.errata is not None:
        text = apply_errata(text, read_errata(sources.errata), sources.errata, sources.plan)
    plan = parse_plan_text(text, str(sources.plan))
    curated = read_curation(sources.curation)
    digest = hashlib.sha256(sources.plan.read_bytes()).hexdigest()
    tables = {
        "plan": _plan_table(plan, sources.plan.name, digest),
        "pillars": _pillars_table(plan),
        "policies": _policies_table(plan),
        "measures": _measures_table(plan),
        "indicators": _indicators_table(plan, curated, sources),
        "actions": _actions_table(plan, str(sources.plan)),
    }
    for name, table in tables.items():
        assert table.schema.equals(schema.TABLES[name]), name
    return tables


def write_tables(tables: dict[str, pa.Table], out_dir: Path) -> dict[str, Path]:
    """Write the tables as ``out_dir/<name>.parquet``, all or nothing."""
    files = {out_dir / f"{name}.parquet": parquet_bytes(table) for name, table in tables.items()}
    out_dir.mkdir(parents=True, exist_ok=True)
    replace_all(files)
    return {path.stem: path for path in files}


def build_data(source_dir: Path, out_dir: Path) -> dict[str, Path]:
    """Build every plan table from ``source_dir`` into ``out_dir``."""
    return write_tables(build_tables(SourceFiles.in_dir(source_dir)), out_dir)


# -- tables -------------------------------------------------------------------------------------
def _table(rows: list[dict], table_schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=table_schema)


def _plan_table(plan: ParsedPlan, source_file: str, digest: str) -> pa.Table:
    row = {
        "title": plan.title,
        "strategy_title": plan.strategy_title,
        "vision": plan.vision,
        "vision_statement": plan.vision_statement,
        "period_text": plan.period_text,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "progress_management": plan.progress_management,
        "outcomes_intro": plan.outcomes_intro,
        "survey_note": plan.survey_note,
        "source_file": source_file,
        "source_sha256": digest,
    }
    return _table([row], schema.PLAN)


_FIELDS = re.compile(r"^(?P<short>.*?)\((?P<fields>[^()]*)\)$")


def _pillars_table(plan: ParsedPlan) -> pa.Table:
    rows = []
    for p in plan.pillars:
        m = _FIELDS.match(p.name)
        rows.append(
            {
                "pillar": p.pillar,
                "name": p.name,
                "short_name": m.group("short") if m else p.name,
                "fields": m.group("fields") if m else "",
                "outline_name": p.outline_name,
                "summary": "\n".join(p.summary),
                "source_line": p.line,
            }
        )
    return _table(rows, schema.PILLARS)


def _policies_table(plan: ParsedPlan) -> pa.Table:
    rows = [
        {
            "pillar": p.pillar,
            "policy": p.policy,
            "name": p.name,
            "issues": "\n".join(p.issues),
            "approach": "\n".join(p.approach),
            "source_line": p.detail_line or p.overview_line or p.line,
        }
        for _, p in sorted(plan.policies.items())
    ]
    return _table(rows, schema.POLICIES)


def _measures_table(plan: ParsedPlan) -> pa.Table:
    rows = []
    for _, p in sorted(plan.policies.items()):
        numbers = sorted(set(p.outline_measures) | set(p.detail_measures))
        for n in numbers:
            rows.append(
                {
                    "pillar": p.pillar,
                    "policy": p.policy,
                    "measure": n,
                    "name": p.measures_for(n),
                    "outline_name": p.outline_measures.get(n, ""),
                }
            )
    return _table(rows, schema.MEASURES)


def _cell_value(cell: PlanCell, kind: str) -> float | None:
    if cell.value is None and kind == "relative" and "平均" in cell.label:
        return 0.0  # 「全道平均(以上)」: the difference from the average is 0
    return cell.value


def _indicators_table(plan: ParsedPlan, curated: list[Curated], sources: SourceFiles) -> pa.Table:
    plan_path, cur_path = str(sources.plan), str(sources.curation)
    problems: list[Problem] = []
    by_key = {c.key: c for c in curated}
    matched: set[tuple] = set()
    pairs: list[tuple[IndicatorRow, Curated]] = []
    for row in plan.indicators:
        key = (row.pillar, row.policy, row.section, row.name, row.baseline.subgroup or row.target.subgroup)
        c = by_key.get(key)
        if c is None:
            problems.append(
                Problem(
                    f"この指標が {cur_path} にありません(大綱{row.pillar}・基本計画{row.policy}・区分 {row.section}・"
                    f"名前「{row.name}」{('・' + key[4]) if key[4] else ''})。補足情報ファイルに行を追加してください",
                    plan_path,
                    row.line,
                    value=row.name,
                )
            )
            continue
        matched.add(key)
        pairs.append((row, c))
    for c in curated:
        if c.key not in matched:
            problems.append(
                Problem(
                    f"計画書にない指標です(大綱{c.pillar}・基本計画{c.policy}・区分 {c.section}・名前「{c.name}」"
                    f"{('・' + c.subgroup) if c.subgroup else ''})。名前は計画書どおりに書きます",
                    cur_path,
                    c.line,
                    "name",
                    c.name,
                )
            )
    if problems:
        raise InputError(problems)

    records: list[dict] = []
    explicit_basis: dict[str, set[str]] = defaultdict(set)
    for seq, (row, c) in enumerate(pairs, start=1):
        rec = _indicator_record(seq, row, c, plan_path, cur_path, problems)
        if rec is None:
            continue
        if rec.pop("_explicit"):
            explicit_basis[c.series_id].add(rec["year_basis"])
        records.append(rec)
    if problems:
        raise InputError(problems)

    # One series, one meaning: rows printed in two places must agree on everything that is plotted.
    by_series: dict[str, list[dict]] = defaultdict(list)
    for rec in records:
        by_series[rec["series_id"]].append(rec)
    for series_id, recs in by_series.items():
        bases = explicit_basis.get(series_id, set())
        if len(bases) > 1:
            problems.append(
                Problem(
                    f"同じ系列 {series_id} の期間の種類が食い違っています: " + "・".join(sorted(bases)),
                    plan_path,
                    recs[0]["source_line"],
                )
            )
            continue
        if bases:
            for rec in recs:
                rec["year_basis"] = next(iter(bases))
        first = recs[0]
        for rec in recs[1:]:
            for field in (
                "baseline_value",
                "target_value",
                "unit",
                "kind",
                "direction",
                "baseline_year",
                "target_year",
            ):
                if rec[field] != first[field]:
                    problems.append(
                        Problem(
                            f"同じ系列 {series_id} の {field} が {first['source_line']}行目(「{first[field]}」)と食い違っています",
                            plan_path,
                            rec["source_line"],
                            value=str(rec[field]),
                        )
                    )
    if problems:
        raise InputError(problems)
    return _table(records, schema.INDICATORS)


def _indicator_record(
    seq: int, row: IndicatorRow, c: Curated, plan_path: str, cur_path: str, problems: list[Problem]
) -> dict | None:
    base, target = row.baseline, row.target
    base_value = _cell_value(base, c.kind)
    target_value = _cell_value(target, c.kind)
    n_before = len(problems)

    def doc_problem(message: str, column: str = "", value: str = "") -> None:
        problems.append(Problem(message, plan_path, row.line, column, value))

    def cur_problem(message: str, column: str = "kind", value: str | None = None) -> None:
        problems.append(Problem(message, cur_path, c.line, column, c.kind if value is None else value))

    if target_value is None:
        doc_problem("目標値に数値がありません", "目標値", target.label)
    if base.unit and target.unit and base.unit != target.unit:
        doc_problem(f"基準値と目標値の単位が違います(「{base.unit}」と「{target.unit}」)", "単位", target.label)
    spans = target.span_years is not None
    if spans and c.kind != "cumulative":
        cur_problem(f"計画書の目標値は「{target.span_years}か年合計」なので、種類は cumulative です")
    if c.kind == "cumulative" and not spans:
        cur_problem("種類が cumulative ですが、計画書の目標値に「5か年合計」などの記載がありません")
    same = base_value is not None and base_value == target_value
    if c.kind == "maintain" and not same:
        cur_problem("種類が maintain(維持)ですが、計画書の基準値と目標値が同じではありません")
    if same and c.kind in ("level", "cumulative"):
        cur_problem("計画書の基準値と目標値が同じなので、種類は maintain(維持)です")
    if c.kind == "relative" and (base_value is None or target_value is None):
        cur_problem("種類が relative ですが、基準値か目標値を差として読み取れません")

    base_period = base.period or row.baseline_header
    target_period = target.period or row.target_header
    if base_period is None:
        doc_problem("基準値の年度が分かりません(見出しの「基準値(R5)」かセルの「(令和6年度)」が必要です)", "基準値")
    if target_period is None:
        doc_problem("目標値の年度が分かりません", "目標値")
    if len(problems) > n_before:
        return None
    assert base_period is not None and target_period is not None

    explicit = {p.basis for p in (base_period, target_period) if p.explicit}
    if len(explicit) > 1:
        doc_problem("基準値と目標値で期間の種類(年度・年・時点)が違います: " + "・".join(sorted(explicit)))
        return None
    year_basis = next(iter(explicit)) if explicit else FISCAL_YEAR

    values = [v for v in (base_value, target_value) if v is not None]
    unit = base.unit or target.unit
    if c.kind == "relative" or any(v < 0 for v in values):
        value_min, value_max = None, None
    elif unit == "%":
        value_min, value_max = 0.0, 100.0
    else:
        value_min, value_max = 0.0, None
    subgroup = base.subgroup or target.subgroup
    footnote = "\n".join(text for _, text in sorted(row.footnotes.items()) if text)
    return {
        "indicator_id": c.indicator_id,
        "series_id": c.series_id,
        "seq": seq,
        "pillar": row.pillar,
        "policy": row.policy,
        "section": row.section,
        "section_label": row.section_label,
        "name": row.name,
        "subgroup": subgroup,
        "label": f"{row.name}({subgroup})" if subgroup else row.name,
        "unit": unit,
        "baseline_value": base_value,
        "baseline_label": base.label,
        "baseline_year": base_period.year,
        "baseline_period": base_period.text,
        "baseline_as_of": base_period.as_of,
        "baseline_span_years": base.span_years,
        "target_value": target_value,
        "target_label": target.label,
        "target_year": target_period.year,
        "target_period": target_period.text,
        "target_as_of": target_period.as_of,
        "target_span_years": target.span_years,
        "kind": c.kind,
        "direction": c.direction,
        "year_basis": year_basis,
        "survey": c.survey,
        "value_min": value_min,
        "value_max": value_max,
        "related_pillar": c.related_pillar,
        "related_policy": c.related_policy,
        "footnote": footnote,
        "memo": c.memo,
        "source_line": row.line,
        "_explicit": bool(explicit),
    }


def _actions_table(plan: ParsedPlan, plan_path: str) -> pa.Table:
    problems: list[Problem] = []
    rows: list[dict] = []
    counters: dict[tuple[int, int, int], int] = defaultdict(int)
    originals: dict[str, str] = {}  # compact(name) → project_id of the first non-repeat project
    project_id = ""
    for seq, a in enumerate(plan.actions, start=1):
        key = (a.pillar, a.policy, a.measure)
        counters[key] += 1
        action_id = f"{a.pillar}-{a.policy}-{a.measure}-{counters[key]:02d}"
        if not a.continuation:
            project_id = action_id
        is_repeat = TAG_REPEAT in a.tag
        rows.append(
            {
                "action_id": action_id,
                "seq": seq,
                "pillar": a.pillar,
                "policy": a.policy,
                "measure": a.measure,
                "name": a.name,
                "summary": a.summary,
                "tag": a.tag,
                "is_new": a.tag.startswith(TAG_NEW),
                "is_expanded": a.tag == TAG_EXPANDED,
                "is_repeat": is_repeat,
                "repeat_of": None,
                "project_id": project_id,
                "is_continuation": a.continuation,
                "source_line": a.line,
            }
        )
        if not is_repeat and not a.continuation:
            originals.setdefault(compact(a.name), project_id)
    for row, a in zip(rows, plan.actions, strict=True):
        if row["is_repeat"]:
            original = originals.get(compact(a.name))
            if original is None:
                problems.append(
                    Problem(
                        "「再掲」の事業ですが、同じ事業名の元の事業が計画書にありません",
                        plan_path,
                        a.line,
                        "事業名",
                        a.name,
                    )
                )
            row["repeat_of"] = original
    if problems:
        raise InputError(problems)
    return _table(rows, schema.ACTIONS)
