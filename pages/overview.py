"""概要: the plan at a glance (placeholder until the dashboard issue)."""

import streamlit as st

from kamiplan import ui

info = ui.plan_info(ui.folder())
st.title(info["title"])
st.caption(info["strategy_title"])
st.subheader(f"将来像「{info['vision']}」")
st.text(info["period_text"])
