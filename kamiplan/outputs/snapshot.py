"""The offline snapshot: a static site that opens from disk (``file://``) or any web server.

No network and no Python are needed to read it. Charts are Vega-Lite specs drawn in the browser by the
Vega libraries bundled into ``assets/vega.js`` (from vl-convert, so no CDN); each chart also has its
table. Pages: ``index.html`` (overview), ``pillarN.html`` (one per 大綱), ``slides.html`` (the
presentation deck, one slide per screen, ``#slide-N``), and CSV files (UTF-8 with BOM) under ``csv/``.
With the projects' records (:func:`snapshot`'s ``projects``), the overview has the 事業の実施状況 per 大綱
beside the indicators' roll-up, each 大綱 page its own per 基本計画, the deck a slide per 大綱, and
``csv/project_records.csv`` the year's records.

The site is written into a temporary folder next to ``--out`` and renamed into place: readers (and a
web server) see the old site or the new one, never half of either.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import altair as alt
import duckdb
import pandas as pd
from tqdm import tqdm

from kamiplan import labels
from kamiplan.errors import InputError, Problem
from kamiplan.labels import GRADE_LABELS, GRADE_SYMBOLS, GRADES
from kamiplan.model import dashboard
from kamiplan.model.narrative import headline, latest_change, sentence
from kamiplan.model.trajectory import Trajectory
from kamiplan.outputs import charts, render_cache, slides
from kamiplan.outputs.export import to_csv_bytes, today_jst
from kamiplan.outputs.htmlparts import (
    FONT_CSS,
    document,
    esc,
    grade_html,
    project_overview,
    project_part,
    project_slide,
    rollup_table,
    spec_json,
    table,
)
from kamiplan.outputs.plan_view import PlanView, load
from kamiplan.plan import queries
from kamiplan.plan.periods import year_label
from kamiplan.records.actuals_io import export_frame
from kamiplan.storage import TEMP_PREFIX

MARKER = "kamiplan-snapshot.json"  # written into every snapshot; --force only ever replaces such a folder
VEGA_JS = "assets/vega.js"
SITE_JS = "assets/site.js"
SITE_CSS = "assets/site.css"
CSV_INDICATORS = "csv/indicators.csv"
CSV_ACTUALS = "csv/actuals.csv"
CSV_PROJECTS = "csv/projects.csv"
CSV_PROJECT_RECORDS = "csv/project_records.csv"
SLIDES = "slides.html"
# The presentation is laid out on a 1920×1080 stage and scaled to the screen as a whole.
STAGE_W, STAGE_H = 1920, 1080
SLIDE_CHART_W, SLIDE_CHART_H, SLIDE_FONT_SCALE = 760, 440, 2.0
CHART_SLIDES = (slides.PLAN_WIDE, slides.SATISFACTION, slides.INDICATORS)


def pillar_page(pillar: int) -> str:
    return f"pillar{pillar}.html"


@functools.cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed in one script (vl-convert's bundle: no CDN, no network).

    Kept in the render cache: vl-convert takes over a second to make it, and it changes only with vl-convert."""
    return render_cache.javascript_bundle()


SITE_JS_TEXT = r"""
// Draws every chart of the page from its embedded Vega-Lite spec (no network).
(function () {
  document.querySelectorAll(".chart[data-spec]").forEach(function (el) {
    var spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
    vegaEmbed(el, spec, { actions: false, renderer: "svg" }).catch(function (err) {
      el.textContent = "グラフを表示できませんでした(表で見るをご覧ください)";
      console.error(err);
    });
  });
  var deck = document.querySelector(".deck");
  if (!deck) return;
  // Presentation: scale the 1920×1080 stage to the screen; keys move between slides (#slide-N).
  var count = deck.querySelectorAll(".slide").length;
  function fit() {
    var s = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
    document.documentElement.style.setProperty("--scale", String(s));
  }
  function current() {
    var m = /^#slide-(\d+)$/.exec(window.location.hash);
    return m ? Math.min(Math.max(parseInt(m[1], 10), 1), count) : 1;
  }
  function go(n) {
    n = Math.min(Math.max(n, 1), count);
    if (window.location.hash !== "#slide-" + n) window.location.hash = "#slide-" + n;
    else show();
  }
  function show() {
    var el = document.getElementById("slide-" + current());
    if (el) el.scrollIntoView({ block: "start" });
  }
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var k = e.key;
    if (k === "ArrowRight" || k === "PageDown" || k === " " || k === "Enter" || k === "ArrowDown") go(current() + 1);
    else if (k === "ArrowLeft" || k === "PageUp" || k === "Backspace" || k === "ArrowUp") go(current() - 1);
    else if (k === "Home") go(1);
    else if (k === "End") go(count);
    else return;
    e.preventDefault();
  });
  window.addEventListener("hashchange", show);
  window.addEventListener("resize", function () { fit(); show(); });
  fit();
  show();
})();
"""

SITE_CSS_TEXT = f"""
html {{ font-family: {FONT_CSS}; font-size: 17px; line-height: 1.6; color: #1a1a1a; background: #fff; }}
body {{ margin: 0; }}
a {{ color: #005a8c; }}
header.site {{ background: #0b3d5c; color: #fff; padding: 0.6rem 1.2rem; }}
header.site a {{ color: #fff; margin-right: 1.1rem; text-decoration: none; white-space: nowrap; }}
header.site a[aria-current="page"] {{ font-weight: bold; text-decoration: underline; }}
header.site .app {{ font-weight: bold; margin-right: 1.6rem; }}
main {{ max-width: 1240px; margin: 0 auto; padding: 1rem 1.2rem 2rem; }}
h1 {{ font-size: 1.9rem; line-height: 1.3; margin: 0.6rem 0 0.3rem; }}
h2 {{ font-size: 1.45rem; margin: 2rem 0 0.6rem; border-bottom: 3px solid #0072B2; padding-bottom: 0.2rem; }}
h3 {{ font-size: 1.15rem; margin: 1.4rem 0 0.4rem; }}
.meta, .small {{ color: #444; font-size: 0.9rem; }}
.note-box {{ border: 1px solid #bbb; background: #f6f6f6; padding: 0.6rem 0.9rem; margin: 0.8rem 0; font-size: 0.92rem; }}
.cards {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(500px, 1fr)); gap: 1.2rem; }}
.card {{ border: 1px solid #ddd; border-radius: 6px; padding: 0.7rem 0.8rem; margin: 0; min-width: 0; }}
.chart {{ width: 100%; min-height: 120px; }}
.chart.vega-embed {{ display: block; width: 100%; }}
.chart svg {{ max-width: 100%; }}
.sentence {{ font-weight: bold; margin: 0.4rem 0; }}
details {{ margin: 0.4rem 0; }}
summary {{ cursor: pointer; color: #005a8c; }}
.table-wrap {{ overflow-x: auto; }}
table {{ border-collapse: collapse; margin: 0.4rem 0; font-size: 0.88rem; }}
th, td {{ border: 1px solid #bbb; padding: 0.2rem 0.45rem; text-align: left; vertical-align: top; }}
th {{ background: #eef3f7; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
caption {{ text-align: left; font-weight: bold; padding-bottom: 0.2rem; }}
.grade {{ font-weight: bold; }}
.grade-A {{ color: #00714f; }} .grade-B {{ color: #005a8c; }} .grade-C {{ color: #8a5a00; }}
.grade-D {{ color: #a34400; }} .grade-N {{ color: #555; }}
footer.site {{ border-top: 1px solid #ccc; margin-top: 2rem; padding: 1rem 1.2rem; color: #444; font-size: 0.88rem; }}
ul.downloads li {{ margin: 0.2rem 0; }}

/* Presentation (slides.html): a 1920×1080 stage per slide, scaled to the screen by site.js. */
html.deck-page, html.deck-page body {{ overflow: hidden; height: 100%; }}
.slide {{ position: relative; width: 100vw; height: 100vh; overflow: hidden; background: #fff; }}
.stage {{ position: absolute; left: 50%; top: 50%; width: {STAGE_W}px; height: {STAGE_H}px; box-sizing: border-box;
  padding: 56px 90px 0; transform: translate(-50%, -50%) scale(var(--scale, 1)); display: flex; flex-direction: column; }}
.stage h2 {{ font-size: 56px; line-height: 1.25; margin: 0 0 8px; border: none; padding: 0; }}
.stage .lead {{ font-size: 32px; color: #333; margin: 0 0 24px; }}
.stage .body {{ flex: 1; min-height: 0; font-size: 30px; }}
.stage .pair {{ display: grid; grid-template-columns: 1fr 1fr; gap: 60px; }}
.stage .pair .where {{ font-size: 24px; color: #444; margin: 0 0 6px; }}
.stage .pair .sentence {{ font-size: 30px; line-height: 1.45; }}
.stage .chart {{ min-height: 0; }}
.title-slide .stage {{ justify-content: center; }}
.title-slide h2 {{ font-size: 84px; }}
.title-slide .lead {{ font-size: 40px; }}
.tiles {{ display: flex; gap: 28px; margin: 10px 0 36px; }}
.tile {{ border: 3px solid #ccc; border-radius: 12px; padding: 16px 28px; min-width: 230px; text-align: center; }}
.tile .sym {{ font-size: 64px; line-height: 1.1; }}
.tile .word {{ font-size: 34px; font-weight: bold; }}
.tile .n {{ font-size: 48px; }}
.stage .hint {{ font-size: 26px; color: #444; }}
.movers-title {{ font-size: 34px; margin: 0 0 12px; }}
.movers li {{ margin: 0 0 18px; }}
.movers .name {{ font-weight: bold; }}
.stage .note {{ font-size: 30px; color: #333; margin-top: 24px; }}
/* 事業の実施状況: tiles of 評価 (left) and the 新規 list (right) */
.pslide {{ display: grid; grid-template-columns: 620px 1fr; gap: 60px; height: 100%; }}
.pslide .phead {{ font-size: 34px; font-weight: bold; line-height: 1.4; margin: 0 0 12px; }}
.ptile {{ display: grid; grid-template-columns: 80px 1fr auto; align-items: center; gap: 16px; border: 3px solid #ccc;
  border-radius: 12px; padding: 6px 24px; margin: 0 0 14px; }}
.ptile .letter {{ font-size: 64px; font-weight: bold; line-height: 1.1; text-align: center; }}
.ptile .word {{ font-size: 32px; font-weight: bold; line-height: 1.25; }}
.ptile .n {{ font-size: 44px; }}
.pgrade-A {{ border-color: #009E73; }} .pgrade-A .letter {{ color: #00714f; }}
.pgrade-B {{ border-color: #0072B2; }} .pgrade-B .letter {{ color: #005a8c; }}
.pgrade-C {{ border-color: #E69F00; }} .pgrade-C .letter {{ color: #8a5a00; }}
.pgrade-D {{ border-color: #D55E00; }} .pgrade-D .letter {{ color: #a34400; }}
.pgrade-none .letter {{ color: #555; }}
.plist {{ list-style: none; margin: 0; padding: 0; font-size: 30px; line-height: 1.4; }}
.plist li {{ display: grid; grid-template-columns: 5.2em 1fr; gap: 16px; margin: 0 0 8px; }}
.plist .status {{ border: 2px solid #888; border-radius: 8px; text-align: center; font-size: 26px; align-self: start; }}
.plist .more {{ display: block; color: #333; }}
table.projects td {{ text-align: right; white-space: nowrap; }}
table.projects th {{ white-space: nowrap; }}
table.projects td:first-child {{ text-align: left; white-space: normal; }}
.slide-nav {{ height: 90px; display: flex; align-items: center; gap: 48px; font-size: 30px; border-top: 2px solid #ddd; }}
.slide-nav a {{ text-decoration: none; }}
.slide-nav .count {{ margin-left: auto; color: #444; }}
"""


def _nav(view: PlanView, current: str) -> str:
    links = [("index.html", "概要")]
    links += [(pillar_page(int(r.pillar)), f"大綱{r.pillar} {r.short_name}") for r in view.pillars.itertuples()]
    links.append((SLIDES, "発表用スライド"))
    current_attr = ' aria-current="page"'
    items = "".join(
        f'<a href="{esc(href)}"{current_attr if href == current else ""}>{esc(text)}</a>' for href, text in links
    )
    return f'<header class="site"><nav aria-label="ページ"><span class="app">{esc(labels.APP_TITLE)}</span>{items}</nav></header>'


def _footer(view: PlanView, created: date) -> str:
    records = (
        f'<li><a href="{CSV_PROJECT_RECORDS}">{esc(labels.PROJECT_CSV_LINK)}({esc(year_label(view.year))}年度)</a></li>'
        if view.projects is not None
        else ""
    )
    return (
        '<footer class="site">'
        f"<p>{esc(view.info['title'])} / {esc(view.info['strategy_title'])} ・ 計画期間 {esc(view.period_text())}<br>"
        f"評価年度 {esc(year_label(view.year))}年度 ・ 作成日 {created.year}年{created.month}月{created.day}日 ・ "
        "この資料はインターネットに接続しなくても表示できます。</p>"
        f'<ul class="downloads"><li><a href="{CSV_INDICATORS}">指標一覧(評価付き)CSV</a></li>'
        f'<li><a href="{CSV_ACTUALS}">記録済みの実績 CSV</a></li>'
        f'<li><a href="{CSV_PROJECTS}">実施計画(事業一覧)CSV</a></li>{records}</ul>'
        "<p>CSV は UTF-8(BOM付き)で、Excel でそのまま開けます。</p></footer>"
    )


def _page(view: PlanView, created: date, href: str, title: str, main: str) -> bytes:
    head = f'<link rel="stylesheet" href="{SITE_CSS}">\n'
    body = (
        f"{_nav(view, href)}\n<main>\n{main}\n</main>\n{_footer(view, created)}\n"
        f'<script src="{VEGA_JS}"></script>\n<script src="{SITE_JS}"></script>'
    )
    return document(f"{title} ー {labels.APP_TITLE}", body, "", head).encode("utf-8")


class _Charts:
    """Numbers the charts of one page (each one a div and its spec in a JSON script)."""

    def __init__(self) -> None:
        self.count = 0

    def embed(self, chart: alt.TopLevelMixin, label: str) -> str:
        self.count += 1
        n = self.count
        spec = chart.to_dict(validate=False)
        return (
            f'<div class="chart" id="chart-{n}" data-spec="spec-{n}" role="img" aria-label="{esc(label)}"></div>'
            f'<script type="application/json" id="spec-{n}">{spec_json(spec)}</script>'
        )


def _card(traj: Trajectory, view: PlanView, charts_: _Charts, extra: str = "") -> str:
    ind = traj.indicator
    return (
        f'<figure class="card" id="ind-{esc(ind["indicator_id"])}">'
        f"{charts_.embed(charts.trajectory_chart(traj), ind['label'] + ' の推移グラフ')}"
        f'<p class="sentence">{esc(sentence(traj))}</p>{extra}'
        f"<details><summary>表で見る:{esc(ind['label'])}</summary>"
        f'<div class="table-wrap">{table(traj.table())}</div></details></figure>'
    )


def _cards(trajs: list[Trajectory], view: PlanView, charts_: _Charts, extra=None) -> str:
    return '<div class="cards">' + "".join(_card(t, view, charts_, extra(t) if extra else "") for t in trajs) + "</div>"


def _legend() -> str:
    return (
        f'<div class="note-box"><strong>グラフの見方</strong> {esc(labels.CHART_LEGEND)}<br>'
        f"{esc(labels.GRADE_LEGEND)}</div>"
    )


def index_page(view: PlanView, created: date) -> bytes:
    """The overview: 将来像, plan-wide targets, 満足度, grade roll-up and every indicator."""
    info = view.info
    c = _Charts()

    def related(traj: Trajectory) -> str:
        text = view.related_policy(traj)
        if not text:
            return ""
        pillar = int(traj.indicator["related_pillar"])
        policy = int(traj.indicator["related_policy"])
        href = f"{pillar_page(pillar)}#policy-{pillar}-{policy}"
        return f'<p class="small">関係する基本計画: <a href="{esc(href)}">{esc(text)}</a></p>'

    counts = view.rollup_counts("pillar")
    parts = [
        f"<h1>将来像「{esc(info['vision'])}」</h1>",
        f'<p class="meta">{esc(info["title"])} / {esc(info["strategy_title"])} ・ 計画期間 {esc(view.period_text())} ・ '
        f"評価年度 {esc(year_label(view.year))}年度</p>",
        f"<p>{esc(info['vision_statement'])}</p>",
    ]
    if view.actuals.empty:
        parts.append(f'<p class="note-box">{esc(labels.NO_ACTUALS)}</p>')
    parts += [
        f'<p><a href="{SLIDES}">発表用スライドを開く</a>(会場のスクリーン向け。← → キーで移動)</p>',
        _legend(),
        f"<h2>計画全体の目標({esc(year_label(view.year))}年度の評価)</h2>",
        _cards(view.plan_wide(), view, c),
        "<h2>施策の推進(町民アンケートの満足度)</h2>",
        f'<p class="small">{esc(info["survey_note"])}</p>',
        _cards(view.satisfaction(), view, c, related),
        f"<h2>評価の集計({esc(year_label(view.year))}年度)</h2>",
        c.embed(charts.grade_rollup_chart(counts), "大綱ごとの評価の集計(横棒グラフ)"),
        f'<div class="table-wrap">{rollup_table(view.rollup("pillar"), "大綱ごと")}</div>',
        f'<div class="table-wrap">{rollup_table(view.rollup("policy"), "基本計画ごと")}</div>',
        project_overview(view),
        "<h2>全指標の一覧</h2>",
        f'<p><a href="{CSV_INDICATORS}">この表を CSV で保存</a></p>',
        f'<div class="table-wrap">{table(dashboard.indicator_table(view.report))}</div>',
    ]
    return _page(view, created, "index.html", "概要", "\n".join(parts))


def pillar_html(view: PlanView, con: duckdb.DuckDBPyConnection, pillar: int, created: date) -> bytes:
    """One 大綱: its 基本計画 with texts, indicator charts and tables, and projects."""
    row = view.pillars.set_index("pillar").loc[pillar]
    c = _Charts()
    parts = [
        f"<h1>大綱{pillar} {esc(row['name'])}</h1>",
        f"<p>{esc(row['summary'])}</p>",
        _legend(),
        f'<div class="table-wrap">{rollup_table(view.rollup("policy", pillar=pillar), f"評価の集計(基本計画ごと・{year_label(view.year)}年度)")}</div>',
        project_part(view, pillar, heading="h2"),
    ]
    for policy in view.pillar_policies(pillar).itertuples():
        n = int(policy.policy)
        parts.append(f'<h2 id="policy-{pillar}-{n}">({n}) {esc(policy.name)}</h2>')
        issues = policy.issues or "(計画書にこの基本計画の「現状と課題」の記載はありません)"
        approach = policy.approach or "(計画書にこの基本計画の「取組方針」の記載はありません)"
        parts.append(f"<details><summary>現状と課題</summary><p>{esc(issues)}</p></details>")
        parts.append(f"<details><summary>取組方針</summary><p>{esc(approach)}</p></details>")
        trajs = view.select(pillar=pillar, policy=n)
        if trajs:
            parts.append(_cards(trajs, view, c))
        else:
            parts.append('<p class="small">この基本計画には数値目標・KPI がありません。</p>')
        projects = queries.filter_actions(con, pillar=pillar, policy=n)
        parts.append(
            f"<details><summary>({n}) の施策と事業(実施計画、事業 {dashboard.project_count(projects)} 件)</summary>"
            f'<div class="table-wrap">{table(_actions_with_records(view, projects))}</div></details>'
        )
    parts.append(f"<h2>大綱{pillar} の指標一覧({esc(year_label(view.year))}年度)</h2>")
    report = view.report[view.report["pillar"] == pillar]
    parts.append(f'<div class="table-wrap">{table(dashboard.indicator_table(report))}</div>')
    return _page(view, created, pillar_page(pillar), f"大綱{pillar} {row['short_name']}", "\n".join(parts))


def _actions_with_records(view: PlanView, actions: pd.DataFrame) -> pd.DataFrame:
    """The 実施計画 rows with the year's 実施状況 and 評価 beside their names, when any record exists."""
    frame = dashboard.action_table(actions)
    if not view.has_project_records:
        return frame
    records = view.projects.set_index("action_id")
    ids = actions["action_id"].astype(str)
    status = [records.at[i, "status"] or labels.PROJECT_NOT_ENTERED for i in ids]
    grade = [records.at[i, "grade"] or labels.PROJECT_NOT_GRADED for i in ids]
    at = list(frame.columns).index(labels.PROJECT_COLUMNS["name"]) + 1
    frame.insert(at, labels.PROJECT_COLUMNS["status"], status)
    frame.insert(at + 1, labels.PROJECT_COLUMNS["grade"], grade)
    return frame


def _slide_nav(number: int, count: int) -> str:
    prev = f'<a href="#slide-{number - 1}" rel="prev">◀ 前へ</a>' if number > 1 else "<span></span>"
    nxt = f'<a href="#slide-{number + 1}" rel="next">次へ ▶</a>' if number < count else "<span></span>"
    return (
        f'<nav class="slide-nav" aria-label="スライドの移動">{prev}{nxt}'
        f'<a href="index.html">概要へ</a><span class="count">{number} / {count}</span></nav>'
    )


def _slide_body(slide: slides.Slide, view: PlanView, by_id: dict[str, Trajectory], c: _Charts) -> str:
    if slide.kind == slides.TITLE:
        return (
            f'<p class="lead">{esc(slide.subtitle)}</p>'
            f'<p class="lead">{esc(view.info["strategy_title"])}<br>計画期間 {esc(view.period_text())} ・ '
            f"評価年度 {esc(year_label(view.year))}年度</p>"
            + (f'<p class="note">{esc(slide.note)}</p>' if slide.note else "")
            + '<p class="hint">→ キーまたは「次へ」で進みます</p>'
        )
    if slide.kind in CHART_SLIDES:
        cells = []
        for ind_id in slide.indicator_ids:
            traj = by_id[ind_id]
            ind = traj.indicator
            if int(ind["pillar"]) == 0:
                where = labels.SECTION_LABELS[ind["section"]]
            else:
                where = dashboard.group_label(int(ind["pillar"]), int(ind["policy"]), view.pillars, view.policies)
            # Large type needs few ticks: charts.value_axis gives at most 6. A slide has no room to grow:
            # a history part (「これまでの推移」) takes its height from the plan part.
            height = charts.plan_height(traj, SLIDE_CHART_H, SLIDE_FONT_SCALE, SLIDE_CHART_W)
            chart = charts.trajectory_chart(traj, height=height, font_scale=SLIDE_FONT_SCALE, width=SLIDE_CHART_W)
            cells.append(
                f'<div><p class="where">{esc(where)}</p>{c.embed(chart, ind["label"] + " の推移グラフ")}'
                f'<p class="sentence">{esc(headline(traj))}: {esc(sentence(traj))}</p></div>'
            )
        return f'<div class="pair">{"".join(cells)}</div>'
    if slide.kind == slides.NO_ACTUALS:
        items = "".join(
            f'<li><span class="name">{esc(by_id[i].indicator["label"])}</span> {grade_html(by_id[i].grade)}'
            f"(目標 {esc(by_id[i].indicator['target_label'])})</li>"
            for i in slide.indicator_ids
        )
        return f'<ul class="movers">{items}</ul>'
    if slide.kind == slides.PROJECTS and slide.projects is not None:
        return project_slide(slide.projects)
    if slide.kind == slides.PILLAR_SUMMARY:
        grades = [by_id[i].grade for i in slide.indicator_ids]
        tiles = "".join(
            f'<div class="tile grade-{g}"><div class="sym" aria-hidden="true">{esc(GRADE_SYMBOLS[g])}</div>'
            f'<div class="word">{esc(GRADE_LABELS[g])}</div><div class="n">{grades.count(g)}件</div></div>'
            for g in GRADES
        )
        movers = []
        for ind_id in slide.movers:
            traj = by_id[ind_id]
            change = latest_change(traj)
            trend = f"({change.trend}、{year_label(change.since_year)}から)" if change else ""
            movers.append(
                f'<li><span class="name">{esc(traj.indicator["label"])}</span> {grade_html(traj.grade, traj.evaluation.within_band)} {esc(trend)}<br>'
                f"{esc(sentence(traj))}</li>"
            )
        moved = (
            f'<h3 class="movers-title">前回から大きく動いた指標</h3><ul class="movers">{"".join(movers)}</ul>'
            if movers
            else "<p>前回から大きく動いた指標はありません(実績が2年分そろうと表示します)。</p>"
        )
        return (
            f'<p class="hint">指標 {len(grades)}件の評価({esc(year_label(view.year))}年度)</p>'
            f'<div class="tiles">{tiles}</div>{moved}'
        )
    return (
        f'<p class="lead">{esc(slide.subtitle)}</p>'
        f"<p>グラフと数値の一覧は、概要のページ(index.html)と CSV で見られます。</p>"
        f'<p class="hint">評価年度 {esc(year_label(view.year))}年度</p>'
    )


def slides_page(view: PlanView, created: date) -> bytes:
    """The presentation deck of :func:`kamiplan.outputs.slides.build_deck`, one slide per screen (``#slide-N``)."""
    deck = slides.build_deck(view.pillars, list(view.trajectories), view.info, view.projects)
    by_id = {t.indicator["indicator_id"]: t for t in view.trajectories}
    c = _Charts()
    sections = []
    for slide in deck:
        cls = "slide title-slide" if slide.kind in (slides.TITLE, slides.CLOSING) else "slide"
        lead = (
            f'<p class="lead">{esc(slide.subtitle)}</p>'
            if slide.subtitle and slide.kind not in (slides.TITLE, slides.CLOSING)
            else ""
        )
        sections.append(
            f'<section class="{cls}" id="slide-{slide.number}" aria-label="スライド {slide.number}">'
            f'<div class="stage"><h2>{esc(slide.title)}</h2>{lead}'
            f'<div class="body">{_slide_body(slide, view, by_id, c)}</div>'
            f"{_slide_nav(slide.number, len(deck))}</div></section>"
        )
    body = (
        f'<main class="deck">{"".join(sections)}</main>\n'
        f'<script src="{VEGA_JS}"></script>\n<script src="{SITE_JS}"></script>'
    )
    head = f'<link rel="stylesheet" href="{SITE_CSS}">\n'
    html = document(f"発表用スライド ー {labels.APP_TITLE}", body, "", head)
    return html.replace("<html ", '<html class="deck-page" ', 1).encode("utf-8")


def project_records_frame(view: PlanView) -> pd.DataFrame:
    """The year's project records in the import format (:func:`~kamiplan.records.projects_io.project_export_frame`:
    ``import-projects`` of this file changes nothing), one row per 実施計画 row with a record, in plan order.

    A 再掲 row has no record of its own (it is recorded on its original), so Excel's sum of 予算額 here is the
    report's. Nothing entered for the year: the headings only.
    """
    from kamiplan.records.projects import ProjectRecord
    from kamiplan.records.projects_io import project_export_frame

    table = view.projects
    if table is None:
        table = pd.DataFrame(columns=["action_id", "name", "seq", "is_repeat", "entered"])
    own = table[~table["is_repeat"].astype(bool) & table["entered"].astype(bool)]
    records = {
        (str(r["action_id"]), view.year): ProjectRecord(
            **{
                name: (None if pd.isna(r[name]) else float(r[name])) if name in ("budget", "spent") else str(r[name])
                for name in ProjectRecord.__dataclass_fields__
            }
        )
        for r in own.to_dict("records")
    }
    return project_export_frame(table, records)


def csv_files(view: PlanView, con: duckdb.DuckDBPyConnection) -> dict[str, bytes]:
    """Indicators with grades, recorded actuals (the import format), projects and the year's project
    records, UTF-8 with BOM."""
    files = {
        CSV_INDICATORS: to_csv_bytes(dashboard.indicator_table(view.report)),
        CSV_ACTUALS: to_csv_bytes(export_frame(view.indicators, view.actuals)),
        CSV_PROJECTS: to_csv_bytes(dashboard.action_table(queries.filter_actions(con))),
    }
    if view.projects is not None:
        files[CSV_PROJECT_RECORDS] = to_csv_bytes(project_records_frame(view))
    return files


def build_files(
    con: duckdb.DuckDBPyConnection,
    view: PlanView,
    created: date | None = None,
    progress: bool = False,
    workers: int = 0,
) -> dict[str, bytes]:
    """Every file of the site, by relative path.

    Parameters
    ----------
    con : DuckDB cursor over the plan tables (for the projects)
    view : PlanView
    created : date, optional
        Printed in the footer (default: today in Japan).
    progress : bool
        Show a progress bar (tqdm, on stderr).
    workers : int
        With 1 or more, a worker process makes the Vega bundle (when it is not cached) while this one
        builds the pages (commands; 0: all here).

    Returns
    -------
    dict of str to bytes
    """
    created = created or today_jst()
    files: dict[str, bytes] = {}
    with render_cache.BundleJob(background=workers > 0) as bundle:
        steps: list[tuple[str, Callable[[], dict[str, bytes]]]] = [
            ("index.html", lambda: {"index.html": index_page(view, created)}),
        ]
        for p in view.pillars["pillar"]:
            steps.append((pillar_page(int(p)), lambda p=int(p): {pillar_page(p): pillar_html(view, con, p, created)}))
        steps.append((SLIDES, lambda: {SLIDES: slides_page(view, created)}))
        steps.append(("csv", lambda: csv_files(view, con)))
        # Last: the bundle may still be in the making.
        steps.append(("assets", lambda: {VEGA_JS: bundle.result().encode("utf-8"), SITE_JS: SITE_JS_TEXT.encode("utf-8"),
                                         SITE_CSS: SITE_CSS_TEXT.encode("utf-8")}))  # fmt: skip
        bar = tqdm(steps, desc="スナップショットを作成", unit="段階", disable=not progress, leave=True)
        for name, make in bar:
            bar.set_postfix_str(name)
            files.update(make())
    manifest = {
        "generator": "kamiplan snapshot",
        "plan": view.info["title"],
        "year": view.year,
        "created": created.isoformat(),
        "files": sorted(files),
    }
    files[MARKER] = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    return files


def check_out(out: Path, force: bool) -> None:
    """Refuse an ``--out`` that would lose someone's files (Japanese message; nothing is written)."""
    if not out.exists():
        return
    if not out.is_dir():
        raise InputError([Problem("出力先がフォルダではありません(ファイルがあります)", str(out))])
    if not any(out.iterdir()):
        return
    if not force:
        raise InputError(
            [Problem("出力先のフォルダが空ではありません。置き換えるには --force を付けてください", str(out))]
        )
    if not (out / MARKER).is_file():
        raise InputError(
            [
                Problem(
                    f"出力先のフォルダは kamiplan のスナップショットではありません({MARKER} がありません)。"
                    "ほかのファイルを消さないよう、--force でも置き換えません。空のフォルダか新しいフォルダを指定してください",
                    str(out),
                )
            ]
        )


def write_site(files: dict[str, bytes], out: Path, force: bool = False) -> None:
    """Write the site into a temporary folder next to ``out``, then rename it into place."""
    out = Path(out).absolute()
    check_out(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=out.parent))
    old: Path | None = None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o777 & ~umask)  # mkdtemp makes 0700: a web server must be able to read the site
        for rel, data in files.items():
            path = temp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if out.exists():
            if any(out.iterdir()):
                old = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=out.parent))
                os.replace(out, old / "previous")
            else:
                out.rmdir()
        try:
            os.replace(temp, out)
        except OSError:
            if old is not None:
                os.replace(old / "previous", out)
            raise
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


@dataclass(frozen=True)
class SnapshotResult:
    out: Path
    files: int
    size: int
    year: int


def snapshot(
    con: duckdb.DuckDBPyConnection,
    actuals: pd.DataFrame,
    out: Path,
    year: int | None = None,
    force: bool = False,
    progress: bool = False,
    projects: pd.DataFrame | None = None,
    workers: int = 0,
) -> SnapshotResult:
    """Write the offline snapshot of the plan's progress into the folder ``out``.

    Parameters
    ----------
    con : DuckDB cursor over the plan tables
    actuals : DataFrame
        Recorded actuals (:meth:`kamiplan.records.actuals_store.ActualsStore.current`).
    out : Path
        The folder to create (or, with ``force``, a previous snapshot to replace).
    year : int, optional
        Evaluation year (default: :func:`kamiplan.model.dashboard.default_year`, as the pages).
    force : bool
        Replace an existing snapshot folder.
    progress : bool
        Show a progress bar on stderr.
    projects : DataFrame, optional
        The projects' records of every year (:meth:`kamiplan.records.projects.ProjectStore.current`; empty when
        none was entered). Left out, the site has no project part.
    workers : int
        See :func:`build_files`.

    Returns
    -------
    SnapshotResult

    Raises
    ------
    InputError
        When ``out`` is not empty (without ``force``) or is not a snapshot, or ``year`` is outside the plan.
    """
    out = Path(out)
    check_out(out.absolute(), force)  # before the slow part: fail fast
    if year is None:
        info = queries.plan_info(con)
        year = dashboard.default_year(
            actuals, queries.indicators(con), int(info["start_year"]), int(info["end_year"])
        ).year
    view = load(con, actuals, year, projects)
    files = build_files(con, view, progress=progress, workers=workers)
    write_site(files, out, force)
    return SnapshotResult(out=out, files=len(files), size=sum(len(d) for d in files.values()), year=year)
