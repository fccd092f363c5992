"""The projects' year on the pages (issue 13): 実施計画 filters and project view, 大綱 and 概要 roll-ups (AppTest).

Data: the plan with invented actuals of R7, R8 (so the evaluation year is R8) and invented project records
(tests/synthetic.py, テスト用の架空データ), or no project records at all.
"""

from __future__ import annotations

import io
import json

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from kamiplan.model.project_rollup import project_table, rollup
from kamiplan.plan.db import PlanDB
from kamiplan.plan.queries import actions as load_actions
from kamiplan.records.projects import ProjectStore
from tests.app.conftest import static_tables, streamlit_english
from tests.conftest import DATA, PROJECT
from tests.synthetic import populated_folder

YEAR = 2026  # the evaluation year of this data (the latest year with actuals)


def _folder(tmp_path_factory, name: str, project_years: tuple[int, ...]):
    return populated_folder(tmp_path_factory.mktemp(name) / "data", DATA, project_years)


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    return _folder(tmp_path_factory, "projects_filled", (2025, 2026))


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    return _folder(tmp_path_factory, "projects_empty", ())


@pytest.fixture(scope="module")
def last_year_only(tmp_path_factory):
    return _folder(tmp_path_factory, "projects_r7", (2025,))


@pytest.fixture
def open_page(monkeypatch):
    monkeypatch.delenv("KAMIPLAN_READONLY", raising=False)

    def run(folder, url_path: str, script: str, **query) -> AppTest:
        monkeypatch.setenv("KAMIPLAN_DATA_DIR", str(folder))
        at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90).run()
        if url_path:
            at.switch_page(script)
            at._page_hash = calc_hash(url_path)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return run


def expected_table(folder, year: int = YEAR) -> pd.DataFrame:
    """The year's project table computed without the app (what the pages must agree with)."""
    return project_table(load_actions(PlanDB(folder).cursor()), ProjectStore(folder).current(), year)


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def chart_data(at: AppTest, name: str) -> list[dict[str, pd.DataFrame]]:
    """The datasets of each chart named ``name`` (Streamlit sends them apart from the spec, as Arrow)."""
    out = []
    for chart in at.get("vega_lite_chart"):
        if json.loads(chart.proto.spec).get("name") == name:
            out.append({d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets})
    return out


def shown(markdown: str) -> str:
    """Markdown source as read (the pages escape the plan's text)."""
    return markdown.replace("\\", "")


# -- 実施計画 -------------------------------------------------------------------------------------------
def test_projects_list_shows_the_year_and_filters_by_status(open_page, filled):
    at = open_page(filled, "projects", "pages/projects.py")
    table = at.dataframe[0].value
    assert len(table) == 196
    assert table.columns[:4].tolist() == ["事業名", "実施状況", "評価", "今後の方向性"]
    assert at.selectbox(key=f"projects_year_{YEAR}").value == YEAR
    at.multiselect(key="projects_statuses").set_value(["未実施"]).run()
    table = at.dataframe[0].value
    assert len(table) > 0 and set(table["実施状況"]) == {"未実施"}
    # Expected independently: rows whose record (a 再掲 row: its original's) says 未実施.
    whole = expected_table(filled)
    rows = whole[whole["status"] == "未実施"]
    projects = rows.loc[~rows["is_repeat"], "project_id"].nunique()
    caption = at.caption[0].value
    assert caption.startswith(f"{len(rows)} 行 ・ 事業 {projects} 件"), caption
    repeats = int(rows["is_repeat"].sum())
    if repeats:
        assert f"再掲 {repeats} 行は元の事業に数えます" in caption
    own = rows[~rows["is_repeat"]]
    assert f"入力済み {len(own)} 行・未入力 0 行" in caption
    # Combined with the existing filters and the other record filters.
    at.selectbox(key="projects_pillar").set_value(2).run()
    at.multiselect(key="projects_grades").set_value(["D 大幅な遅れ・未着手"]).run()
    table = at.dataframe[0].value
    assert set(table["実施状況"]) == {"未実施"} and set(table["評価"]) == {"D 大幅な遅れ・未着手"}
    assert set(table["位置"].str[:3]) == {"大綱2"}
    assert len(table) == len(rows[(rows["pillar"] == 2) & (rows["grade"] == "D")])


def test_projects_not_entered_filter_and_another_year(open_page, filled):
    at = open_page(filled, "projects", "pages/projects.py")
    at.multiselect(key="projects_statuses").set_value(["未入力"]).run()
    table = at.dataframe[0].value
    whole = expected_table(filled)
    assert len(table) == int((whole["status"] == "").sum()) and set(table["評価"]) == {"未評価"}
    assert table["決算額(千円)"].isna().all()
    at.multiselect(key="projects_statuses").set_value([]).run()
    at.selectbox(key=f"projects_year_{YEAR}").set_value(2027).run()  # R9: nothing recorded yet
    assert "R9(2027)年度の記録: 入力済み 0 行・未入力 186 行" in at.caption[0].value
    assert set(at.dataframe[0].value["実施状況"]) == {"未入力"}


def test_projects_csv_has_the_year_columns(open_page, filled, downloads):
    at = open_page(filled, "projects", "pages/projects.py")
    at.multiselect(key="projects_statuses").set_value(["完了"]).run()
    name = next(n for n in downloads.names() if n.startswith("事業一覧_R8(2026)年度") and "完了" in n)
    frame = pd.read_csv(io.BytesIO(downloads.data(name)), encoding="utf-8-sig")
    for column in ("事業名", "実施状況", "評価", "今後の方向性", "決算額(千円)", "予算額(千円)", "担当課", "年度"):
        assert column in frame.columns, column
    assert set(frame["実施状況"]) == {"完了"} and set(frame["年度"]) == {"R8(2026)年度"}
    assert "詳細" not in frame.columns  # links are for the screen
    assert pd.api.types.is_numeric_dtype(frame["決算額(千円)"])
    assert len(frame) == len(at.dataframe[0].value)


def test_project_view_shows_five_years_and_where_it_is_repeated(open_page, filled):
    at = open_page(filled, "projects", "pages/projects.py", project="1-3-2-04")  # a 再掲 row
    assert shown(at.header[0].value) == "在宅高齢者等除雪サービス、除雪費助成事業(1-3-1-20)"
    assert "1-3-2-04 はこの事業の再掲です" in shown(at.markdown[0].value)
    years = at.dataframe[0].value
    assert years["年度"].tolist() == ["R7(2025)年度", "R8(2026)年度", "R9(2027)年度", "R10(2028)年度", "R11(2029)年度"]
    whole = expected_table(filled).set_index("action_id")
    assert years["実施状況"].iloc[1] == (whole.loc["1-3-1-20", "status"] or "未入力")
    assert years["実施状況"].iloc[2:].tolist() == ["未入力"] * 3
    links = at.get("page_link")
    assert any("1-3-2-04" in link.proto.label for link in links)
    assert [s.value for s in at.subheader] == ["概要(計画書)", "年度ごとの実施状況・評価", "再掲されている場所"]
    assert streamlit_english(at) == []  # the project's headings have no English 「Link to heading」 anchor


def test_project_view_of_a_continued_project_and_an_unknown_id(open_page, filled):
    at = open_page(filled, "projects", "pages/projects.py", project="1-2-2-09")
    assert "この事業の行(計画書で続いている行)" in [s.value for s in at.subheader]
    rows, years = at.dataframe[0].value, at.dataframe[1].value
    assert len(rows) == 10 and len(years) == 50
    at = open_page(filled, "projects", "pages/projects.py", project="9-9-9-99")
    assert at.warning and "計画書の実施計画にありません" in at.warning[0].value
    next(b for b in at.button if b.key == "projects_clear").click().run()
    assert len(at.dataframe[0].value) == 196  # back to the list


# -- 大綱 ----------------------------------------------------------------------------------------------
def test_pillar_page_shows_the_projects_roll_up(open_page, filled):
    at = open_page(filled, "pillar1", "pages/pillar.py")
    status = [s for s in specs(at) if s.get("name") == "project_status"]
    assert len(status) == 3  # one per 基本計画 of 大綱1
    assert [s.value for s in at.subheader].count("事業の実施状況(R8(2026)年度)") == 3
    summary = rollup(expected_table(filled), ("pillar", "policy")).set_index(["pillar", "policy"]).loc[(1, 1)]
    data = chart_data(at, "project_status")[0]
    grades = data[status[0]["vconcat"][0]["data"]["name"]]
    counts = dict(zip(grades["label"], grades["count"], strict=True))
    assert counts["A 計画どおり以上"] == summary["grade_A"] and counts["未評価"] == summary["grade_none"]
    notes = next(m.value for m in at.markdown if "新規" in m.value and "件のうち" in m.value)
    assert f"新規 {int(summary['new'])}件のうち {int(summary['new_started'])}件が実施・一部実施・完了" in notes
    assert "千円" in notes
    # The projects of each 施策, opened.
    at.session_state["pillar1_actions_1"] = True
    at.run()
    tables = [d.value for d in at.dataframe if "実施状況" in d.value.columns and "詳細" in d.value.columns]
    assert len(tables) == 3  # (1) has three 施策
    assert tables[0].columns[:5].tolist() == ["事業名", "詳細", "実施状況", "評価", "今後の方向性"]
    assert streamlit_english(at) == []  # 事業の実施状況 headings too


def test_pillar_page_says_plainly_when_nothing_is_entered(open_page, empty, last_year_only):
    at = open_page(empty, "pillar1", "pages/pillar.py")
    assert not [s for s in specs(at) if s.get("name") == "project_status"]
    assert [i.value for i in at.info].count("R8(2026)年度の事業の評価はまだ入力されていません。") == 3
    at = open_page(last_year_only, "pillar2", "pages/pillar.py")  # records of R7 only; the year is R8
    assert not [s for s in specs(at) if s.get("name") == "project_status"]
    assert "R8(2026)年度の事業の評価はまだ入力されていません。" in [i.value for i in at.info]


# -- 概要 ----------------------------------------------------------------------------------------------
def test_overview_shows_the_roll_up_per_pillar(open_page, filled, empty):
    at = open_page(filled, "", "pages/overview.py")
    assert "事業の実施状況(大綱別)" in [h.value for h in at.header]
    rollup_spec = next(s for s in specs(at) if s.get("name") == "project_grade_rollup")
    assert rollup_spec["encoding"]["color"]["title"] == "評価"
    table = next(t for t in static_tables(at) if "事業の数" in t.columns)
    assert table["区分"].tolist()[-1] == "計" and table["区分"].str.startswith("大綱").sum() == 4
    assert table["事業の数"].iloc[-1] == "186"
    at = open_page(empty, "", "pages/overview.py")
    assert not [s for s in specs(at) if s.get("name") == "project_grade_rollup"]
    assert "R8(2026)年度の事業の評価はまだ入力されていません。" in [i.value for i in at.info]


def test_projects_page_choice_lists_name_the_plan_places(open_page, filled):
    """The 大綱 → 基本計画 → 施策 lists (built by ui.pillar_names/policy_names/measure_names, shared with the
    事業の評価 tab) name each place as the plan prints it, after 「すべての…」."""
    at = open_page(filled, "projects", "pages/projects.py")
    pillars = at.selectbox(key="projects_pillar")
    assert pillars.options[:2] == ["すべての大綱", "大綱1 健康で心豊かに暮らせるまち"]
    assert len(pillars.options) == 5
    at.selectbox(key="projects_pillar").set_value(1).run()
    policies = at.selectbox(key="projects_policy_1")
    assert policies.format_func(0) == "すべての基本計画" and policies.format_func(1).startswith("(1) ")
    at.selectbox(key="projects_policy_1").set_value(1).run()
    measures = at.selectbox(key="projects_measure_1_1")
    assert measures.format_func(0) == "すべての施策" and measures.format_func(1) == "① 妊娠期からの切れ目ない支援"
    assert not at.exception
