"""A browser tab's websocket events through Reflex's real event processor, without a browser.

`Tabs()` runs the app's own event processor (so the app's middleware too) on an event loop of
its own thread, against a state manager (in memory unless given one, e.g. Redis). A `Tab` has a
client token, as a browser tab keeps in sessionStorage:
- `tab.open(path, cookie)` sends what a page load sends first (hydrate_and_load, which chains
  the page's on_load) and returns the frames the tab received, as the JSON text on the wire;
- `tab.send(handler, path, cookie, **payload)` sends one event from the page at `path`.
`cookie` is the whole Cookie header of the tab's websocket (`cookie_for(token)` builds one).
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import Callable, Coroutine
from typing import Any

import reflex as rx
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from reflex_base.event import Event, EventHandler
from reflex_base.event.processor.base_state_processor import BaseStateEventProcessor
from reflex_base.utils import format

from microgigs.settings import get_settings

_tab_numbers = itertools.count(1)


def cookie_for(session_token: str | None) -> str:
    """The Cookie header of a browser holding this sign-in (empty: signed out)."""
    return f"{get_settings().session_cookie_name}={session_token}" if session_token else ""


class _Socket:
    """Stands in for Reflex's websocket namespace: keeps what each tab was sent."""

    def __init__(self) -> None:
        self.sent: dict[str, list[str]] = {}

    async def emit_update(self, update, token: str) -> None:
        self.sent.setdefault(token, []).append(format.json_dumps(update))


class Tabs:
    """The app's event processor on its own loop; `new_tab()` for each browser tab."""

    def __init__(self, state_manager_factory: Callable[[], Any] = StateManagerMemory) -> None:
        from microgigs.microgigs import app

        self.app = app
        self.socket = _Socket()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._stopped: asyncio.Event | None = None  # made on the loop, by _serve
        self._ready = threading.Event()
        self.state_manager = None
        self.processor = BaseStateEventProcessor(middleware=app, backend_exception_handler=app.backend_exception_handler)
        self._serving = asyncio.run_coroutine_threadsafe(self._serve(state_manager_factory), self._loop)
        self._ready.wait(timeout=30)

    async def _serve(self, state_manager_factory) -> None:
        with self.app.set_contexts():
            self._stopped = asyncio.Event()
            self.state_manager = state_manager_factory()
            self.processor.configure(state_manager=self.state_manager, event_namespace=self.socket)
            async with self.processor:
                self._ready.set()
                await self._stopped.wait()
            await self.state_manager.close()

    def run(self, make_coroutine: Callable[[], Coroutine]) -> Any:
        """Run a coroutine on the processor's loop, with the app's contexts set."""

        async def with_contexts():
            with self.app.set_contexts():
                return await make_coroutine()

        return asyncio.run_coroutine_threadsafe(with_contexts(), self._loop).result(timeout=60)

    def new_tab(self) -> Tab:
        return Tab(self, f"tab-{next(_tab_numbers)}")

    def close(self) -> None:
        if self._stopped is not None:
            self._loop.call_soon_threadsafe(self._stopped.set)
        self._serving.result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()


class Tab:
    def __init__(self, tabs: Tabs, token: str) -> None:
        self.tabs, self.token = tabs, token

    @property
    def frames(self) -> list[str]:
        """Everything this tab has been sent so far."""
        return self.tabs.socket.sent.setdefault(self.token, [])

    def _router_data(self, path: str, cookie: str) -> dict:
        # As Reflex's websocket namespace fills it in: the route's pattern, the browser's path,
        # and the headers of the websocket's request (so its Cookie header).
        return {
            "pathname": "/" + (self.tabs.app.router(path) or "404").removeprefix("/"),
            "asPath": path,
            "query": {},
            "headers": {"origin": "http://testserver", "cookie": cookie},
            "token": self.token,
            "sid": f"sid-{self.token}",
            "ip": "127.0.0.1",
        }

    def _process(self, name: str, path: str, cookie: str, payload: dict) -> list[str]:
        before = len(self.frames)
        event = Event(name=name, payload=payload, router_data=self._router_data(path, cookie))

        async def process():
            future = await self.tabs.processor.enqueue(self.token, event)
            await future.wait_all()  # the event and every event it chained (the page's on_load)

        self.tabs.run(process)
        return self.frames[before:]

    def open(self, path: str, cookie: str, hashes: list[str] | None = None) -> list[str]:
        """A page load of `path` in this tab: the frames it received. `hashes`: those of the
        defaults the built page holds, as a browser sends on a page's first load."""
        payload = {"hashes": hashes} if hashes is not None else {}
        return self._process(format.format_event_handler(rx.State.event_handlers["hydrate_and_load"]), path, cookie, payload)

    def send(self, handler: EventHandler, path: str, cookie: str, **payload) -> list[str]:
        """One event from the page at `path` (e.g. `ManageGigState.shortlist`): the frames it received."""
        return self._process(format.format_event_handler(handler), path, cookie, payload)

    def state(self, cls):
        """This tab's `cls` substate as the worker sees it now. Read under the
        tab's lock, as an event would: with Redis's opportunistic lock the worker holds the newest
        state itself, and Redis has it only once the lease ends."""

        async def read():
            async with self.tabs.state_manager.modify_state(BaseStateToken(ident=self.token, cls=cls)) as root:
                return await root.get_state(cls)

        return self.tabs.run(read)
