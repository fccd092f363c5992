"""``python -m kamiplan serve`` started from another folder: a deep link as the first request, then Ctrl+C.

One server start in all. The command is what the README gives Windows users; started outside the project
folder, it must still find serve.py, the pages, .streamlit/config.toml and the data folder it is given.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from kamiplan import labels
from tests.browser.conftest import free_port, open_page, wait_healthy, wait_idle
from tests.conftest import PROJECT

pytestmark = pytest.mark.browser


def test_serve_opens_a_deep_link_first_and_stops_on_ctrl_c(browser, test_data, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = os.environ | {"PYTHONPATH": str(PROJECT)}  # kamiplan importable from anywhere, as after `pip install`
    env.pop("KAMIPLAN_DATA_DIR", None)
    env.pop("KAMIPLAN_READONLY", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kamiplan", "serve", "--port", str(port), "--data-dir", str(test_data)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert wait_healthy(proc, url), proc.communicate(timeout=10)[0].decode(errors="replace")
        with open_page(browser, f"{url}/pillar1") as page:
            wait_idle(page)
            assert page.locator("h1").first.inner_text().startswith("大綱1 健康で心豊かに暮らせるまち")
            assert page.locator('[data-testid="stException"]').count() == 0
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
            assert "概要" in nav and "pillar" not in nav  # st.navigation, not the legacy pages-folder menu
            # The folder given with --data-dir is the one used: its invented actuals reach R8, so the evaluation
            # year defaults to R8 (the embedded data/ has no actuals: R7).
            year = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input').first.input_value()
            assert year == "R8(2026)年度"
            assert [u for u in page.requests if not u.startswith((url, "data:", "blob:", "about:"))] == []
        proc.send_signal(signal.SIGINT)  # Ctrl+C
        out = proc.communicate(timeout=10)[0].decode(errors="replace")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out
    assert labels.SERVE_OPEN.format(url=f"http://localhost:{port}") in out
    assert out.rstrip().endswith(labels.SERVE_STOPPED)
    assert "You can now view" not in out and "Traceback" not in out
