"""Driving Reflex page states under pytest, without a browser: build a state as a page
would have it (URL, session cookie, client token) and call its handlers directly."""

import asyncio
import inspect
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import reflex as rx
from reflex.istate.data import RouterData

from microgigs.services import accounts
from microgigs.settings import get_settings


def state_for(cls, url: str, token: str = "", client_token: str = "", client_address: str = ""):
    """A fresh `cls` substate whose router says: this URL, this session cookie, this tab (and this
    client address, as Reflex records the websocket's peer)."""
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(cls.get_full_name().split(".")[1:])
    cookie = f"{get_settings().session_cookie_name}={token}" if token else ""
    headers = {"origin": "http://testserver", "cookie": cookie}
    if client_address:
        headers["asgi-scope-client"] = client_address
    root.router = RouterData.from_router_data(
        {
            "headers": headers,
            "pathname": urlsplit(url).path,
            "asPath": url,
            "query": {},
            "token": client_token,
        }
    )
    return state


def session_token(session, user) -> str:
    """Sign `user` in (committed, so the state's own sessions see it); returns the cookie value."""
    token = accounts.start_session(session, user)
    session.commit()
    return token


def run_handler(handler: str, state, *args):
    """Call an event handler's function as Reflex would. A generator (async too) runs to its end and
    its last event is returned; a coroutine runs in a thread of its own (the browser tests' Playwright keeps
    an event loop running in this one)."""
    result = getattr(type(state), handler).fn(state, *args)
    if inspect.isasyncgen(result):

        async def drain():
            return [event async for event in result]

        with ThreadPoolExecutor(max_workers=1) as pool:
            events = [event for event in pool.submit(asyncio.run, drain()).result() if event is not None]
        return events[-1] if events else None
    if inspect.isgenerator(result):
        events = [event for event in result if event is not None]
        return events[-1] if events else None
    if asyncio.iscoroutine(result):
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, result).result()
    return result


def redirect_path(spec) -> str:
    """The path of an rx.redirect(...) event spec."""
    return dict((k._js_expr, v) for k, v in spec.args)["path"]._var_value


def form_of(page, cls):
    """The `cls` substate of a page state made by `state_for` (one form of that page): it reads
    the page's vars (view, notice) through its parent, and holds its own errors."""
    return page.substates[cls.get_name()]
