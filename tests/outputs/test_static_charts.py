"""Charts drawn on the server as SVG (issue 14): hover titles, scaling, the background cache, the child."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kamiplan.model.trajectory import build
from kamiplan.outputs import static_charts as sc
from kamiplan.outputs.charts import grade_rollup_chart, trajectory_chart
from kamiplan.records.actuals_store import Cell

SVG_NS = "{http://www.w3.org/2000/svg}"


def pop_traj(indicators, note="テスト用の架空データ", source="町民課"):
    cells = {2025: Cell(2380.0, note, source), 2026: Cell(2250.0)}
    return build(indicators.loc["0-V1"].to_dict(), cells, 2026, 2025)


@pytest.fixture(scope="module")
def pop_svg(indicators) -> str:
    return sc.render_svg(trajectory_chart(pop_traj(indicators), width=350).to_dict())


def titles(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text for t in root.iter(f"{SVG_NS}title")]


def test_every_point_has_its_details_one_field_per_line(pop_svg):
    found = titles(pop_svg)
    # The plan's 人口: baseline 2,438 (R6), target 2,020 (R11): the path is at 2,354.4 in R7, and 2,380 is
    # (2,438 − 2,380) / (2,438 − 2,020) = 13.9 % of the way.
    assert [t for t in found if "系列: 実績" in t and "R7(2025)" in t] == [
        "年度: R7(2025)\n系列: 実績\n値(人): 2,380\n計画線上の値: 2,354.4\n進捗率(%): 13.9\n"
        "備考: テスト用の架空データ\n出典: 町民課"
    ]
    assert any(t.startswith("年度: R11(2029)\n系列: 目標値") for t in found)  # the target diamond
    # every title belongs to a point (no title on lines, axes or the year rule)
    root = ET.fromstring(pop_svg)
    for el in root.iter():
        if el.find(f"{SVG_NS}title") is not None:
            assert el.get("aria-roledescription") == "point", el.attrib


def test_hover_titles_round_computed_values_and_name_the_series_apart_from_the_unit(indicators):
    """テスト用の架空データ. 2-1-K4 counts 種類 (its series field read as the unit: 「種類: 実績 / 値(種類): 1.3」);
    4-2-T1's path is at 42.666… 件 in R7 (it said 「計画線上の値: 42.6667」)."""
    kinds = build(indicators.loc["2-1-K4"].to_dict(), {2025: Cell(1.3, "", "テスト")}, 2025, 2025)
    (title,) = [t for t in titles(sc.render_svg(trajectory_chart(kinds, width=350).to_dict())) if "R7(2025)" in t]
    assert title == "年度: R7(2025)\n系列: 実績\n値(種類): 1.3\n計画線上の値: 1\n進捗率(%): 26.0\n出典: テスト"
    counts = build(indicators.loc["4-2-T1"].to_dict(), {2025: Cell(45.8671)}, 2025, 2025)
    (title,) = [t for t in titles(sc.render_svg(trajectory_chart(counts, width=350).to_dict())) if "R7(2025)" in t]
    assert "値(件): 45.867\n計画線上の値: 42.7\n進捗率(%): 43.3" in title


def test_english_descriptions_are_gone_and_the_svg_scales(pop_svg):
    assert "X-axis" not in pop_svg and "Y-axis" not in pop_svg and 'aria-label="year:' not in pop_svg
    assert "badge:" not in pop_svg  # the grade badge is read as its own words
    root = ET.fromstring(pop_svg)
    assert root.get("width") is None and root.get("viewBox")
    assert "width:100%" in root.get("style") and float(root.get("data-w")) > 350


def test_bars_of_a_rollup_get_titles():
    import pandas as pd

    counts = pd.DataFrame({"group": ["大綱1", "大綱1", "大綱2"], "grade": ["A", "C", "B"], "count": [2, 1, 3]})
    svg = sc.render_svg(sc.fit(grade_rollup_chart(counts).to_dict(), 500))
    assert set(titles(svg)) == {
        "区分: 大綱1\n評価: ◎ 達成\n指標の数: 2",
        "区分: 大綱1\n評価: △ やや遅れ\n指標の数: 1",
        "区分: 大綱2\n評価: ○ 順調\n指標の数: 3",
    }


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.text(alphabet="<>&\"';=: あア漢abc", min_size=1, max_size=20))
@example(note="& :")  # 「&amp; :」 once became 「&amp&#10;:」 (split on the escaped text): invalid XML
def test_any_note_reaches_the_hover_title_exactly(indicators, note):
    """A note with markup characters is text in the title, never markup (the SVG stays well-formed)."""
    svg = sc.render_svg(trajectory_chart(pop_traj(indicators, note=note.strip() or "x"), width=350).to_dict())
    (title,) = [t for t in titles(svg) if "R7(2025)" in t and "系列: 実績" in t]
    assert f"備考: {note.strip() or 'x'}".replace("; ", "\n") in title


def test_fit_sizes_the_whole_chart():
    spec = {"mark": "point", "width": "container", "height": "container"}
    assert sc.fit(spec, 600, 432) == {
        "mark": "point",
        "width": 600,
        "height": 432,
        "autosize": {"type": "fit", "contains": "padding"},
    }
    assert sc.fit(spec, 600)["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert spec["width"] == "container"  # not changed in place


def test_variants_in_html():
    html = sc.responsive_html({350: "<svg>n</svg>", 660: "<svg>w</svg>"})
    n, w = html.index('class="kp-w kp-w-n"'), html.index('class="kp-w kp-w-w"')
    assert n < html.index("<svg>n</svg>") < w < html.index("<svg>w</svg>")
    # the rules come with the chart, before its SVGs (never both widths on screen waiting for them)
    assert 'data-kp-chart="1"' in html and html.index(sc.RESPONSIVE_CSS) < n
    slide = sc.slide_html({"s": "<svg>s</svg>", "m": "<svg>m</svg>", "l": "<svg>l</svg>"})
    at = [slide.index(f'class="kp-d kp-d-{d}"') for d in "sml"]
    assert at == sorted(at) and slide.index(sc.SLIDE_CSS) < at[0]
    assert f"min-width: {sc.SWITCH_AT}px" in sc.RESPONSIVE_CSS


# -- the cache and the child ---------------------------------------------------------------------------
def test_cache_draws_in_the_background_once_and_keeps_what_was_drawn():
    calls = []

    def render(specs):
        calls.append(sorted(specs))
        return {k: f"<svg>{v['n']}</svg>" for k, v in specs.items() if v["n"] != "bad"}

    cache = sc.SvgCache(render)
    assert cache.get("a") is None
    cache.request([("a", {"n": 1}), ("b", {"n": 2}), ("x", {"n": "bad"})])
    cache.request([("a", {"n": 1})])  # queued already
    assert cache.wait_idle(10)
    assert cache.get("a") == "<svg>1</svg>" and cache.get("b") == "<svg>2</svg>" and cache.get("x") is None
    cache.request([("a", {"n": 1}), ("x", {"n": "bad"})])  # drawn, and refused before: nothing to do
    assert cache.wait_idle(10)
    assert sum(len(c) for c in calls) == 3


def test_the_drawing_thread_gives_memory_back_each_time_it_has_drawn_everything():
    """``done`` (the server's ``release_unused``) runs once the queue is drawn, after the SVGs are kept."""
    import threading

    events = []
    finished = threading.Event()

    def done():
        events.append(("done", cache.get("a")))
        finished.set()

    cache = sc.SvgCache(lambda specs: {k: "<svg>a</svg>" for k in specs}, done=done)
    cache.request([("a", {"n": 1})])
    assert finished.wait(10) and events == [("done", "<svg>a</svg>")]
    finished.clear()
    cache.request([("b", {"n": 2})])
    assert finished.wait(10) and len(events) == 2


def test_cache_forgets_the_least_recently_used():
    cache = sc.SvgCache(lambda specs: {}, entries=2)
    cache.put("a", "<svg>a</svg>")
    cache.put("b", "<svg>b</svg>")
    assert cache.get("a")  # a is now the most recent
    cache.put("c", "<svg>c</svg>")
    assert cache.get("b") is None and cache.get("a") and cache.get("c")


def test_a_failing_child_leaves_the_charts_interactive_and_is_tried_again_later(caplog, monkeypatch):
    calls = []

    def render(specs):
        calls.append(list(specs))
        if len(calls) == 1:
            raise RuntimeError("子プロセスが時間切れ")
        return {k: "<svg/>" for k in specs}

    cache = sc.SvgCache(render)
    cache.request([("a", {})])
    assert cache.wait_idle(10)
    assert cache.get("a") is None and "子プロセスが時間切れ" in caplog.text
    cache.request([("a", {})])  # within the pause: not asked again (no child per page view)
    assert cache.wait_idle(10) and len(calls) == 1
    monkeypatch.setattr(cache, "_pause_until", 0.0)  # the pause is over
    cache.request([("a", {})])
    assert cache.wait_idle(10) and cache.get("a") == "<svg/>"  # not remembered as refused


def test_requests_from_many_sessions_at_once():
    gate = threading.Event()

    def render(specs):
        gate.wait(5)
        return {k: "<svg/>" for k in specs}

    cache = sc.SvgCache(render)
    threads = [threading.Thread(target=cache.request, args=([(f"k{i % 7}", {})],)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    gate.set()
    assert cache.wait_idle(10)
    assert all(cache.get(f"k{i}") == "<svg/>" for i in range(7))


def test_the_child_process_draws_and_leaves_out_what_it_cannot(indicators):
    good = trajectory_chart(pop_traj(indicators), width=350).to_dict()
    out = sc.render_in_child({"good": good, "bad": {"mark": "nonsense"}})
    assert set(out) == {"good"}
    assert out["good"] == sc.render_svg(good)  # the same SVG as drawn here


def test_the_child_keeps_what_it_drew_in_the_render_cache(indicators):
    """Drawn once, a chart comes back from the disk cache (shared with the print report) after a restart."""
    from kamiplan.outputs import render_cache

    spec = trajectory_chart(pop_traj(indicators, note="キャッシュの確認"), width=350).to_dict()
    key = render_cache.svg_key(spec, "test-context")
    assert render_cache.load(key, ".svg") is None
    out = sc.render_in_child({"k": spec}, context="test-context")
    raw = render_cache.load(key, ".svg")
    assert raw is not None and sc.finish_svg(raw) == out["k"]
    # without a context nothing is kept (a machine without the font: no cache key)
    other = trajectory_chart(pop_traj(indicators, note="キャッシュなし"), width=350).to_dict()
    sc.render_in_child({"k": other})
    assert render_cache.load(render_cache.svg_key(other, "test-context"), ".svg") is None


def test_a_note_over_two_paragraphs_leaves_no_blank_line(indicators):
    """The SVG goes into Markdown: a blank line (a note typed over two paragraphs in an Excel cell, a unit
    with a line break) would end the HTML block in the middle of the chart (found by a reviewing helper)."""
    svg = sc.render_svg(
        trajectory_chart(pop_traj(indicators, note='一段落目\n\n二段落目 d="1.23456"'), width=350).to_dict()
    )
    assert "\n" not in svg and "\r" not in svg
    (title,) = [t for t in titles(svg) if "R7(2025)" in t and "系列: 実績" in t]
    assert '備考: 一段落目\n\n二段落目 d="1.23456"' in title  # the note's text exactly, digits untouched
