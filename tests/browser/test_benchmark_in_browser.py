"""The page benchmark's parts that run in the browser (benchmarks/bench_pages.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.benchmark
def test_page_benchmark_counts_exactly_the_runs_the_server_finished(browser):
    """The page benchmark's run counter reads the server's messages in the page: a message is a finished run
    exactly when Streamlit's own decoder says script_finished — lengths over one byte (a 300-character text),
    the metadata before the field, every status value, and messages that only look alike."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from benchmarks.bench_pages import RUN_COUNTER

    messages = []
    for status in range(4):
        msg = ForwardMsg()
        msg.metadata.delta_path.extend([0])
        msg.script_finished = status
        messages.append(msg)
    delta = ForwardMsg(hash="0" * 32)
    delta.metadata.delta_path.extend([0, 2, 300])
    delta.delta.new_element.markdown.body = "大綱1 " * 100  # 6 (0x06) and 0x30 bytes inside, lengths of 2 bytes
    messages += [delta, ForwardMsg(session_status_changed={"script_is_running": False}), ForwardMsg(ref_hash="6" * 32)]
    payloads = [list(m.SerializeToString()) for m in messages]
    expected = [m.WhichOneof("type") == "script_finished" for m in messages]
    page = browser.new_page()
    try:
        page.add_init_script(RUN_COUNTER)
        page.goto("about:blank")
        found = page.evaluate("(all) => all.map((m) => window.__kpScriptFinished(new Uint8Array(m).buffer))", payloads)
    finally:
        page.close()
    assert found == expected == [True] * 4 + [False] * 3
