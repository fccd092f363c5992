"""概要: the vision, the plan-wide targets, the 満足度 targets and the grade roll-up for a year."""

import streamlit as st

from kamiplan.app import ui
from kamiplan.model import dashboard
from kamiplan.plan.periods import year_label

folder = ui.folder()
info = ui.plan_info(folder)
inds = ui.indicators(folder)
year = ui.evaluation_year()
start = int(info["start_year"])

st.title(f"将来像「{info['vision']}」", anchor=False)
st.caption(
    f"{info['title']} / {info['strategy_title']} ・ 計画期間 {year_label(start)}〜{year_label(int(info['end_year']))}年度"
)
ui.plain(info["vision_statement"])
ui.report_download(year)
ui.review_sheet_download(year)
if ui.current_actuals().empty:
    st.info("まだ実績が記録されていません。グラフには計画書の基準値・計画線・目標値だけを表示しています。")

st.header(f"計画全体の目標({year_label(year)}年度の評価)", anchor=False)
plan_wide = inds[inds["section"].isin(["vision", "population"])]
cols = st.columns(2)
for i, traj in enumerate(ui.trajectories(plan_wide, year)):
    with cols[i % 2]:
        ui.indicator_card(traj, ui.pillar_pages())

st.header("施策の推進(町民アンケートの満足度)", anchor=False)
st.caption(ui.escape_markdown(info["survey_note"]))
satisfaction = inds[inds["section"] == "satisfaction"]
pages = ui.pillar_pages()
cols = st.columns(2)
for i, traj in enumerate(ui.trajectories(satisfaction, year)):
    with cols[i % 2]:
        ind = traj.indicator
        ui.indicator_card(traj, pages, height=180)
        related = dashboard.group_label(
            int(ind["related_pillar"]), int(ind["related_policy"]), ui.pillars(folder), ui.policies(folder)
        )
        st.page_link(
            pages[int(ind["related_pillar"])], label=f"関係する基本計画: {related.split(' ')[0]}", help=related
        )

st.header(f"評価の集計({year_label(year)}年度)", anchor=False)
report = ui.evaluation(year)
by = st.radio(
    "集計の単位",
    ["pillar", "policy"],
    format_func={"pillar": "大綱ごと", "policy": "基本計画ごと"}.get,
    horizontal=True,
    key="overview_rollup_by",
)
counts = dashboard.grade_counts(report, by, ui.pillars(folder), ui.policies(folder))
ui.grade_rollup(counts)
table = dashboard.rollup_table(counts)
ui.static_table(table, key=f"overview_rollup_{by}")
ui.csv_download(
    table,
    "評価の集計",
    [f"{year_label(year)}年度", "大綱ごと" if by == "pillar" else "基本計画ごと"],
    key="overview_rollup",
)

# -- 事業の実施状況(大綱別): the projects' twin of the indicators' roll-up above (its own header) ------------
ui.project_pillar_rollup(year)

st.header("全指標の一覧", anchor=False)
full, source = ui.indicator_table(year)
ui.static_table(full, key="overview_indicators", source=source)
ui.csv_download(full, "指標一覧", ["全指標", f"{year_label(year)}年度"], key="overview_indicators", source=source)
