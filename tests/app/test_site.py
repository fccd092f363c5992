"""The page list (kamiplan/app/site.py) and what it says about an address."""

from __future__ import annotations

import tomllib

from kamiplan.app.site import names_a_page, page_specs
from kamiplan.plan.db import PlanDB
from kamiplan.plan.queries import pillars
from tests.conftest import DATA, PROJECT

SPECS = page_specs(pillars(PlanDB(DATA).cursor()))


def test_an_address_names_a_page_or_opens_the_overview_with_a_word():
    for asked in ("", "overview", "pillar1", "pillar4/", "projects", "present", "edit"):
        assert names_a_page(asked, SPECS), asked
    for asked in ("pillar9", "nosuch", "a/pillar2", "Pillar1", "概要"):
        assert not names_a_page(asked, SPECS), asked
    readonly = page_specs(pillars(PlanDB(DATA).cursor()), readonly=True)
    assert not names_a_page("edit", readonly)  # a public deployment has no edit page


def test_streamlit_shows_no_menu_and_no_running_indicator():
    """.streamlit/config.toml: 「viewer」 left the ⋮ menu (Print, Record screen, 「Made with Streamlit」) and the
    running icon's 「Stop」 button on every page, in English (checked on the pages in the browser tests)."""
    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "minimal"
    # Files up to the server's limit reach kamiplan's reader, which refuses over 2 MB in Japanese (with the size).
    assert config["server"]["maxUploadSize"] >= 20
