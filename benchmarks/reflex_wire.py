"""Reflex 0.10's websocket protocol spoken as its built frontend speaks it, for load generators.

One `Tab` is one browser tab's socket: engine.io 4 over a raw websocket (wsproto on an asyncio
transport, so thousands of tabs share one event loop and one core), socket.io's `/_event`
namespace, and the page's events by their full names. What the built frontend sends, from
`reflex_base/.templates/web/utils/state.js` and the compiled `utils/context.jsx`:

- the websocket URL `/_event/?EIO=4&transport=websocket&token=<uuid>` (the tab's client token),
  with the browser's Cookie (our HttpOnly session cookie), Origin, User-Agent, and Reflex's
  version as the subprotocol;
- the socket.io CONNECT packet carries the first event, `hydrate_and_load`, with the page's
  router data (pathname, asPath, query = search params + the route's [params]) and, on a first
  connect, the hashes of the compiled initial state; beside it the state schema's hash;
- a client-side navigation sends `on_load_internal` with the new URL's router data;
- every other event is `42/_event,["event", {name, payload, router_data}]`.

The server answers with `event` messages (`{"delta": {state: {var_rx_state_: value}}, "events":
[...]}`); a page load is done when the root state's `is_hydrated` turns true (the last step of
hydrate + on_load). `final` is no longer sent (Reflex 0.9 deprecated it).
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Message, Ping, RejectConnection, Request, TextMessage
from wsproto.extensions import PerMessageDeflate

ROOT_STATE = "reflex___state____state"
HYDRATE_AND_LOAD = f"{ROOT_STATE}.hydrate_and_load"
ON_LOAD_INTERNAL = f"{ROOT_STATE}.reflex___state____on_load_internal_state.on_load_internal"
NAMESPACE = "/_event"
# What a desktop Chromium sends; Reflex keeps the headers in each tab's router data (and sends them
# back in the first delta), so a bare client would make every state a little smaller than a browser's.
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

Update = dict  # one `event` message: {"delta": {...}, "events": [...]}


def var(name: str) -> str:
    """A state var's name on the wire."""
    return f"{name}_rx_state_"


@dataclass(frozen=True)
class Frontend:
    """What the built frontend bakes in and sends on connect."""

    version: str
    state_schema: str
    initial_hashes: list[str]

    @classmethod
    def from_web_dir(cls, web_dir: Path) -> Frontend:
        """Read from a built `.web` folder (REFLEX_WEB_WORKDIR): `utils/context.jsx` and `reflex.json`."""
        context = (web_dir / "utils" / "context.jsx").read_text()
        version = json.loads((web_dir / "reflex.json").read_text())["version"]
        return cls.from_context(context, version)

    @classmethod
    def from_context(cls, context: str, version: str) -> Frontend:
        """From the compiled context module's text: `export const name = <JSON>` lines."""

        def constant(name: str):
            match = re.search(rf"^export const {name} = (.*)$", context, re.MULTILINE)
            if match is None:
                raise ValueError(f"the built frontend's context has no {name}")
            return json.loads(match[1])

        client_storage = constant("clientStorage")
        if any(client_storage.get(kind) for kind in ("cookies", "local_storage", "session_storage")):
            # The hydrate would also carry those values ("vars"), which this client does not keep.
            raise ValueError("this app keeps vars in browser storage; the load client does not send them")
        return cls(version=version, state_schema=constant("stateSchema"), initial_hashes=constant("initialStateHashes"))


def route_params(route: str, path: str) -> dict[str, str]:
    """React Router's params for `path` on a Reflex route such as "/gigs/[gig_id]" ({} if none)."""
    params = {}
    for part, value in zip(route.strip("/").split("/"), path.strip("/").split("/"), strict=False):
        if part.startswith("[") and part.endswith("]"):
            params[part.strip("[]")] = value
    return params


def router_data(url: str, route: str | None = None) -> dict:
    """The router data the frontend puts on each event for the page at `url` (path + ?search)."""
    parts = urlsplit(url)
    out: dict = {"pathname": parts.path or "/", "asPath": (parts.path or "/") + (f"?{parts.query}" if parts.query else "")}
    query = {**dict(parse_qsl(parts.query, keep_blank_values=True)), **(route_params(route, parts.path) if route else {})}
    if query:
        out["query"] = query
    return out


def is_hydrated(update: Update) -> bool:
    """The last delta of a page load (hydrate + on_load) or of a navigation's on_load."""
    return (update.get("delta") or {}).get(ROOT_STATE, {}).get(var("is_hydrated")) is True


def redirect_of(update: Update) -> str | None:
    """The path of a `_redirect` the server sent, if any."""
    for event in update.get("events") or []:
        if event.get("name") == "_redirect":
            return (event.get("payload") or {}).get("path")
    return None


def has_backend_error(update: Update) -> bool:
    """Reflex's default handler turns an exception in a handler into a toast with this id."""
    return any("backend_error" in json.dumps(event.get("payload") or {}) for event in update.get("events") or [])


def parse_packet(text: str) -> tuple[str, object]:
    """An engine.io text packet as (kind, data): ("open", handshake), ("ping", None),
    ("connect", sid data), ("connect_error", data), ("disconnect", None), ("event", [name, data]),
    ("close", None) or ("other", text). Only the `/_event` namespace is expected."""
    if text.startswith("0"):
        return "open", json.loads(text[1:])
    if text == "2":
        return "ping", None
    if text == "1":
        return "close", None
    if text.startswith("4"):
        packet = text[1:]
        kind = packet[:1]
        rest = packet[1:]
        if rest.startswith(NAMESPACE):
            rest = rest[len(NAMESPACE) :].removeprefix(",")
        if kind == "0":
            return "connect", json.loads(rest) if rest else None
        if kind == "4":
            return "connect_error", json.loads(rest) if rest else None
        if kind == "1":
            return "disconnect", None
        if kind == "2":
            return "event", json.loads(rest[rest.index("[") :])
    return "other", text


class TabClosed(Exception):
    """The socket closed (or never opened) while a page waited for an answer."""


class Tab(asyncio.Protocol):
    """One browser tab: a websocket to the app, its client token, its cookie, its location."""

    def __init__(self, frontend: Frontend, host: str, port: int, cookie: str = "") -> None:
        self.frontend, self.host, self.port, self.cookie = frontend, host, port, cookie
        self.token = str(uuid.uuid4())
        self.url, self.route = "/", None
        self.updates = 0
        self.backend_errors = 0
        self.last_update: Update | None = None
        self._ws = WSConnection(ConnectionType.CLIENT)
        self._transport: asyncio.Transport | None = None
        self._parts: list[str] = []
        self._accepted: asyncio.Future | None = None
        self._opened: asyncio.Future | None = None
        self._waiting: tuple[Callable[[Update], bool], asyncio.Future] | None = None
        self.closed = False
        self.close_reason = ""
        self.compressed = False

    # -- the tab's life ------------------------------------------------------------------------

    async def open(self, url: str, route: str | None = None, timeout: float = 60.0) -> tuple[float, float]:
        """Load the page at `url` as a browser does: the socket, then CONNECT with hydrate_and_load;
        returns (seconds to open the socket, seconds from CONNECT to the hydrated page)."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        self._accepted, self._opened = loop.create_future(), loop.create_future()
        await asyncio.wait_for(loop.create_connection(lambda: self, self.host, self.port), timeout)
        await asyncio.wait_for(self._accepted, timeout)  # the websocket upgrade
        await asyncio.wait_for(self._opened, timeout)  # the engine.io open packet
        socket_s = loop.time() - started
        self.url, self.route = url, route
        boot = {"name": HYDRATE_AND_LOAD, "payload": {"hashes": self.frontend.initial_hashes}, "router_data": router_data(url, route)}
        auth = {"event": boot, "state_schema": self.frontend.state_schema}
        sent = loop.time()
        await self._request(f"40{NAMESPACE},{json.dumps(auth, separators=(',', ':'))}", is_hydrated, timeout)
        return socket_s, loop.time() - sent

    async def navigate(self, url: str, route: str | None = None, timeout: float = 60.0) -> Update:
        """Follow a link inside the app: React Router changes the URL, the page sends on_load_internal."""
        self.url, self.route = url, route
        return await self.call(ON_LOAD_INTERNAL, {}, is_hydrated, timeout)

    async def call(self, name: str, payload: dict, until: Callable[[Update], bool], timeout: float = 60.0) -> Update:
        """Send one event from this page; the first update for which `until` is true."""
        event: dict = {"name": name}
        if payload:
            event["payload"] = payload
        event["router_data"] = router_data(self.url, self.route)
        return await self._request(f"42{NAMESPACE},{json.dumps(['event', event], separators=(',', ':'))}", until, timeout)

    async def wait_for(self, until: Callable[[Update], bool], timeout: float = 60.0) -> Update:
        """The first update (from now on) for which `until` is true: a push from someone else."""
        future = asyncio.get_running_loop().create_future()
        self._waiting = (until, future)
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self._waiting = None

    def close(self) -> None:
        """The tab closes: on pagehide the page leaves the namespace, then the websocket ends."""
        if self._transport is not None and not self.closed:
            try:
                self._send(f"41{NAMESPACE},")
                self._transport.write(self._ws.send(CloseConnection(code=1000)))
            except Exception:
                pass
            self._transport.close()
        self.closed = True

    async def _request(self, text: str, until: Callable[[Update], bool], timeout: float) -> Update:
        if self.closed:
            raise TabClosed(self.close_reason or "closed")
        future = asyncio.get_running_loop().create_future()
        self._waiting = (until, future)
        try:
            self._send(text)
            return await asyncio.wait_for(future, timeout)
        finally:
            self._waiting = None

    # -- asyncio.Protocol ------------------------------------------------------------------------

    def connection_made(self, transport) -> None:
        self._transport = transport
        request = Request(
            host=f"{self.host}:{self.port}",
            target=f"{NAMESPACE}/?EIO=4&transport=websocket&token={self.token}",
            subprotocols=[self.frontend.version],
            extensions=[PerMessageDeflate()],  # as the browser offers it
            extra_headers=[
                (b"origin", f"http://{self.host}:{self.port}".encode()),
                (b"user-agent", USER_AGENT.encode()),
                (b"accept-language", b"en-US,en;q=0.9"),
                *([(b"cookie", self.cookie.encode())] if self.cookie else []),
            ],
        )
        transport.write(self._ws.send(request))

    def data_received(self, data: bytes) -> None:
        self._ws.receive_data(data)
        for event in self._ws.events():
            if isinstance(event, TextMessage):
                self._parts.append(event.data)
                if event.message_finished:
                    text, self._parts = "".join(self._parts), []
                    self._packet(text)
            elif isinstance(event, AcceptConnection):
                self.compressed = bool(event.extensions)  # the server took permessage-deflate
                _resolve(self._accepted, True)
            elif isinstance(event, Ping):
                self._transport.write(self._ws.send(event.response()))
            elif isinstance(event, CloseConnection):
                self._gone(f"server closed the websocket ({event.code})")
                try:
                    self._transport.write(self._ws.send(event.response()))
                except Exception:
                    pass
                self._transport.close()
            elif isinstance(event, RejectConnection):
                self._gone(f"websocket refused ({event.status_code})")
                self._transport.close()

    def connection_lost(self, exc) -> None:
        self._gone(f"connection lost ({exc!r})" if exc else "connection closed")

    def _gone(self, reason: str) -> None:
        if not self.closed:
            self.close_reason = reason
        self.closed = True
        for future in (self._accepted, self._opened, self._waiting[1] if self._waiting else None):
            if future is not None and not future.done():
                future.set_exception(TabClosed(reason))

    def _send(self, text: str) -> None:
        self._transport.write(self._ws.send(Message(data=text)))

    def _packet(self, text: str) -> None:
        kind, data = parse_packet(text)
        if kind == "ping":
            self._send("3")  # or the server drops the tab after its ping timeout
        elif kind == "open":
            _resolve(self._opened, data)
        elif kind == "event" and isinstance(data, list) and data and data[0] == "event":
            update = data[1] if len(data) > 1 and isinstance(data[1], dict) else {}
            self.updates += 1
            self.last_update = update
            if update.get("events") and has_backend_error(update):
                self.backend_errors += 1
            if self._waiting is not None and self._waiting[0](update):
                _resolve(self._waiting[1], update)
        elif kind == "event" and isinstance(data, list) and data and data[0] == "state_mismatch":
            self._gone("the server says this frontend was built for another state schema")
        elif kind in ("connect_error", "disconnect", "close"):
            self._gone(f"socket.io {kind}: {data!r}")


def _resolve(future: asyncio.Future | None, value) -> None:
    if future is not None and not future.done():
        future.set_result(value)
