"""The page list (kamiplan/app/site.py) and how Streamlit frames the pages."""

from __future__ import annotations

import tomllib

from tests.conftest import PROJECT


def test_streamlit_shows_no_menu_and_no_running_indicator():
    """.streamlit/config.toml: 「viewer」 left the ⋮ menu (Print, Record screen, 「Made with Streamlit」) and the
    running icon's 「Stop」 button on every page, in English (checked on the pages in the browser tests)."""
    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "minimal"
    # Files up to the server's limit reach kamiplan's reader, which refuses over 2 MB in Japanese (with the size).
    assert config["server"]["maxUploadSize"] >= 20
