"""``python -m kamiplan serve``: what it passes on to Streamlit, and what it refuses before starting anything.

The real start (a deep link on a fresh server, Ctrl+C) is tests/browser/test_serve_in_browser.py.
"""

from __future__ import annotations

import socket

import click
import pytest
from streamlit.web import cli as streamlit_cli

from kamiplan import cli, labels
from kamiplan.app import server
from kamiplan.paths import ENV_DATA_DIR, PROJECT_DIR


@pytest.fixture
def started(monkeypatch):
    """Streamlit's ``run`` command replaced by a recorder: the arguments and the data folder it would see."""
    calls: list[dict] = []

    def fake_main(args, prog_name, standalone_mode):
        import os

        calls.append({"args": args, "data_dir": os.environ.get(ENV_DATA_DIR), "standalone": standalone_mode})

    monkeypatch.setattr(streamlit_cli.main, "main", fake_main)
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)
    return calls


def test_the_command_passes_port_address_data_folder_and_streamlit_options(monkeypatch):
    seen = []
    monkeypatch.setattr(server, "serve", lambda *args: seen.append(args) or 0)
    assert cli.main(["serve"]) == 0
    assert (
        cli.main(["serve", "--port", "9001", "--address", "0.0.0.0", "--data-dir", "d", "--server.maxUploadSize", "5"])
        == 0
    )
    assert seen == [
        (8501, "127.0.0.1", None, []),
        (9001, "0.0.0.0", "d", ["--server.maxUploadSize", "5"]),
    ]


def test_other_commands_still_refuse_unknown_options(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["report", "--server.port", "1"])
    assert exc.value.code == 2
    assert "分からない指定があります: --server.port 1" in capsys.readouterr().err


def test_streamlit_accepts_what_serve_passes():
    args = server.streamlit_args(9002, "0.0.0.0", ["--server.maxUploadSize", "5"])
    assert args[:2] == ["run", str(PROJECT_DIR / "serve.py")] and (PROJECT_DIR / "serve.py").is_file()
    ctx = streamlit_cli.main_run.make_context("run", args[1:])  # Streamlit's own option parser
    assert ctx.params["target"] == str(PROJECT_DIR / "serve.py")
    assert ctx.params["server_port"] == 9002 and ctx.params["server_address"] == "0.0.0.0"
    assert ctx.params["server_headless"] is True and ctx.params["logger_hideWelcomeMessage"] is True
    assert ctx.params["server_maxUploadSize"] == 5


def test_serve_sets_the_data_folder_and_says_when_it_stopped(started, plan_copy, monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)  # a relative folder is made absolute: the app must not depend on where it runs
    port = _free_port()
    assert server.serve(port, "127.0.0.1", str(plan_copy.relative_to(tmp_path))) == 0
    assert started == [
        {"args": server.streamlit_args(port, "127.0.0.1"), "data_dir": str(plan_copy.absolute()), "standalone": False}
    ]
    assert capsys.readouterr().out == labels.SERVE_STOPPED + "\n"


def test_ctrl_c_is_a_clean_stop(started, monkeypatch, capsys):
    def interrupted(**kwargs):
        raise click.exceptions.Abort()  # what click makes of the KeyboardInterrupt uvicorn re-raises

    monkeypatch.setattr(streamlit_cli.main, "main", interrupted)
    assert server.serve(_free_port(), "127.0.0.1") == 0
    assert labels.SERVE_STOPPED in capsys.readouterr().out


def test_a_taken_port_is_refused_in_japanese_before_streamlit_starts(started, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert server.serve(port, "127.0.0.1") == 1
    err = capsys.readouterr().err
    assert f"エラー: ポート {port} はほかのプログラム" in err and f"--port {port + 1}" in err
    assert started == []


def test_a_folder_without_plan_tables_is_refused(started, tmp_path, capsys):
    assert server.serve(_free_port(), "127.0.0.1", str(tmp_path)) == 1
    assert "計画のテーブルがありません" in capsys.readouterr().err and started == []


@pytest.mark.parametrize("extra", [["-x"], ["8502"], ["--port2", "1"]])
def test_what_is_not_a_streamlit_option_is_refused(started, extra, capsys):
    assert server.serve(_free_port(), "127.0.0.1", None, extra) == 1
    assert "分からない指定があります" in capsys.readouterr().err and started == []


def test_where_to_open_the_browser():
    assert server.open_message("127.0.0.1", 8501) == labels.SERVE_OPEN.format(url="http://localhost:8501")
    lan = server.open_message("0.0.0.0", 8502).splitlines()
    assert lan == [
        labels.SERVE_OPEN.format(url="http://localhost:8502"),
        labels.SERVE_OPEN_LAN.format(url=f"http://{socket.gethostname()}:8502"),
    ]
    assert "http://192.168.1.5:80 を開いて" in server.open_message("192.168.1.5", 80)
    assert "http://[fe80::1]:8501" in server.open_message("fe80::1", 8501)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_streamlit_spelling_of_port_and_address_is_the_one_checked(started, capsys):
    extra = ["--server.address", "127.0.0.1", "--server.port=1"]
    assert server.option_value(extra, "server.port", "8501") == "1"
    assert server.option_value(extra, "server.address", "0.0.0.0") == "127.0.0.1"
    assert server.option_value([], "server.port", "8501") == "8501"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        # --port is free, but the Streamlit option after it (which wins) names the taken port
        assert server.serve(_free_port(), "127.0.0.1", None, ["--server.port", str(port)]) == 1
    assert f"ポート {port} は" in capsys.readouterr().err and started == []
