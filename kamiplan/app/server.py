"""``python -m kamiplan serve``: start the dashboard on any computer (Windows too), as ``streamlit run serve.py``.

Streamlit is started in this process, through the same click command that ``streamlit run`` runs
(:data:`streamlit.web.cli.main`), not in a child process. That is the exact code path of
``scripts/dashboard.sh``: Streamlit finds the ``st.App`` in ``serve.py`` and runs it under uvicorn with
its lifespan (which clears the legacy pages-folder flag, so a deep link such as ``/pillar1`` works on
the first request), and reads ``.streamlit/config.toml`` and ``secrets.toml`` next to ``serve.py``
wherever the command is started from. One process also means Ctrl+C reaches the server directly: on
Windows a console Ctrl+C goes to every process of the console, so a parent waiting on a child server
would have to ignore it and could only kill the child (no graceful shutdown); here uvicorn stops the
sessions and the command returns.
"""

from __future__ import annotations

import errno
import os
import socket
import sys

from kamiplan import labels, paths
from kamiplan.errors import InputError, Problem, fail
from kamiplan.paths import PROJECT_DIR
from kamiplan.plan.db import PlanDB

SERVE_SCRIPT = PROJECT_DIR / "serve.py"
WILDCARDS = frozenset({"0.0.0.0", "::", ""})  # every interface: shown as localhost and the computer's name


def streamlit_args(port: int, address: str, extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The arguments of ``streamlit run`` that start the dashboard.

    Parameters
    ----------
    port, address
        Where the server listens. The port is always given, so Streamlit never moves to another one
        silently (the address printed is the one in use).
    extra
        More Streamlit options (``--server.maxUploadSize 5``); they come last, so they win.

    Returns
    -------
    list of str
        ``["run", <serve.py>, ...]``. ``serve.py`` prints the address in Japanese, so Streamlit's English
        welcome is hidden (it would also look up the external IP on the network for ``0.0.0.0``).
    """
    return [
        "run", str(SERVE_SCRIPT),
        "--server.headless", "true",
        "--server.address", address,
        "--server.port", str(port),
        "--logger.hideWelcomeMessage", "true",
        *extra,
    ]  # fmt: skip


def check_streamlit_options(extra: list[str] | tuple[str, ...]) -> None:
    """Refuse (in Japanese) anything in ``extra`` that is not a Streamlit ``--section.name [value]`` option."""
    for arg in extra:
        if arg.startswith("-") and not (arg.startswith("--") and "." in arg.split("=", 1)[0]):
            raise fail(labels.SERVE_BAD_OPTION.format(option=arg))
    if extra and not extra[0].startswith("--"):
        raise fail(labels.SERVE_BAD_OPTION.format(option=extra[0]))


def option_value(extra: list[str] | tuple[str, ...], name: str, default: str) -> str:
    """The value ``extra`` gives Streamlit's option ``name`` (``--server.port 8502`` or ``--server.port=8502``;
    the last one wins, as in Streamlit), else ``default``."""
    value = default
    for i, arg in enumerate(extra):
        if arg == f"--{name}" and i + 1 < len(extra):
            value = extra[i + 1]
        elif arg.startswith(f"--{name}="):
            value = arg.split("=", 1)[1]
    return value


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def open_message(address: str, port: int) -> str:
    """Where to open the browser, in Japanese: ``localhost`` for a local or wildcard address, else the address.

    Parameters
    ----------
    address, port
        The server's ``server.address`` and final ``server.port``.

    Returns
    -------
    str
        One line, or two for a wildcard address (the office network): the computer's name for the others.
    """
    if address in WILDCARDS or address in {"127.0.0.1", "localhost", "::1"}:
        text = labels.SERVE_OPEN.format(url=_url("localhost", port))
    else:
        text = labels.SERVE_OPEN.format(url=_url(address, port))
    if address in WILDCARDS:
        text += "\n" + labels.SERVE_OPEN_LAN.format(url=_url(socket.gethostname(), port))
    return text


def port_problem(address: str, port: int) -> str:
    """'' when ``address:port`` can be listened on now, else why not (Japanese). Port 0 (any free port) is fine."""
    if port == 0:
        return ""
    host = None if address in WILDCARDS else address
    try:
        family, kind, proto, _, where = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        return labels.SERVE_BAD_ADDRESS.format(address=address, reason=exc.strerror or exc)
    with socket.socket(family, kind, proto) as s:
        if sys.platform != "win32":
            # As uvicorn does: a port left in TIME_WAIT by the last run is free. (On Windows the option would let
            # two servers share the port, so the plain bind is the honest test there.)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(where)
        except OSError as exc:
            if exc.errno in {errno.EADDRINUSE, errno.EACCES}:  # EACCES: a port Windows reserves
                return labels.SERVE_PORT_BUSY.format(port=port, next_port=port + 1)
            return labels.SERVE_BAD_ADDRESS.format(address=address, reason=exc.strerror or exc)
    return ""


def serve(port: int, address: str, data_dir: str | None = None, extra: list[str] | tuple[str, ...] = ()) -> int:
    """Start the dashboard and block until it is stopped (Ctrl+C), like ``streamlit run serve.py``.

    Parameters
    ----------
    port, address
        Where to listen (default 8501 on 127.0.0.1: this computer only).
    data_dir
        The data folder; sets ``KAMIPLAN_DATA_DIR`` for the app (made absolute first). Without it, the app's
        usual folder (``$KAMIPLAN_DATA_DIR`` or ``data/``); either must hold the plan tables.
    extra
        More Streamlit options, passed on as they are.

    Returns
    -------
    int
        0 once stopped; 1 (after a Japanese message on standard error) when it cannot start: an option that is
        not a Streamlit option, a data folder without the plan tables, the port taken; else Streamlit's own code.
    """
    try:
        check_streamlit_options(extra)
        folder = paths.data_dir(data_dir).absolute()
        PlanDB(folder).close()  # no plan tables: the app's own Japanese message now, not an error on every page
        if data_dir:
            os.environ[paths.ENV_DATA_DIR] = str(folder)
        # `scripts/dashboard.sh --server.port 8502` (Streamlit's spelling) is checked as --port 8502 would be.
        chosen = option_value(extra, "server.port", str(port))
        if not chosen.isdigit():
            raise fail(labels.SERVE_BAD_OPTION.format(option=f"--server.port {chosen}"))
        if problem := port_problem(option_value(extra, "server.address", address), int(chosen)):
            raise InputError([Problem(problem)])
    except InputError as exc:
        for item in exc.problems:
            print(f"エラー: {item}", file=sys.stderr)
        return 1

    import click
    from streamlit.web import cli as streamlit_cli

    try:
        streamlit_cli.main.main(args=streamlit_args(port, address, extra), prog_name="streamlit", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        pass  # Ctrl+C: uvicorn has already closed the sessions; only the message is left
    except click.exceptions.ClickException as exc:
        exc.show()
        return exc.exit_code
    print(labels.SERVE_STOPPED, flush=True)
    return 0
