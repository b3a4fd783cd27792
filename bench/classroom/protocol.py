"""One browser tab, simulated: Streamlit's websocket protocol spoken as its front end does.

The front end (frontend/app/src/App.tsx) opens ws://host/_stcore/stream with the
subprotocol "streamlit", sends a BackMsg `rerun_script` with its ClientState (the URL's
query string, the page's name or script hash, widget states, a fragment id for a
fragment rerun) and draws the ForwardMsgs that come back: `new_session` when a run
starts, `delta`s, `page_info_changed` when the script rewrites the URL,
`auto_rerun` (a fragment's `run_every`: the browser then asks for that fragment every
interval, without waiting), `stop_auto_rerun`, and `script_finished` when the run ends.

An interaction's time is from its BackMsg sent to the `script_finished` of the run that
served it. Streamlit folds requests into one run (a rerun stops the running script;
queued fragment reruns coalesce), so a request is served by the first run that *starts*
after it was sent, of its kind (full or fragment), and ends other than "early for rerun".
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

ANSWER_SECONDS = 120.0  # a request unanswered this long counts as an error
EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN
COMPILE_ERROR = ForwardMsg.FINISHED_WITH_COMPILE_ERROR
WIDGET_ID = re.compile(r"^\$\$ID-[0-9a-f]+-(?P<key>.*)$")
TEXT_LOG = 400  # recent texts kept per tab, to wait for one


class TabClosed(ConnectionError):
    """The server closed the websocket (or it could not be opened)."""


@dataclass
class Request:
    kind: str  # "full" or "fragment"
    what: str  # what the student did, e.g. "change", "train", "tick"
    sent: float
    served: bool = False  # a run that serves it has started
    done: asyncio.Future = field(default_factory=lambda: asyncio.get_running_loop().create_future())


@dataclass
class Shown:
    """One element the page drew: its kind (markdown, alert, progress, ...) and text."""

    at: float
    kind: str
    text: str
    detail: str = ""  # alert format ("error", "warning", ...)


class Tab:
    """A browser tab on the dashboard at `base_url`, through a proxy or not.

    `on_answer(what, seconds)` is called for every request answered, `on_problem(text)` for
    an exception drawn in the page, an unanswered request or a lost connection, and
    `on_error_shown(text)` for an st.error the page draws (a sentence for the student:
    told apart from problems, but counted).
    """

    def __init__(
        self,
        base_url: str,
        on_answer: Callable[[str, float], None] = lambda what, seconds: None,
        on_problem: Callable[[str], None] = lambda text: None,
        answer_seconds: float = ANSWER_SECONDS,
        on_error_shown: Callable[[str], None] = lambda text: None,
    ):
        self.base_url = base_url.rstrip("/")
        self.on_answer = on_answer
        self.on_problem = on_problem
        self.on_error_shown = on_error_shown
        self.answer_seconds = answer_seconds
        self.page_name = ""
        self.page_hash = ""
        self.query = ""
        self.session_id = ""
        self.cookies: dict[str, str] = {}
        self.widgets: dict[str, str] = {}  # widget key (or button label) -> widget id
        self.shown: deque[Shown] = deque(maxlen=TEXT_LOG)
        self.bytes_received = 0
        self.closed = False
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._pending: list[Request] = []
        self._running: list[Request] = []  # served by the run in progress
        self._ticks: dict[str, asyncio.Task] = {}  # fragment id -> its auto-rerun loop
        self._changed = asyncio.Condition()

    # --- connecting ------------------------------------------------------------------------

    async def open(self, page: str, query: str = "", what: str = "open") -> float:
        """Load `page` (its URL path, "" for home) with a link's query; seconds to drawn."""
        await self._fetch_page(page)
        await self._connect()
        self.page_name, self.query = page, query
        return await self._rerun(what, page_name=page)

    async def reconnect(self) -> float:
        """Drop the websocket and open it again with this session's id, as a browser does
        after a network blip; seconds until the page is drawn again."""
        await self._disconnect()
        await self._connect(existing_session=self.session_id)
        return await self._rerun("reconnect")

    async def _fetch_page(self, page: str) -> None:
        """The page's HTML, as a browser loads it first: a proxy sets its sticky cookie here."""
        response = await AsyncHTTPClient().fetch(
            HTTPRequest(f"{self.base_url}/{page}", headers=self._cookie_header()),
            raise_error=False,
        )
        if response.code != 200:
            raise TabClosed(f"GET /{page} answered {response.code}")
        for header in response.headers.get_list("Set-Cookie"):
            cookie = SimpleCookie()
            cookie.load(header)
            self.cookies.update({name: morsel.value for name, morsel in cookie.items()})

    def _cookie_header(self) -> dict[str, str]:
        if not self.cookies:
            return {}
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}

    async def _connect(self, existing_session: str = "") -> None:
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        # subprotocol list: "streamlit", the XSRF token (none without an Origin), the session
        protocols = "streamlit" + (f", , {existing_session}" if existing_session else "")
        request = HTTPRequest(
            f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream",
            headers={"Sec-WebSocket-Protocol": protocols, **self._cookie_header()},
            connect_timeout=30,
        )
        try:
            self._ws = await websocket_connect(request, max_message_size=256 * 2**20)
        except Exception as error:
            raise TabClosed(f"websocket not opened: {error}") from None
        self.closed = False
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        """Close the tab: its timers stop and the server sees the session go."""
        self.closed = True
        await self._disconnect()

    async def _disconnect(self) -> None:
        for task in self._ticks.values():
            task.cancel()
        self._ticks.clear()
        if self._ws is not None:
            self._ws.close()
            self._ws = None
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
            self._reader = None
        for request in self._pending + self._running:
            if not request.done.done():
                request.done.set_result(None)
        self._pending, self._running = [], []

    # --- what a student does -----------------------------------------------------------------

    async def change_link(self, query: str, what: str = "change") -> float | None:
        """A rerun with a new URL query string: the page reads it as a link just opened."""
        self.query = query
        return await self._rerun(what)

    async def click(self, key: str, what: str = "click") -> float | None:
        """Press a button by its widget key (or its label when it has none)."""
        widget_id = self.widgets.get(key)
        if widget_id is None:
            raise KeyError(f"no button {key!r} on the page")
        return await self._rerun(what, triggers=[widget_id])

    def widget_id(self, key: str) -> str | None:
        return self.widgets.get(key)

    async def _rerun(
        self,
        what: str,
        *,
        page_name: str = "",
        triggers: list[str] | None = None,
        fragment_id: str = "",
        auto: bool = False,
    ) -> float | None:
        if self._ws is None:
            raise TabClosed("the tab is closed")
        message = BackMsg()
        rerun = message.rerun_script
        rerun.query_string = self.query
        if self.page_hash and not page_name:
            rerun.page_script_hash = self.page_hash
        else:
            rerun.page_name = page_name
        for widget_id in triggers or []:
            state = rerun.widget_states.widgets.add()
            state.id = widget_id
            state.trigger_value = True
        if fragment_id:
            rerun.fragment_id = fragment_id
            rerun.is_auto_rerun = auto
        request = Request("fragment" if fragment_id else "full", what, time.perf_counter())
        self._pending.append(request)
        try:
            await self._ws.write_message(message.SerializeToString(), binary=True)
        except Exception as error:
            self._pending.remove(request)
            self.on_problem(f"{what}: could not send ({error})")
            return None
        try:
            seconds = await asyncio.wait_for(
                asyncio.shield(request.done), timeout=self.answer_seconds
            )
        except TimeoutError:
            self.on_problem(f"{what}: no answer in {self.answer_seconds:.0f} s")
            self._forget(request)
            return None
        if seconds is not None:
            self.on_answer(what, seconds)
        return seconds

    def _forget(self, request: Request) -> None:
        for queue in (self._pending, self._running):
            if request in queue:
                queue.remove(request)

    # --- the live panel: a browser's auto-rerun timers --------------------------------------

    def _start_ticking(self, fragment_id: str, interval: float) -> None:
        if fragment_id in self._ticks:
            self._ticks[fragment_id].cancel()
        self._ticks[fragment_id] = asyncio.create_task(self._tick(fragment_id, interval))

    async def _tick(self, fragment_id: str, interval: float) -> None:
        """setInterval: a fragment rerun every `interval`, whether or not the last one ended."""
        while True:
            await asyncio.sleep(interval)
            asyncio.create_task(
                self._quiet(self._rerun("tick", fragment_id=fragment_id, auto=True))
            )

    @staticmethod
    async def _quiet(awaitable) -> None:
        with contextlib.suppress(TabClosed):
            await awaitable

    @property
    def ticking(self) -> bool:
        return bool(self._ticks)

    # --- what the server sends ---------------------------------------------------------------

    async def _read(self) -> None:
        while True:
            data = await self._ws.read_message()
            if data is None:
                if not self.closed:
                    self.on_problem("the server closed the connection")
                    self.closed = True
                for request in self._pending + self._running:
                    if not request.done.done():
                        request.done.set_result(None)
                return
            self.bytes_received += len(data)
            message = ForwardMsg()
            message.ParseFromString(data)
            self._handle(message)
            async with self._changed:
                self._changed.notify_all()

    def _handle(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self._run_started(bool(message.metadata.run.fragment_ids))
            self.session_id = message.new_session.initialize.session_id or self.session_id
        elif kind == "navigation":
            self.page_hash = message.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query = message.page_info_changed.query_string
        elif kind == "delta":
            self._delta(message.delta)
        elif kind == "auto_rerun":
            self._start_ticking(message.auto_rerun.fragment_id, message.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            for fragment_id in message.stop_auto_rerun.fragment_ids:
                task = self._ticks.pop(fragment_id, None)
                if task is not None:
                    task.cancel()
        elif kind == "script_finished":
            self._run_finished(message.script_finished)

    def _run_started(self, fragment_run: bool) -> None:
        kind = "fragment" if fragment_run else "full"
        if not fragment_run:
            # a full run replaces the page: the browser drops its auto-rerun timers, and
            # fragment reruns still waiting are folded into it
            for task in self._ticks.values():
                task.cancel()
            self._ticks.clear()
            for request in [r for r in self._pending if r.kind == "fragment"]:
                self._pending.remove(request)
                request.done.set_result(None)
        now = time.perf_counter()
        served = [r for r in self._pending if r.kind == kind and r.sent <= now]
        for request in served:
            self._pending.remove(request)
        self._running.extend(served)

    def _run_finished(self, status: int) -> None:
        if status == EARLY:  # stopped for a newer rerun: its requests are served by that one
            self._pending[:0] = self._running
            self._running = []
            return
        if status == COMPILE_ERROR:
            self.on_problem("the script did not compile")
        now = time.perf_counter()
        for request in self._running:
            if not request.done.done():
                request.done.set_result(now - request.sent)
        self._running = []

    def _delta(self, delta) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind is None:
            return
        body = getattr(element, kind)
        widget_id = getattr(body, "id", "")
        if widget_id:
            match = WIDGET_ID.match(widget_id)
            if match and match["key"] != "None":
                self.widgets[match["key"]] = widget_id
            if kind == "button" and body.label:
                self.widgets.setdefault(body.label, widget_id)
        now = time.perf_counter()
        if kind == "exception":
            self.on_problem(f"exception in the page: {body.type}: {body.message[:200]}")
            self.shown.append(Shown(now, kind, body.message))
        elif kind == "alert":
            self.shown.append(Shown(now, kind, body.body, ALERT_FORMATS.get(body.format, "")))
            if ALERT_FORMATS.get(body.format) == "error":
                self.on_error_shown(body.body)
        elif kind in ("markdown", "progress", "toast"):
            text = body.body if kind != "progress" else body.text
            self.shown.append(Shown(now, kind, text))

    # --- waiting for what the page shows ------------------------------------------------------

    async def wait_for(
        self, pattern: str, since: float, timeout: float, kinds: tuple[str, ...] = ()
    ) -> Shown | None:
        """The first element shown after `since` whose text matches, or None after `timeout`."""
        regex = re.compile(pattern)
        deadline = time.perf_counter() + timeout

        def found() -> Shown | None:
            return next(
                (
                    shown
                    for shown in self.shown
                    if shown.at >= since
                    and (not kinds or shown.kind in kinds)
                    and regex.search(shown.text)
                ),
                None,
            )

        async with self._changed:
            while (match := found()) is None:
                remaining = deadline - time.perf_counter()
                if remaining <= 0 or self.closed:
                    return None
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    return found()
            return match


ALERT_FORMATS = {1: "error", 2: "warning", 3: "info", 4: "success"}
