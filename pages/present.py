"""発表モード: the town-meeting slides; ?year=R7&slide=N in the URL keeps the year and the place on reload."""

import streamlit as st

from kamiplan.app import ui

st.set_page_config(initial_sidebar_state="collapsed")
ui.presentation_style()
ui.url_year_problem()  # a ?year= that is no plan year: the default year is shown, and a toast says so


@st.fragment
def slide() -> None:
    """The slide and its controls: 「次へ」, 「前へ」 and the presenter's keys rerun only this part (issue 14:
    the next slide at once), not the page frame and its menu."""
    deck, trajectories = ui.deck()
    n = ui.slide_number(len(deck))
    # The slide's parts in one container, so the controls (and the presenter's keys) are always the
    # fragment's second element: slides have different numbers of parts, and a fragment run on a loaded
    # machine once left the previous slide's controls below the next slide's (a second 「◀ 前へ」). The
    # controls stay mounted from slide to slide, so a key pressed during a rerun is not lost.
    with st.container():
        ui.render_slide(deck[n - 1], trajectories)
    ui.slide_controls(n, len(deck))


slide()
