"""実施計画(事業一覧): the 196 rows of the action plans with a year's 実施状況・評価・今後の方向性, filtered;
``?project=ID`` shows one project's years instead (a 再掲 row's link opens its original)."""

import streamlit as st

from kamiplan.app import ui
from kamiplan.plan import queries
from kamiplan.plan.periods import year_label

folder = ui.folder()
project = st.query_params.get("project")

st.title("実施計画(事業一覧)", anchor=False)
if project:
    ui.project_view(project)
    st.stop()

cols = st.columns(3)
pillar_names = {0: "すべての大綱"} | ui.pillar_names(folder)
pillar = ui.selectbox(cols[0], "大綱", list(pillar_names), format_func=pillar_names.get, key="projects_pillar")
policy_names = {0: "すべての基本計画"} | ui.policy_names(folder, pillar)
policy = ui.selectbox(
    cols[1],
    "基本計画",
    list(policy_names),
    format_func=policy_names.get,
    key=f"projects_policy_{pillar}",
    disabled=not pillar,
)
measure_names = {0: "すべての施策"} | ui.measure_names(folder, pillar, policy)
measure = ui.selectbox(
    cols[2],
    "施策",
    list(measure_names),
    format_func=measure_names.get,
    key=f"projects_measure_{pillar}_{policy}",
    disabled=not policy,
)
cols = st.columns([1.4, 2.6, 2])  # 「R10(2028)年度」 whole at 1280×800
year = ui.project_year_select("projects_year", cols[0])
tags = ui.multiselect(
    cols[1], "備考(新規・拡充・再掲)", list(queries.TAG_FILTERS), key="projects_tags", placeholder="すべて"
)
keyword = cols[2].text_input("キーワード(事業名・概要)", key="projects_keyword")
statuses, grades, directions = ui.project_record_filters("projects")

listing, source = ui.project_listing(year, pillar, policy, measure, tags, keyword, statuses, grades, directions)
st.caption(listing.caption)
ui.project_list(listing.table, list(listing.links))
filters = [
    f"{year_label(year)}年度",
    pillar_names[pillar] if pillar else "",
    policy_names.get(policy, "") if policy else "",
    "・".join(tags),
    keyword,
    "・".join(statuses + grades + directions),
]
ui.csv_download(listing.table, "事業一覧", filters, key="projects", source=source)
