"""A synthetic plan at scale, for benchmarks: ``python -m kamiplan synth --indicators 1000 --years 20 --out DIR``.

合成データ(ベンチマーク用): every name, number and note is invented and says so. The folder has the
same tables as ``data/`` (schemas of :mod:`kamiplan.plan.schema`) and actuals saved through
:class:`kamiplan.records.actuals_store.ActualsStore`, so the dashboard runs on it unchanged
(``KAMIPLAN_DATA_DIR=DIR``). It is never written into ``data/``.

Shape (deterministic for a given seed):

- the plan period is ``years`` fiscal years ending in FY2029 (the real plan's last year), the
  baseline the year before; every series has an actual for every year of the period;
- the overview keeps the real plan's shape: 4 plan-wide targets (将来像・人口減少対策) and 8
  満足度 items (fewer for tiny plans); every other indicator is a 数値目標/KPI of a 基本計画, about
  ten per 基本計画, spread over ``pillars`` 大綱;
- 3 施策 per 基本計画 and about 4 事業 per indicator (the real plan has 196 事業 for 46 indicator rows).
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import pyarrow as pa

from kamiplan.errors import fail
from kamiplan.model.progress import CUMULATIVE, HIGHER, LEVEL, LOWER, MAINTAIN, RELATIVE, Spec, expected
from kamiplan.paths import DEFAULT_DATA_DIR
from kamiplan.plan import schema
from kamiplan.plan.build import write_tables
from kamiplan.records.actuals_store import EMPTY, ActualsStore, Cell, Change

LABEL = "合成データ(ベンチマーク用)"
NOTE = f"{LABEL}。上砂川町の計画・実績ではありません"
END_YEAR = 2029
PER_POLICY = 10
MEASURES_PER_POLICY = 3
ACTIONS_PER_INDICATOR = 196 / 46
UNITS = [("%", 0.0, 100.0), ("人", 0.0, None), ("件", 0.0, None), ("回", 0.0, None), ("ポイント", None, None)]


def _check_out(out: Path) -> None:
    target = out.resolve()
    data = DEFAULT_DATA_DIR.resolve()
    if target == data or data in target.parents:
        raise fail("合成データは data/ には書き込みません。別のフォルダを指定してください", out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise fail("出力先が空のフォルダではありません(上書きしません)", out)


def synthesize(out: Path, indicators: int = 1000, years: int = 20, pillars: int = 4, seed: int = 0) -> dict[str, int]:
    """Write a synthetic data folder (plan tables and actuals) into the empty folder ``out``.

    Parameters
    ----------
    out : Path
        An empty or missing folder outside ``data/``.
    indicators : int
        Indicator rows (at least 10).
    years : int
        Length of the plan period in years, ending in FY2029 (2 to 30); every series gets an actual
        for every year of it.
    pillars : int
        Number of 大綱 (1 to 9).
    seed : int
        Seed of the random numbers: the same arguments give the same tables and values.

    Returns
    -------
    dict of str to int
        Row counts: ``indicators``, ``policies``, ``measures``, ``actions``, ``actuals``.
    """
    if indicators < 10:
        raise fail("--indicators は 10 以上にしてください")
    if not 2 <= years <= 30:
        raise fail("--years は 2〜30 にしてください")
    if not 1 <= pillars <= 9:
        raise fail("--pillars は 1〜9 にしてください")
    out = Path(out)
    _check_out(out)
    rng = random.Random(seed)
    start = END_YEAR - years + 1
    tables, actuals = _tables(rng, indicators, years, pillars, start)
    out.mkdir(parents=True, exist_ok=True)
    write_tables(tables, out)
    ActualsStore(out).save(actuals, by=LABEL, how="form")
    counts = {name: tables[name].num_rows for name in ("indicators", "policies", "measures", "actions")}
    counts["actuals"] = len(actuals)
    return counts


def _tables(
    rng: random.Random, n: int, years: int, n_pillars: int, start: int
) -> tuple[dict[str, pa.Table], list[Change]]:
    n_wide = min(4, n // 5)
    n_sat = min(8, n // 5)
    body = n - n_wide - n_sat
    per_pillar = [body // n_pillars + (1 if p < body % n_pillars else 0) for p in range(n_pillars)]
    plan = {
        "title": f"{LABEL} 総合計画",
        "strategy_title": f"{LABEL} 総合戦略",
        "vision": f"{LABEL} の将来像",
        "vision_statement": f"この計画は {NOTE}。指標 {n} 行・{years} 年分の実績を機械的に作りました。",
        "period_text": f"{LABEL}: {start}年度から{END_YEAR}年度までの{years}年間",
        "start_year": start,
        "end_year": END_YEAR,
        "progress_management": NOTE,
        "outcomes_intro": NOTE,
        "survey_note": f"満足度の値も {NOTE}。",
        "source_file": "",
        "source_sha256": "",
    }
    pillar_rows, policy_rows, measure_rows, action_rows = [], [], [], []
    ind_rows: list[dict] = []

    def indicator(pillar: int, policy: int, section: str, code: str, **extra) -> None:
        unit, low, high = extra.pop("units", None) or rng.choice(UNITS)
        kind = extra.pop("kind", None) or rng.choices([LEVEL, MAINTAIN, CUMULATIVE, RELATIVE], [80, 8, 7, 5])[0]
        direction = rng.choices([HIGHER, LOWER], [7, 3])[0]
        if kind == RELATIVE:
            unit, low, high = "ポイント", None, None
        base = round(rng.uniform(20, 80) if unit == "%" else rng.uniform(5, 5000), 1)
        if kind == RELATIVE:
            base = round(rng.uniform(-5, 5), 1)
        change = rng.uniform(0.05, 0.4) * (1 if direction == HIGHER else -1)
        target = base if kind == MAINTAIN else round(base * (1 + change) if kind != RELATIVE else base + change * 10, 1)
        if unit == "%":
            target = min(max(target, 0.0), 100.0)
        span = None
        if kind == CUMULATIVE:
            span = min(5, years)
            unit, low, high, direction = "件", 0.0, None, HIGHER
            target = float(rng.randint(5, 50))
        seq = len(ind_rows) + 1
        label = f"合成指標 {code}"
        ind_rows.append(
            {
                "indicator_id": code,
                "series_id": code,
                "seq": seq,
                "pillar": pillar,
                "policy": policy,
                "section": section,
                "section_label": f"{LABEL} {section}",
                "name": label,
                "subgroup": "",
                "label": label,
                "unit": unit,
                "baseline_value": base if kind != CUMULATIVE else None,
                "baseline_label": f"{base:g}{unit}({start - 1}年度)" if kind != CUMULATIVE else "—",
                "baseline_year": start - 1,
                "baseline_period": f"{start - 1}年度",
                "baseline_as_of": "",
                "baseline_span_years": None,
                "target_value": target,
                "target_label": f"{target:g}{unit}({END_YEAR}年度)",
                "target_year": END_YEAR,
                "target_period": f"{END_YEAR}年度",
                "target_as_of": "",
                "target_span_years": span,
                "kind": kind,
                "direction": direction,
                "year_basis": "fiscal_year",
                "survey": section == "satisfaction",
                "value_min": low,
                "value_max": high,
                "related_pillar": extra.get("related_pillar"),
                "related_policy": extra.get("related_policy"),
                "footnote": "",
                "memo": NOTE,
                "source_line": 0,
            }
        )

    for i in range(n_wide):
        indicator(0, 0, "vision" if i < 2 else "population", f"0-V{i + 1}" if i < 2 else f"0-P{i - 1}", kind=LEVEL)

    n_policies = [max(1, math.ceil(count / PER_POLICY)) for count in per_pillar]
    for i in range(n_sat):
        p = i % n_pillars + 1
        q = (i // n_pillars) % n_policies[p - 1] + 1
        indicator(0, 0, "satisfaction", f"0-S{i + 1}", units=UNITS[0], kind=LEVEL, related_pillar=p, related_policy=q)

    action_seq = 0
    for p in range(1, n_pillars + 1):
        pillar_rows.append(
            {
                "pillar": p,
                "name": f"合成大綱{p}({LABEL})",
                "short_name": f"合成大綱{p}",
                "fields": LABEL,
                "outline_name": f"合成大綱{p}",
                "summary": f"大綱{p} の概要。{NOTE}。",
                "source_line": 0,
            }
        )
        count = per_pillar[p - 1]
        n_pol = n_policies[p - 1]
        for q in range(1, n_pol + 1):
            here = count // n_pol + (1 if q <= count % n_pol else 0)
            policy_rows.append(
                {
                    "pillar": p,
                    "policy": q,
                    "name": f"合成基本計画{p}-{q}",
                    "issues": f"現状と課題: {NOTE}。",
                    "approach": f"取組方針: {NOTE}。",
                    "source_line": 0,
                }
            )
            for m in range(1, MEASURES_PER_POLICY + 1):
                measure_rows.append(
                    {"pillar": p, "policy": q, "measure": m, "name": f"合成施策{p}-{q}-{m}", "outline_name": ""}
                )
            for k in range(1, here + 1):
                indicator(p, q, "target" if k == 1 else "kpi", f"{p}-{q}-{'T' if k == 1 else 'K'}{k}")
            n_actions = max(1, round(here * ACTIONS_PER_INDICATOR))
            for a in range(1, n_actions + 1):
                m = (a - 1) % MEASURES_PER_POLICY + 1
                action_seq += 1
                tag = rng.choices(["", "新規", "拡充", "再掲"], [70, 12, 12, 6])[0]
                repeat_of = action_rows[rng.randrange(len(action_rows))]["action_id"] if tag == "再掲" else None
                if repeat_of is None and tag == "再掲":
                    tag = ""
                action_id = f"{p}-{q}-{m}-{a:03d}"
                action_rows.append(
                    {
                        "action_id": action_id,
                        "seq": action_seq,
                        "pillar": p,
                        "policy": q,
                        "measure": m,
                        "name": f"合成事業{action_id}",
                        "summary": f"事業の概要: {NOTE}",
                        "tag": tag,
                        "is_new": tag == "新規",
                        "is_expanded": tag == "拡充",
                        "is_repeat": tag == "再掲",
                        "repeat_of": repeat_of,
                        "project_id": repeat_of or action_id,
                        "is_continuation": False,
                        "source_line": 0,
                    }
                )

    tables = {
        "plan": pa.Table.from_pylist([plan], schema=schema.PLAN),
        "pillars": pa.Table.from_pylist(pillar_rows, schema=schema.PILLARS),
        "policies": pa.Table.from_pylist(policy_rows, schema=schema.POLICIES),
        "measures": pa.Table.from_pylist(measure_rows, schema=schema.MEASURES),
        "indicators": pa.Table.from_pylist(ind_rows, schema=schema.INDICATORS),
        "actions": pa.Table.from_pylist(action_rows, schema=schema.ACTIONS),
    }
    return tables, _actuals(rng, ind_rows, start)


# How far along the path each series gets: ahead, on track, behind, going backwards (every grade shows).
_PACE = [1.2, 1.0, 0.95, 0.6, 0.3, -0.4]


def _actuals(rng: random.Random, rows: list[dict], start: int) -> list[Change]:
    changes = []
    for row in rows:
        spec = Spec.from_row(row)
        pace = rng.choice(_PACE)
        for year in range(start, END_YEAR + 1):
            noise = rng.uniform(-0.03, 0.03)
            if spec.kind == CUMULATIVE:
                if year < spec.window_start:
                    continue
                value = max(0.0, round(spec.target / (spec.span_years or 5) * (pace + noise), 1))
            else:
                e = expected(spec, year)
                assert spec.baseline is not None and e is not None
                value = spec.baseline + (e - spec.baseline) * pace + abs(spec.baseline or 1.0) * noise * 0.1
                if spec.kind == MAINTAIN:
                    value = spec.target * (1 + noise * (1 if pace >= 1 else -1))
            if row["value_min"] is not None:
                value = max(value, row["value_min"])
            if row["value_max"] is not None:
                value = min(value, row["value_max"])
            changes.append(Change(row["series_id"], year, Cell(round(value, 3), NOTE, LABEL), EMPTY))
    return changes
