"""発表モード: the town-meeting slides; ?slide=N in the URL keeps the place on reload."""

import streamlit as st

from kamiplan.app import ui

st.set_page_config(initial_sidebar_state="collapsed")
ui.presentation_style()
deck, trajectories = ui.deck()
n = ui.slide_number(len(deck))
ui.render_slide(deck[n - 1], trajectories)
ui.slide_controls(n, len(deck))
