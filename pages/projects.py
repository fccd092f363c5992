"""実施計画(事業一覧): filter the 196 rows of the action plans; 再掲 rows point to their original."""

import streamlit as st

from kamiplan.app import ui
from kamiplan.model import dashboard
from kamiplan.plan import queries

folder = ui.folder()
pillars = ui.pillars(folder)
policies = ui.policies(folder)
measures = ui.measures(folder)
project = st.query_params.get("project")

st.title("実施計画(事業一覧)")
cols = st.columns(3)
pillar_names = {0: "すべての大綱"} | {int(r.pillar): f"大綱{r.pillar} {r.short_name}" for r in pillars.itertuples()}
pillar = cols[0].selectbox("大綱", list(pillar_names), format_func=pillar_names.get, key="projects_pillar")
part = policies[policies["pillar"] == pillar]
policy_names = {0: "すべての基本計画"} | {int(r.policy): f"({r.policy}) {r.name}" for r in part.itertuples()}
policy = cols[1].selectbox(
    "基本計画", list(policy_names), format_func=policy_names.get, key=f"projects_policy_{pillar}", disabled=not pillar
)
part = measures[(measures["pillar"] == pillar) & (measures["policy"] == policy)]
measure_names = {0: "すべての施策"} | {
    int(r.measure): f"{chr(0x2460 + r.measure - 1)} {r.name}" for r in part.itertuples()
}
measure = cols[2].selectbox(
    "施策",
    list(measure_names),
    format_func=measure_names.get,
    key=f"projects_measure_{pillar}_{policy}",
    disabled=not policy,
)
cols = st.columns([3, 2])
tags = cols[0].multiselect(
    "備考(新規・拡充・再掲)", list(queries.TAG_FILTERS), key="projects_tags", placeholder="すべて"
)
keyword = cols[1].text_input("キーワード(事業名・概要)", key="projects_keyword")

if project:
    st.info(f"事業 {project} を表示しています。")
    if st.button("絞り込みを解除", key="projects_clear"):
        st.query_params.clear()
        st.rerun()
rows = queries.filter_actions(ui.cursor(), pillar or None, policy or None, measure or None, tags, keyword, project)
table = dashboard.action_table(rows)
st.caption(dashboard.count_caption(rows))
shown = table.assign(元の事業=["projects?project=" + r.split()[-1] if r else None for r in table["再掲元"]])
ui.table(
    shown,
    # the link to the original beside the name, not at the far right (issue 12)
    column_order=["事業名", "元の事業", "概要", "備考", "施策", "位置", "事業ID"],
    column_config={
        "元の事業": st.column_config.LinkColumn("元の事業", display_text="元の事業を表示", width="small"),
        "概要": st.column_config.TextColumn("概要", width="large"),
    },
)
filters = [
    pillar_names[pillar] if pillar else "",
    policy_names.get(policy, "") if policy else "",
    "・".join(tags),
    keyword,
]
ui.csv_download(table, "事業一覧", filters, key="projects")
