"""大綱 page (one module for every 大綱): 基本計画 texts, indicator trajectories, and the projects' year
(事業の実施状況 per 基本計画, the projects of each 施策)."""

import streamlit as st

from kamiplan.app import ui
from kamiplan.model import dashboard
from kamiplan.plan.periods import year_label

folder = ui.folder()
n = ui.current_pillar()
pillar = ui.pillars(folder).set_index("pillar").loc[n]
policies = ui.policies(folder)
policies = policies[policies["pillar"] == n]
year = ui.evaluation_year()
policy_rows = list(policies.itertuples())  # once per page run, not at every filter change
names = {0: "すべての基本計画"} | {int(r.policy): f"({r.policy}) {r.name}" for r in policy_rows}

st.title(f"大綱{n} {pillar['name']}", anchor=False)
ui.plain(pillar["summary"])


@st.fragment
def filtered_sections() -> None:
    """The filters and what they filter: a filter change reruns only this part of the page."""
    cols = st.columns([3, 2])
    chosen = ui.selectbox(cols[0], "基本計画", list(names), format_func=names.get, key=f"pillar{n}_policy")
    grades = ui.multiselect(
        cols[1], "評価で絞り込む", dashboard.GRADE_FILTER_OPTIONS, key=f"pillar{n}_grades", placeholder="すべての評価"
    )
    view, source = ui.pillar_view(n, year, chosen, grades)
    pages = ui.pillar_pages()
    filters = [f"大綱{n}", names[chosen] if chosen else "", "・".join(grades)]

    for policy in policy_rows:
        # One container per 基本計画, always at the same place: when the filter hides the others, the shown
        # section keeps its position, so the browser keeps its charts instead of drawing them again.
        section = st.container()
        if policy.policy not in view.shown:
            continue
        with section:
            st.header(f"({policy.policy}) {policy.name}", anchor=False)
            with st.expander("現状と課題"):
                ui.plain(policy.issues or "(計画書にこの基本計画の「現状と課題」の記載はありません)")
            with st.expander("取組方針"):
                ui.plain(policy.approach or "(計画書にこの基本計画の「取組方針」の記載はありません)")
            ids = view.shown[policy.policy]
            if not ids:
                st.caption(
                    "表示する数値目標・KPI はありません(評価の絞り込みを確認してください)。"
                    if grades
                    else "この基本計画には数値目標・KPI がありません。"
                )
            cols = st.columns(2)
            for i, traj in enumerate(ui.trajectories(ids, year)):
                with cols[i % 2]:
                    ui.indicator_card(traj, pages)
            ui.project_status(n, int(policy.policy), year)
            box = ui.lazy_expander(
                f"({policy.policy}) の施策と事業(実施計画・{year_label(year)}年度の実施状況)",
                key=f"pillar{n}_actions_{policy.policy}",
            )
            if box.open:
                with box:
                    ui.project_measures(n, int(policy.policy), year)

    st.header(f"大綱{n} の指標一覧({year_label(year)}年度)", anchor=False)
    ui.static_table(view.table, key=f"pillar{n}_indicators", source=source)
    ui.csv_download(view.table, "指標一覧", filters, key=f"pillar{n}_indicators", source=source)


filtered_sections()
