"""発表モード: the town-meeting slides; ?slide=N in the URL keeps the place on reload."""

import streamlit as st

from kamiplan.app import ui

st.set_page_config(initial_sidebar_state="collapsed")
ui.presentation_style()


@st.fragment
def slide() -> None:
    """The slide and its controls: 「次へ」, 「前へ」 and the presenter's keys rerun only this part (issue 14:
    the next slide at once), not the page frame and its menu."""
    deck, trajectories = ui.deck()
    n = ui.slide_number(len(deck))
    # One placeholder holds the whole slide: each run replaces it as a whole. Slides have different numbers
    # of parts, and a fragment run on a loaded machine once left the previous slide's controls below the
    # next slide's (a second 「◀ 前へ」, seen in the browser test at 1920×1080).
    with st.empty().container():
        ui.render_slide(deck[n - 1], trajectories)
        ui.slide_controls(n, len(deck))


slide()
