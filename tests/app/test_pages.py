"""Every page under AppTest (driven by the page list), filters, and the filtered CSV download."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from streamlit.proto.SelectWidgetFilterMode_pb2 import FILTER_MODE_NONE
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from kamiplan import labels
from kamiplan.app.site import page_specs
from kamiplan.outputs import slides
from kamiplan.plan.db import PlanDB
from kamiplan.plan.queries import pillars as load_pillars
from kamiplan.text import escape_markdown
from tests.app.conftest import static_tables, streamlit_english
from tests.conftest import DATA, PROJECT
from tests.synthetic import populated_folder

SPECS = page_specs(load_pillars(PlanDB(DATA).cursor()))
TITLES = {
    "": "将来像「小さな町の輝く未来へ挑戦するまち」",
    "projects": "実施計画(事業一覧)",
    "present": "将来像「小さな町の輝く未来へ挑戦するまち」",
    "edit": "実績の入力",
}
CHARTS = {"": 12, "pillar1": 15, "pillar2": 10, "pillar3": 6, "pillar4": 4, "projects": 0, "present": 0, "edit": 0}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return populated_folder(tmp_path_factory.mktemp("pages") / "data", DATA)


@pytest.fixture
def app(folder, monkeypatch):
    monkeypatch.setenv("KAMIPLAN_DATA_DIR", str(folder))
    monkeypatch.delenv("KAMIPLAN_READONLY", raising=False)

    def open_page(spec) -> AppTest:
        at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90).run()
        if spec.url_path:
            at.switch_page(spec.script)
            at._page_hash = calc_hash(spec.url_path)  # one module serves every 大綱: pick it by URL path
            at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return open_page


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


@pytest.mark.parametrize("spec", SPECS, ids=[s.url_path or "overview" for s in SPECS])
def test_every_page_runs(app, spec):
    at = app(spec)
    if spec.url_path == "present":
        heading = next(m.value for m in at.markdown if 'class="kp-hero"' in m.value)
    else:
        heading = at.title[0].value
    if spec.pillar:
        assert heading.startswith(f"大綱{spec.pillar} ")
    else:
        assert TITLES[spec.url_path] in heading
    assert len(charts(at)) == CHARTS[spec.url_path]
    assert streamlit_english(at) == []


def english_in_multiselects(at: AppTest) -> list[str]:
    """The multiselects whose open list would show an English line of Streamlit's own: 「Select all」 (「Select N
    matches」 while typing) unless ``select_all`` is off, 「No results」 after a word that matches nothing unless
    typing is off."""
    return [m.label for m in at.multiselect if m.proto.select_all != 0 or m.proto.filter_mode != FILTER_MODE_NONE]


@pytest.mark.parametrize("url_path, filters", [("pillar1", 1), ("projects", 4)])
def test_the_filters_lists_have_no_english_line(app, url_path, filters):
    """「評価で絞り込む」 on the 大綱 pages and 備考・実施状況・評価・今後の方向性 of 実施計画 opened on 「Select all」."""
    at = app(next(s for s in SPECS if s.url_path == url_path))
    assert len(at.multiselect) == filters
    assert english_in_multiselects(at) == []


def test_overview_content(app):
    at = app(SPECS[0])
    assert at.title[0].value == "将来像「小さな町の輝く未来へ挑戦するまち」"
    titles = [c["title"]["text"] for c in charts(at) if "title" in c]
    # Two columns: the element tree lists the left column first.
    assert set(titles[:4]) == {
        "人口",
        "「町内に住み続けたい」と感じている町民の割合",
        "合計特殊出生率(5カ年平均)",
        "社会増減数(転入者数－転出者数)",
    }
    assert "grade_rollup" == charts(at)[-1]["name"]


def test_pillar3_places_the_kpi_by_sub_area(app):
    at = app(next(s for s in SPECS if s.pillar == 3))
    headers = [h.value for h in at.header]
    assert headers[:3] == [
        "(1) 快適で住みよいまちづくり",
        "(2) 安全安心に暮らせるまちづくり",
        "(3) 脱炭素社会を実現するまちづくり",
    ]
    assert charts(at)[0]["title"]["text"] == "町営住宅管理戸数"


def test_pillar_filters_change_the_rows(app):
    at = app(next(s for s in SPECS if s.pillar == 1))
    table = static_tables(at)[-1]
    assert len(table) == 15
    at.selectbox(key="pillar1_policy").set_value(3).run()
    assert len(static_tables(at)[-1]) == 5 and len(charts(at)) == 5
    at.multiselect(key="pillar1_grades").set_value(["△ やや遅れ"]).run()
    filtered = static_tables(at)[-1]
    assert 0 < len(filtered) < 5 and set(filtered["評価"]) == {"△ やや遅れ"}
    assert len(charts(at)) == len(filtered)


def test_projects_filters_change_the_rows(app):
    at = app(next(s for s in SPECS if s.url_path == "projects"))
    assert len(at.dataframe[0].value) == 196
    at.multiselect(key="projects_tags").set_value(["再掲"]).run()
    assert len(at.dataframe[0].value) == 10
    at.text_input(key="projects_keyword").input("除雪").run()
    table = at.dataframe[0].value
    assert table["事業名"].tolist() == ["在宅高齢者等除雪サービス、除雪費助成事業"]
    assert table["再掲元"].tolist() == ["大綱1(3)① 1-3-1-20"]


def test_projects_keyword_finds_the_project_corrected_by_errata(app):
    """帯状疱疹 was 带状疱疹 in the converted text (data/source/errata.csv): the search finds it now."""
    at = app(next(s for s in SPECS if s.url_path == "projects"))
    at.text_input(key="projects_keyword").input("帯状疱疹").run()
    table = at.dataframe[0].value
    assert table["事業名"].tolist() == ["帯状疱疹ワクチン接種費用助成事業"]
    assert table["概要"].str.startswith("帯状疱疹ワクチン接種費用を助成し").all()


def test_repeat_link_opens_the_original(app, folder, monkeypatch):
    monkeypatch.setenv("KAMIPLAN_DATA_DIR", str(folder))
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90).run()
    at.switch_page("pages/projects.py")
    at.query_params["project"] = "1-3-1-20"
    at.run()
    # The project view (tests/app/test_project_pages.py): the original's five years R7–R11.
    assert at.header[0].value.replace("\\", "").endswith("(1-3-1-20)")
    table = at.dataframe[0].value
    assert table["事業ID"].tolist() == ["1-3-1-20"] * 5


def test_download_returns_the_filtered_csv(app, downloads):
    """The file of what is shown, UTF-8 and Shift_JIS (made with the page: the same bytes are shared by sessions)."""
    at = app(next(s for s in SPECS if s.pillar == 1))
    at.selectbox(key="pillar1_policy").set_value(2).run()
    name = next(n for n in downloads.made if n.startswith("指標一覧_大綱1_(2)次代を担う人材を育成するまちづくり"))
    data = downloads.data(name)
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert frame["指標ID"].tolist() == ["1-2-T1", "1-2-K1", "1-2-K2", "1-2-K3"]
    at.radio(key="pillar1_indicators_encoding").set_value("cp932").run()
    sjis = next(n for n in downloads.made if n.endswith("_sjis.csv") and n.startswith("指標一覧_大綱1"))
    assert (
        pd.read_csv(io.BytesIO(downloads.made[sjis]), encoding="cp932")["指標ID"].tolist() == frame["指標ID"].tolist()
    )
    download = next(b for b in at.get("download_button") if b.proto.label.startswith("CSV をダウンロード(4行)"))
    assert download is not None


def test_no_csv_of_an_empty_table(app, downloads):
    """Filters that leave no row offered 「CSV をダウンロード(0行)」, a file of headings alone: now a sentence in
    its place, and the choice of encoding kept (greyed) for when rows come back."""
    at = app(next(s for s in SPECS if s.url_path == "projects"))
    at.radio(key="projects_encoding").set_value("cp932").run()
    at.text_input(key="projects_keyword").input("当てはまらない語").run()
    assert [b.proto.label for b in at.get("download_button") if b.proto.label.startswith("CSV")] == []
    assert not [n for n in downloads.names() if "当てはまらない語" in n]
    assert labels.CSV_NOTHING_TO_DOWNLOAD in [c.value for c in at.caption]
    encoding = at.radio(key="projects_encoding")
    assert encoding.disabled and encoding.value == "cp932"
    at.text_input(key="projects_keyword").input("除雪").run()
    rows = len(at.dataframe[0].value)
    assert rows > 0 and not at.radio(key="projects_encoding").disabled
    assert [b.proto.label for b in at.get("download_button") if b.proto.label.startswith("CSV")] == [
        f"CSV をダウンロード({rows}行)"
    ]
    assert [n for n in downloads.names() if "除雪" in n and n.endswith("_sjis.csv")]
    assert labels.CSV_NOTHING_TO_DOWNLOAD not in [c.value for c in at.caption]


@pytest.mark.parametrize("url_path", ["pillar1", "projects"])
def test_a_table_without_rows_is_a_sentence(app, url_path):
    """A filter that leaves no row showed the table's headings over Streamlit's English 「empty」: a sentence now."""
    at = app(next(s for s in SPECS if s.url_path == url_path))
    tables = len(at.dataframe) + len(static_tables(at))
    if url_path == "projects":
        at.text_input(key="projects_keyword").input("当てはまらない語").run()
    else:  # no indicator of 基本計画 (2) is 達成 in this data
        at.selectbox(key="pillar1_policy").set_value(2).run()
        at.multiselect(key="pillar1_grades").set_value(["◎ 達成"]).run()
    assert len(at.dataframe) + len(static_tables(at)) == tables - 1
    assert labels.TABLE_NO_ROWS in [c.value for c in at.caption]


def test_overview_shift_jis_download_replaces_and_says_so(app, downloads):
    """The plan's 「—」 (4-2-K1) used to turn the Shift_JIS choice into an error: now a file and a caption."""
    at = app(SPECS[0])
    at.radio(key="overview_indicators_encoding").set_value("cp932").run()
    assert not at.exception and not at.error
    assert any(b.proto.label == "CSV をダウンロード(46行)" for b in at.get("download_button"))
    sjis = next(n for n in downloads.made if n.startswith("指標一覧_全指標") and n.endswith("_sjis.csv"))
    frame = pd.read_csv(io.BytesIO(downloads.made[sjis]), encoding="cp932", dtype=str).set_index("指標ID")
    assert frame.loc["4-2-K1", "基準値"] == "―"
    notes = [c.value for c in at.caption if "にない文字を" in c.value]  # Markdown source: Shift\\_JIS
    assert len(notes) == 1 and "— → ―" in notes[0] and escape_markdown(labels.CP932_ADVICE) in notes[0]
    at.radio(key="overview_indicators_encoding").set_value("utf-8-sig").run()
    assert not [c for c in at.caption if "にない文字を" in c.value]  # UTF-8 is exact: nothing to say


def test_presentation_slide_from_url_and_controls(app):
    spec = next(s for s in SPECS if s.url_path == "present")
    at = app(spec)
    assert any('class="kp-hero">将来像「小さな町の輝く未来へ挑戦するまち」' in m.value for m in at.markdown)
    at.query_params["slide"] = "9"
    at.run()
    count = next(m.value for m in at.markdown if 'class="kp-count"' in m.value)
    total = int(re.search(r"9 / (\d+)", count).group(1))
    assert total >= 12  # title, lists or charts per section, 4 summaries, closing (tests/outputs/test_slides.py)
    assert len(charts(at)) == 2
    # The presenter's keys are listened for on the page (tests/browser has them pressed).
    keys = at.get("bidi_component")
    assert len(keys) == 1 and json.loads(keys[0].proto.json) == {"keys": slides.KEYS, "total": total}
    next(b for b in at.button if b.key == "slide_next").click().run()
    assert at.query_params["slide"] == ["10"] or at.query_params["slide"] == "10"
    assert any(f"10 / {total}" in m.value for m in at.markdown)
    next(b for b in at.button if b.key == "slide_prev").click().run()
    assert any(f"9 / {total}" in m.value for m in at.markdown)
    for raw, shown in (("0", f"1 / {total}"), ("999", f"{total} / {total}"), ("abc", f"1 / {total}")):
        at.query_params["slide"] = raw
        at.run()
        assert any(shown in m.value for m in at.markdown), raw


def test_chart_images_and_the_report_are_made_only_when_clicked(app, downloads):
    at = app(SPECS[0])
    # The image buttons sit in each chart's 「表で見る」, which is built only once opened: open them all.
    for indicator_id in ("0-V1", "0-V2", "0-P1", "0-P2", "0-S1", "0-S2", "0-S3", "0-S4", "0-S5", "0-S6", "0-S7"):
        at.session_state[f"table_{indicator_id}"] = True
    at.run()
    buttons = at.get("download_button")
    png = [b.proto for b in buttons if b.proto.label == labels.DOWNLOAD_PNG]
    svg = [b.proto for b in buttons if b.proto.label == labels.DOWNLOAD_SVG]
    report = [b.proto for b in buttons if b.proto.label == labels.DOWNLOAD_REPORT]
    trajectory_charts = CHARTS[""] - 1  # all but the grade roll-up
    assert len(png) == len(svg) == trajectory_charts and len(report) == 1
    assert all(p.ignore_rerun for p in png + svg + report)  # on_click="ignore": no rerun
    # A callable is registered instead of bytes: nothing is drawn until someone clicks.
    assert all(p.deferred_file_id and not p.url for p in png + svg + report)
    assert not [m for m in downloads.types if m.startswith("image/") or m == "text/html"]
