"""Streamlit sessions driven at the protocol level, without a browser (the page benchmark's memory phase).

A browser tab talks to a Streamlit server through one websocket (``/_stcore/stream``, subprotocol
``streamlit``): it sends ``BackMsg``s and receives ``ForwardMsg``s (``new_session`` and ``navigation``
when a run starts, the page's ``delta``s, ``script_finished`` at its end). :class:`ProtocolSession` sends
what Streamlit 1.67's frontend sends (``sendRerunBackMsg``) for the two ways a person reaches a page:

- opening a URL: a ``rerun_script`` whose ``ClientState`` has no ``page_script_hash``, the URL path
  without its leading slash as ``page_name`` (``""`` for the default page) and the URL's query as
  ``query_string``;
- a click in the sidebar menu, in the same session: the ``page_script_hash`` of that page, learnt from
  the ``navigation`` message of the previous run (the pages of ``st.navigation``; an app without it has
  only the pages of ``new_session``), no page name, no query.

Each rerun also carries the browser's context (time zone, locale, URL) and the hashes of the cacheable
messages already received, as the frontend does. The server therefore runs the same page scripts and keeps
the same session state as for a browser tab, while nothing is laid out or drawn: a Python client can hold
ten sessions of 250-chart pages on two cores, where ten chromium tabs laying them out never finished.

A run is a failure (:class:`SessionError`, naming the session and the page) when the script shows an
exception or an error box, the server answers "page not found", the script does not compile, the
connection closes, or no ``script_finished`` comes in time.

Example::

    async with concurrent_sessions("http://127.0.0.1:8501", ["", "pillar1"], sessions=10) as opened:
        ...  # every session has run both pages and is still connected (the server keeps its state)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Iterable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.AppPage_pb2 import AppPage
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

STREAM_PATH = "/_stcore/stream"
SUBPROTOCOL = "streamlit"
TIMEZONE, TIMEZONE_OFFSET, LOCALE = "Asia/Tokyo", -540, "ja-JP"  # as a browser in Japan reports them

T = TypeVar("T")


class SessionError(RuntimeError):
    """A session could not run a page: the message says which session, which page and what went wrong."""


@dataclass(frozen=True)
class PageRun:
    """One finished run of a page script in a session.

    Attributes
    ----------
    url_pathname : str
        The page's URL path as the server resolved it (``st.Page(url_path=...)``; for an app without
        ``st.navigation``, the main script's name).
    title : str
        The page's title (what the sidebar menu shows).
    seconds : float
        From sending ``rerun_script`` to receiving ``script_finished``.
    messages : int
        ``ForwardMsg``s received during the run.
    """

    url_pathname: str
    title: str
    seconds: float
    messages: int


class ProtocolSession:
    """One Streamlit session over the websocket, as one browser tab.

    Parameters
    ----------
    url : str
        The server's base URL, e.g. ``http://127.0.0.1:8501``.
    label : str
        How error messages name this session (e.g. ``session 3``).

    Attributes
    ----------
    finished : int
        Runs the server reported finished successfully (``script_finished``, FINISHED_SUCCESSFULLY).
    runs : list of PageRun
        The pages run in this session, in order.
    messages : int
        All ``ForwardMsg``s received.
    """

    def __init__(self, url: str, label: str = "session") -> None:
        self.url = url.rstrip("/")
        parts = urlsplit(self.url)
        self.stream_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}{parts.path}{STREAM_PATH}"
        self.label = label
        self.finished = 0
        self.runs: list[PageRun] = []
        self.messages = 0
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task | None = None
        self._ends: asyncio.Queue[ForwardMsg | BaseException] = asyncio.Queue()
        self._problems: list[str] = []
        self._cached_hashes: list[str] = []
        self._session_pages: list[AppPage] = []
        self._navigation_pages: list[AppPage] | None = None
        self._page_hash = ""

    # -- connection ------------------------------------------------------------------------------------
    async def connect(self, timeout: float = 30) -> None:
        """Open the websocket as the frontend does (same origin, subprotocol ``streamlit``).

        Parameters
        ----------
        timeout : float
            Seconds for the handshake.
        """
        self._ws = await connect(
            self.stream_url,
            origin=self.url,  # the page's own origin: the server's same-origin check
            subprotocols=[SUBPROTOCOL],
            max_size=None,  # a page's delta can be large (server-drawn SVGs); a browser has no limit
            proxy=None,
            open_timeout=timeout,
        )
        self._reader = asyncio.create_task(self._read(), name=f"{self.label} reader")

    async def close(self) -> None:
        """Close the websocket (the server then disconnects the session) and stop reading."""
        if self._ws is not None:
            with suppress(Exception):
                await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with suppress(asyncio.CancelledError, Exception):  # a reading failure was already reported to the run
                await self._reader

    async def __aenter__(self) -> ProtocolSession:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.close()

    # -- pages -----------------------------------------------------------------------------------------
    @property
    def pages(self) -> list[AppPage]:
        """The app's pages as the sidebar menu lists them: those of the last ``navigation`` message, or for an
        app without ``st.navigation`` those of ``new_session`` (empty before the first run)."""
        return list(self._navigation_pages if self._navigation_pages is not None else self._session_pages)

    @property
    def current_page(self) -> AppPage | None:
        """The page the last run started (None before the first run, or if it is not among :attr:`pages`)."""
        return next((p for p in self.pages if p.page_script_hash == self._page_hash), None)

    async def open(self, path: str, timeout: float = 300) -> PageRun:
        """Open the app at URL ``path`` (e.g. ``""``, ``"pillar1"``, ``"present?slide=3"``), as a new tab does.

        Parameters
        ----------
        path : str
            The URL path after the server's base URL, without the leading slash; may carry a query.
        timeout : float
            Seconds to wait for the run to finish.

        Returns
        -------
        PageRun
            The finished run.

        Raises
        ------
        SessionError
            The run failed, or the server ran another page than ``path``.
        """
        page_name, _, query = path.lstrip("/").partition("?")
        state = ClientState(query_string=query, page_name=page_name)
        run = await self._run(state, f"/{path.lstrip('/')}", path.lstrip("/"), timeout)
        if self._navigation_pages is not None:  # an app with st.navigation: the page the URL names
            page = self.current_page
            if page is None or not (page.url_pathname == page_name or (not page_name and page.is_default)):
                ran = page.url_pathname if page else self._page_hash
                raise SessionError(f"{self.label}: opened /{path} but the server ran the page {ran!r}")
        return run

    async def navigate(self, url_pathname: str, timeout: float = 300) -> PageRun:
        """Go to another page through the sidebar menu (same session): a rerun with that page's script hash.

        Parameters
        ----------
        url_pathname : str
            The page's URL path as in :attr:`pages` (``AppPage.url_pathname``); ``""`` for the default page.
        timeout : float
            Seconds to wait for the run to finish.

        Returns
        -------
        PageRun
            The finished run.

        Raises
        ------
        SessionError
            The page is not in the menu, the run failed, or the server ran another page.
        """
        pages = self.pages
        page = next((p for p in pages if p.url_pathname == url_pathname or (not url_pathname and p.is_default)), None)
        if page is None:
            known = ", ".join(repr(p.url_pathname) for p in pages) or "none (no run yet)"
            raise SessionError(f"{self.label}: no page {url_pathname!r} in the menu; pages: {known}")
        state = ClientState(page_script_hash=page.page_script_hash)
        run = await self._run(state, f"{page.url_pathname} (menu)", page.url_pathname, timeout)
        if self._page_hash != page.page_script_hash:
            ran = self.current_page.url_pathname if self.current_page else self._page_hash
            raise SessionError(f"{self.label}: asked for the page {url_pathname!r} but the server ran {ran!r}")
        return run

    # -- runs ------------------------------------------------------------------------------------------
    async def _run(self, state: ClientState, what: str, url_path: str, timeout: float) -> PageRun:
        if self._ws is None:
            raise SessionError(f"{self.label}: not connected")
        state.context_info.timezone = TIMEZONE
        state.context_info.timezone_offset = TIMEZONE_OFFSET
        state.context_info.locale = LOCALE
        state.context_info.url = f"{self.url}/{url_path}"
        state.context_info.color_scheme = "light"
        state.cached_message_hashes.extend(self._cached_hashes)
        self._problems = []
        received = self.messages
        start = time.perf_counter()
        deadline = time.monotonic() + timeout
        await self._ws.send(BackMsg(rerun_script=state).SerializeToString())
        while True:
            try:
                end = await asyncio.wait_for(self._ends.get(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                raise SessionError(
                    f"{self.label}: {what}: no script_finished within {timeout:.0f} s "
                    f"({self.messages - received} messages received)"
                ) from None
            if isinstance(end, BaseException):
                raise SessionError(f"{self.label}: {what}: connection lost: {end}") from end
            status = end.script_finished
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                self._problems.append("the script did not compile")
            if status in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                break
            # FINISHED_EARLY_FOR_RERUN (st.rerun, a newer rerun) or a fragment's run: the page's run goes on.
        if self._problems:
            raise SessionError(f"{self.label}: {what}: " + "; ".join(self._problems))
        page = self.current_page
        run = PageRun(
            url_pathname=page.url_pathname if page else "",
            title=page.page_name if page else "",
            seconds=time.perf_counter() - start,
            messages=self.messages - received,
        )
        self.runs.append(run)
        return run

    async def _read(self) -> None:
        """Receive every ForwardMsg (the websocket library answers the server's pings meanwhile)."""
        assert self._ws is not None
        try:
            async for data in self._ws:
                if isinstance(data, str):
                    continue  # Streamlit sends binary protobufs only
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self.messages += 1
                self._note(msg)
        except ConnectionClosed as exc:
            self._ends.put_nowait(exc)
            return
        except Exception as exc:  # a frame that is not a ForwardMsg: the run waiting for it fails with this
            self._ends.put_nowait(exc)
            raise
        self._ends.put_nowait(ConnectionError("the server closed the connection"))

    def _note(self, msg: ForwardMsg) -> None:
        if msg.metadata.cacheable and msg.hash:
            self._cached_hashes.append(msg.hash)  # the frontend keeps these and names them in its next rerun
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self._session_pages = list(msg.new_session.app_pages)
            self._page_hash = msg.new_session.page_script_hash
        elif kind == "navigation":
            self._navigation_pages = list(msg.navigation.app_pages)
            self._page_hash = msg.navigation.page_script_hash
        elif kind == "page_not_found":
            self._problems.append(f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            shown = element.WhichOneof("type")
            if shown == "exception" and not element.exception.is_warning:
                raised = element.exception
                # Without client.showErrorDetails the type is withheld and the message is a notice: the
                # details are in the server's log.
                self._problems.append(f"the script raised {raised.type or 'an exception'}: {raised.message[:300]}")
            elif shown == "alert" and element.alert.format == Alert.ERROR:
                self._problems.append(f"the page shows an error: {element.alert.body[:300]}")
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                self.finished += 1
            self._ends.put_nowait(msg)


async def _together(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    """Await all at once; on the first failure cancel the others and raise that failure itself."""
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(a) for a in awaitables]
    except BaseExceptionGroup as failures:
        raise failures.exceptions[0] from None
    return [task.result() for task in tasks]


@asynccontextmanager
async def concurrent_sessions(
    url: str, paths: list[str], sessions: int, timeout: float = 300
) -> AsyncIterator[list[ProtocolSession]]:
    """``sessions`` sessions at once, each opening ``paths[0]`` by URL and then every other path through the
    menu, in step (all sessions run a page, then all go on to the next); they stay connected inside the block.

    Parameters
    ----------
    url : str
        The server's base URL.
    paths : list of str
        URL paths without the leading slash (``""`` for the default page); the first may carry a query.
    sessions : int
        How many sessions.
    timeout : float
        Seconds to wait for each run.

    Yields
    ------
    list of ProtocolSession
        The sessions, every page run and connected.

    Raises
    ------
    SessionError
        A session could not run a page (the first failure; the other sessions are closed).
    """
    opened = [ProtocolSession(url, f"session {i + 1}") for i in range(sessions)]
    try:
        await _together(s.connect() for s in opened)
        await _together(s.open(paths[0], timeout) for s in opened)
        for path in paths[1:]:
            await _together(s.navigate(path, timeout) for s in opened)
        yield opened
    finally:
        await asyncio.gather(*(s.close() for s in opened), return_exceptions=True)
