"""kamiplan — 上砂川町 総合計画・総合戦略 進捗管理ダッシュボード (entry point)."""

from __future__ import annotations

import streamlit as st

from kamiplan import queries
from kamiplan.db import PlanDB
from kamiplan.paths import data_dir


@st.cache_resource
def _db(path: str) -> PlanDB:
    return PlanDB(data_dir(path))


st.set_page_config(page_title="上砂川町 総合計画 進捗管理", layout="wide")
con = _db(str(data_dir())).cursor()
info = queries.plan_info(con)
st.title(info["title"])
st.caption(info["strategy_title"])
st.subheader(f"将来像「{info['vision']}」")
st.text(info["period_text"])
st.dataframe(queries.pillars(con)[["pillar", "name"]], hide_index=True)
