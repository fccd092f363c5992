"""The printable progress report: one HTML file, A4 portrait, that prints with no JavaScript and no network.

Cover (title, 将来像, period, the grade roll-up per 大綱, the projects' roll-up per 大綱, how to read the
charts), then 計画全体の目標 and 満足度, then one part per 大綱 starting on a new page: its roll-up per
基本計画, 「事業の実施状況」 (counts by 評価 and 実施状況, 予算・決算, 新規, per 基本計画) and, per
基本計画, each indicator's chart (inline SVG drawn by vl-convert), numbers, plain sentence, notes and sources.
Without project records for the year the project parts say so in one sentence.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from kamiplan import labels
from kamiplan.model.narrative import sentence
from kamiplan.model.progress import CUMULATIVE
from kamiplan.model.trajectory import Trajectory
from kamiplan.outputs import images, render_cache
from kamiplan.outputs.export import today_jst
from kamiplan.outputs.htmlparts import (
    FONT_CSS,
    document,
    esc,
    fmt,
    grade_html,
    pct,
    project_overview,
    project_part,
    rollup_table,
)
from kamiplan.outputs.plan_view import PlanView, load, notes_of
from kamiplan.outputs.render_cache import SvgBatch
from kamiplan.plan.periods import REIWA_OFFSET, year_label

# Drawn narrower than on screen, with larger type: beside the numbers, 60 % of an A4 line, the chart
# text prints at about 9 pt.
CHART_WIDTH = 440
CHART_HEIGHT = 150
CHART_FONT_SCALE = 1.3

CSS = f"""
@page {{
  size: A4 portrait;
  margin: 14mm 13mm 16mm 13mm;
  @bottom-center {{ content: counter(page) " / " counter(pages); font-size: 9pt; color: #555; }}
}}
html {{ font-family: {FONT_CSS}; font-size: 10.5pt; line-height: 1.55; color: #111; }}
body {{ margin: 0 auto; max-width: 184mm; padding: 0 4mm; }}
h1 {{ font-size: 19pt; line-height: 1.3; margin: 0 0 2mm; }}
h2 {{ font-size: 15pt; margin: 0 0 3mm; padding-bottom: 1mm; border-bottom: 2px solid #0072B2; }}
h3 {{ font-size: 12.5pt; margin: 5mm 0 2mm; break-after: avoid; page-break-after: avoid; }}
h4 {{ font-size: 11pt; margin: 0 0 1mm; }}
p {{ margin: 1.5mm 0; }}
.cover .vision {{ font-size: 16pt; font-weight: bold; margin: 4mm 0 2mm; }}
.meta, .small {{ font-size: 9pt; color: #333; }}
.part {{ break-before: page; page-break-before: always; }}
.indicator {{ break-inside: avoid; page-break-inside: avoid; border-top: 1px solid #bbb; padding-top: 2.5mm;
  margin-top: 3mm; }}
.indicator .id {{ font-weight: normal; font-size: 9pt; color: #555; margin-left: 2mm; }}
.chart svg {{ display: block; width: 100%; height: auto; }}
table {{ border-collapse: collapse; width: 100%; margin: 1.5mm 0; font-size: 9.5pt; }}
th, td {{ border: 1px solid #999; padding: 0.8mm 1.6mm; text-align: left; vertical-align: top; }}
th {{ background: #eef3f7; font-weight: bold; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.indicator .body {{ display: grid; grid-template-columns: 60% 1fr; gap: 3mm; align-items: start; margin-top: 1mm; }}
table.numbers {{ margin: 0; font-size: 9pt; line-height: 1.35; }}
table.numbers th {{ width: 42%; white-space: nowrap; }}
table.rollup td.num, table.rollup th {{ text-align: center; }}
caption {{ text-align: left; font-weight: bold; padding-bottom: 1mm; }}
.sentence {{ font-size: 10.5pt; font-weight: bold; margin: 1.5mm 0 0.5mm; }}
.notes {{ font-size: 8.5pt; line-height: 1.4; margin: 0.5mm 0 0; padding-left: 5mm; }}
.grade {{ font-weight: bold; }}
.grade-A {{ color: #00714f; }} .grade-B {{ color: #005a8c; }} .grade-C {{ color: #8a5a00; }}
.grade-D {{ color: #a34400; }} .grade-N {{ color: #555; }}
.note-box {{ border: 1px solid #bbb; background: #f7f7f7; padding: 2mm 3mm; margin: 3mm 0; font-size: 9.5pt; }}
.projects {{ margin-top: 4mm; }}
table.projects td {{ text-align: right; white-space: nowrap; }}
table.projects th {{ white-space: nowrap; }}
table.projects td:first-child {{ text-align: left; white-space: normal; }}
table.projects, table.new-projects {{ break-inside: avoid; page-break-inside: avoid; }}
@media screen {{
  body {{ padding: 8mm 4mm; }}
  .part {{ margin-top: 12mm; }}
}}
"""


def report_filename(year: int) -> str:
    """``進捗レポート_R8(2026)年度.html``."""
    return f"進捗レポート_{year_label(year)}年度.html"


def _numbers(traj: Trajectory) -> str:
    ind = traj.indicator
    ev = traj.evaluation
    unit = ind["unit"]
    total = "(累計)" if ind["kind"] == CUMULATIVE else ""
    actual = "—" if ev.actual is None else f"{fmt(ev.actual, unit)}{total}"
    rows = [
        ("評価", grade_html(ev.grade, ev.within_band)),
        ("基準値", esc(ind["baseline_label"]) or "—"),
        ("目標値", esc(ind["target_label"])),
        (f"実績(R{traj.year - REIWA_OFFSET})", esc(actual)),
        ("計画線上の値", esc(fmt(ev.expected, unit))),
        ("進捗率", esc(pct(ev.progress_pct))),
        ("達成率", esc(pct(ev.achievement_pct))),
        (f"見込み(R{int(ind['target_year']) - REIWA_OFFSET})", esc(fmt(ev.projected, unit))),
    ]
    body = "".join(f'<tr><th scope="row">{a}</th><td>{b}</td></tr>' for a, b in rows)
    return f'<table class="numbers">{body}</table>'


def _notes(traj: Trajectory, related: str) -> str:
    ind = traj.indicator
    items = [f"<li>関係する基本計画: {esc(related)}</li>"] if related else []
    for year, note, source in notes_of(traj):
        text = f"{esc(year_label(year))}: {esc(note)}"
        if source:
            text += f"(出典: {esc(source)})"
        items.append(f"<li>{text}</li>")
    if ind.get("footnote"):
        items.append(f"<li>注: {esc(ind['footnote'])}</li>")
    if ind.get("memo"):
        items.append(f"<li>補足: {esc(ind['memo'])}</li>")
    if not items:
        return ""
    return f'<ul class="notes" aria-label="備考・出典">{"".join(items)}</ul>'


def indicator_block(traj: Trajectory, view: PlanView, charts: SvgBatch | None = None) -> str:
    """One indicator: heading, chart (inline SVG), numbers, plain sentence, notes and sources.

    With ``charts`` the chart is a slot that :func:`render` fills once the batch has drawn it."""
    ind = traj.indicator
    spec = images.chart_spec(traj, CHART_WIDTH, CHART_HEIGHT, CHART_FONT_SCALE)
    subtitle = spec.pop("title", {}).get("subtitle", "")  # the heading above says it: no title in the chart
    svg = images.spec_to_svg(spec) if charts is None else charts.slot(spec)
    return (
        f'<article class="indicator" id="ind-{esc(ind["indicator_id"])}">'
        f'<h4>{esc(ind["label"])}<span class="id">{esc(ind["indicator_id"])} ・ '
        f"{esc(labels.SECTION_LABELS[ind['section']])} ・ {esc(subtitle)}</span></h4>"
        f'<div class="body"><div class="chart" role="img" aria-label="{esc(ind["label"])} の推移グラフ">{svg}</div>'
        f"{_numbers(traj)}</div>"
        f'<p class="sentence">{esc(sentence(traj))}</p>{_notes(traj, view.related_policy(traj))}</article>'
    )


def _cover(view: PlanView, created: date) -> str:
    info = view.info
    parts = [
        '<section class="cover">',
        f"<h1>{esc(info['title'])} 進捗状況報告({esc(year_label(view.year))}年度)</h1>",
        f'<p class="meta">{esc(info["strategy_title"])}<br>計画期間 {esc(view.period_text())} ・ '
        f"評価年度 {esc(year_label(view.year))}年度 ・ 作成日 {created.year}年{created.month}月{created.day}日</p>",
        f'<p class="vision">将来像「{esc(info["vision"])}」</p>',
        f"<p>{esc(info['vision_statement'])}</p>",
    ]
    if view.actuals.empty:
        parts.append(f'<p class="note-box">{esc(labels.NO_ACTUALS)}</p>')
    parts.append(rollup_table(view.rollup("pillar"), caption=f"評価の集計(大綱ごと・{year_label(view.year)}年度)"))
    parts.append(project_overview(view))
    parts.append(
        '<div class="note-box"><p><strong>グラフの見方</strong> '
        f"{esc(labels.CHART_LEGEND)}</p><p>{esc(labels.GRADE_LEGEND)}</p>"
        f"<p>{esc(labels.PROGRESS_FORMULAS['linear'])}(5か年合計の指標は {esc(labels.PROGRESS_FORMULAS['cumulative'])})。"
        f"{esc(labels.ACHIEVEMENT_FORMULAS['higher'])}(低いほど良い指標は {esc(labels.ACHIEVEMENT_FORMULAS['lower'])})。</p></div>"
    )
    parts.append("</section>")
    return "".join(parts)


def _plan_wide(view: PlanView, charts: SvgBatch) -> str:
    parts = ['<section class="part" id="plan-wide"><h2>計画全体の目標</h2>']
    parts += [indicator_block(t, view, charts) for t in view.plan_wide()]
    parts.append('<h3 id="satisfaction">施策の推進(町民アンケートの満足度)</h3>')
    parts.append(f'<p class="small">{esc(view.info["survey_note"])}</p>')
    parts += [indicator_block(t, view, charts) for t in view.satisfaction()]
    parts.append("</section>")
    return "".join(parts)


def _pillar(view: PlanView, pillar: pd.Series, charts: SvgBatch) -> str:
    n = int(pillar["pillar"])
    parts = [
        f'<section class="part pillar" id="pillar{n}"><h2>大綱{n} {esc(pillar["name"])}</h2>',
        f'<p class="small">{esc(pillar["summary"])}</p>',
        rollup_table(view.rollup("policy", pillar=n), caption=f"評価の集計(基本計画ごと・{year_label(view.year)}年度)"),
        project_part(view, n, heading="h3"),
    ]
    for policy in view.pillar_policies(n).itertuples():
        parts.append(f"<h3>({policy.policy}) {esc(policy.name)}</h3>")
        items = view.select(pillar=n, policy=int(policy.policy))
        if not items:
            parts.append('<p class="small">この基本計画には数値目標・KPI がありません。</p>')
        parts += [indicator_block(t, view, charts) for t in items]
    parts.append("</section>")
    return "".join(parts)


def render(
    view: PlanView, created: date | None = None, workers: int = 0, drawers: render_cache.Drawers | None = None
) -> str:
    """The report of ``view`` as one HTML document.

    Parameters
    ----------
    view : PlanView
    created : date, optional
        Printed on the cover (default: today in Japan).
    workers : int
        Processes besides this one drawing the charts missing from the cache (0: none; commands give cores − 1).
    drawers : Drawers, optional
        Such processes started before (the command starts them before it imports pandas and Altair), in place
        of ``workers``.

    Returns
    -------
    str
        HTML with print CSS (A4 portrait, a page break before each part), inline SVG charts, no script.

    Raises
    ------
    InputError
        When no Japanese font is available for the charts.
    """
    with images.svg_batch(workers=workers, drawers=drawers) as charts:
        body = [_cover(view, created or today_jst()), _plan_wide(view, charts)]
        body += [_pillar(view, row, charts) for _, row in view.pillars.iterrows()]
        title = f"{view.info['title']} 進捗状況報告({year_label(view.year)}年度)"
        return charts.fill(document(title, "\n".join(body), CSS))


def build_html(
    con: duckdb.DuckDBPyConnection,
    actuals: pd.DataFrame,
    year: int,
    projects: pd.DataFrame | None = None,
    workers: int = 0,
    drawers: render_cache.Drawers | None = None,
) -> str:
    """The printable report for ``year`` from the plan tables, the recorded actuals and the projects' records
    (:meth:`~kamiplan.records.projects.ProjectStore.current`; left out, the report has no project part).
    See :func:`render`."""
    return render(load(con, actuals, year, projects), workers=workers, drawers=drawers)
