"""The pages with charts drawn on the server (issue 14): interactive until drawn, then SVG with hover titles."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from kamiplan.app import ui
from kamiplan.outputs import static_charts
from kamiplan.plan.db import PlanDB
from kamiplan.plan.queries import indicators as load_indicators
from tests.app.conftest import static_tables
from tests.conftest import DATA, PROJECT
from tests.synthetic import populated_folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return populated_folder(tmp_path_factory.mktemp("static") / "data", DATA)


@pytest.fixture
def drawn(folder, monkeypatch):
    """Server-drawn charts on, drawn in this process (the same SVG as the child's; the child is tested in
    tests/outputs/test_static_charts.py), with an empty cache."""
    monkeypatch.setenv("KAMIPLAN_DATA_DIR", str(folder))
    monkeypatch.setenv(ui.ENV_STATIC_CHARTS, "1")
    monkeypatch.delenv("KAMIPLAN_READONLY", raising=False)
    monkeypatch.setattr(
        static_charts, "render_in_child", lambda specs, **_: {k: static_charts.render_svg(v) for k, v in specs.items()}
    )
    ui.svg_cache.clear()
    yield ui.svg_cache
    ui.svg_cache.clear()


def open_page(url_path: str, script: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(script)
    at._page_hash = calc_hash(url_path)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def svg_charts(at: AppTest) -> list[str]:
    """The HTML of every chart shown as SVG drawn on the server, in page order."""
    shown = [
        json.loads(e.proto.json)["html"]
        for e in at.get("bidi_component")
        if e.proto.component_name.endswith(ui.SVG_COMPONENT)
    ]
    assert all("data-kp-chart" in html for html in shown)
    assert not [m for m in at.markdown if "<svg" in m.value]  # never through the Markdown renderer
    return shown


def test_pillar_page_interactive_first_then_svg_with_hover_titles(drawn):
    at = open_page("pillar1", "pages/pillar.py")
    assert len(at.get("vega_lite_chart")) == 15 and svg_charts(at) == []  # nobody waits for the drawing
    assert drawn().wait_idle(180)
    at.run()
    assert len(at.get("vega_lite_chart")) == 0
    shown = svg_charts(at)
    assert len(shown) == 15
    for html in shown:
        assert html.count("<svg") == 2 and 'class="kp-w kp-w-n"' in html and 'class="kp-w kp-w-w"' in html
        assert "<title>年度: " in html  # hover details of the points
    # 合計特殊出生率 (1-1-T1) is the first chart; its actual point says its value and its progress.
    first = shown[0]
    assert "合計特殊出生率" in first
    assert re.search(r"<title>年度: R7\(2025\)&#10;系列: 実績&#10;値: [\d.]+&#10;計画線上の値: ", first)


def test_a_changed_value_draws_a_new_chart(drawn, folder):
    from kamiplan.records.actuals_store import ActualsStore, Cell, Change

    at = open_page("pillar4", "pages/pillar.py")
    assert drawn().wait_idle(180)
    at.run()
    before = svg_charts(at)
    assert len(before) == 4 and not at.get("vega_lite_chart")
    store = ActualsStore(folder)
    series = load_indicators(PlanDB(folder).cursor()).set_index("indicator_id").loc["4-2-K2", "series_id"]
    old = store.current().set_index(["series_id", "year"])
    previous = old.loc[(series, 2025)] if (series, 2025) in old.index else None
    cell_before = (
        Cell(float(previous["value"]), previous["note"], previous["source"]) if previous is not None else Cell()
    )
    store.save([Change(series, 2025, Cell(5.0, "テスト", "テスト"), cell_before)], by="テスト", how="form")
    at.run()
    # the changed chart is interactive (drawn anew in the background), the other three stay SVG
    assert len(at.get("vega_lite_chart")) == 1 and len(svg_charts(at)) == 3
    assert drawn().wait_idle(180)
    at.run()
    assert len(svg_charts(at)) == 4 and svg_charts(at) != before


def test_slide_charts_in_three_screen_designs(drawn):
    at = open_page("present", "pages/present.py", {"slide": "2"})
    assert len(at.get("vega_lite_chart")) == 2
    assert drawn().wait_idle(180)
    at.run()
    shown = svg_charts(at)
    assert len(shown) == 2 and not at.get("vega_lite_chart")
    for html in shown:
        assert [d for d in "sml" if f'class="kp-d kp-d-{d}"' in html] == ["s", "m", "l"]
        sizes = [tuple(map(float, m)) for m in re.findall(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', html)]
        # each design is drawn to its slide box (two charts on this slide)
        assert sizes == [tuple(map(float, static_charts.SLIDE_BOXES[d][2])) for d in "sml"]
    # next slide: only the slide fragment reruns, and its charts come from the cache once drawn
    next(b for b in at.button if b.key == "slide_next").click().run()
    assert any("3 / " in m.value for m in at.markdown)


def test_switched_off_every_chart_is_interactive(drawn, monkeypatch):
    monkeypatch.setenv(ui.ENV_STATIC_CHARTS, "0")
    at = open_page("pillar4", "pages/pillar.py")
    assert drawn().idle()  # nothing was queued
    at.run()
    assert len(at.get("vega_lite_chart")) == 4 and svg_charts(at) == []
    assert all(json.loads(c.proto.spec)["width"] == "container" for c in at.get("vega_lite_chart"))


def test_overview_roll_up_and_cards_drawn(drawn):
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90).run()
    assert not at.exception
    sections = load_indicators(PlanDB(DATA).cursor())["section"]
    cards = int(sections.isin(["vision", "population", "satisfaction"]).sum())
    assert len(at.get("vega_lite_chart")) == cards + 1 and svg_charts(at) == []  # the cards and the roll-up
    assert drawn().wait_idle(180)
    at.run()
    shown = svg_charts(at)
    assert len(shown) == cards + 1 and not at.get("vega_lite_chart")
    rollup = next(h for h in shown if 'class="kp-svg-full"' in h)
    assert re.search(r"<title>区分: 大綱1 [^&<]+&#10;評価: [^&<]+&#10;指標の数: \d+</title>", rollup)


def test_the_same_chart_twice_on_a_page_gets_a_second_element():
    def page():
        from kamiplan.app import ui

        ui.show_svg("a" * 64, '<div data-kp-chart="1"><svg></svg></div>')
        ui.show_svg("a" * 64, '<div data-kp-chart="1"><svg></svg></div>')
        ui.show_svg("b" * 64, '<div data-kp-chart="1"><svg></svg></div>')

    at = AppTest.from_function(page).run()
    assert not at.exception
    assert [e.key for e in at.get("bidi_component")] == [
        "kp_svg_" + "a" * 24 + "_1",
        "kp_svg_" + "a" * 24 + "_2",
        "kp_svg_" + "b" * 24 + "_1",
    ]
    assert len(svg_charts(at)) == 3


def test_the_filtered_table_and_its_csv_follow_a_save(drawn, folder, downloads):
    """The 大綱 page's filtered view and its CSV are shared by sessions (cached by what they are made from):
    a save changes the store's revision, so the next run shows the saved value, on screen and in the file."""
    import io

    import pandas as pd

    from kamiplan.records.actuals_store import ActualsStore, Cell, Change

    at = open_page("pillar4", "pages/pillar.py")
    indicator = static_tables(at)[-1]["指標ID"].iloc[-1]
    row = load_indicators(PlanDB(folder).cursor()).set_index("indicator_id").loc[indicator]
    at.selectbox(key="pillar4_policy").set_value(int(row["policy"])).run()
    assert indicator in set(static_tables(at)[-1]["指標ID"])
    year = int(at.selectbox(key="eval_year").value)
    store = ActualsStore(folder)
    series = row["series_id"]
    old = store.current().set_index(["series_id", "year"])
    before = old.loc[(series, year)] if (series, year) in old.index else None
    cell_before = Cell(float(before["value"]), before["note"], before["source"]) if before is not None else Cell()
    store.save([Change(series, year, Cell(4321.0, "テスト", "テスト"), cell_before)], by="テスト", how="form")

    at.run()
    table = static_tables(at)[-1].set_index("指標ID")
    assert table.loc[indicator, "実績"] == "4,321"
    name = next(
        n for n in reversed(list(downloads.made)) if n.startswith("指標一覧_大綱4") and not n.endswith("_sjis.csv")
    )
    csv = pd.read_csv(io.BytesIO(downloads.made[name]), encoding="utf-8-sig").set_index("指標ID")
    assert csv.loc[indicator, "実績"] == 4321.0
