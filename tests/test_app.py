"""Every page runs under AppTest without an exception."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT


def test_app_runs():
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "小さな町の輝く未来へ挑戦するまち" in at.subheader[0].value
