"""A tab's Reflex state belongs to one person: when someone else is behind the cookie, it starts anew.

Reflex keeps each tab's state on the server under the tab's token, and that token survives the
full page loads of our sign-in and sign-out routes (plain HTTP). On a shared lab computer the
first page load after a student signs in where a manager was would otherwise send the student
the manager's page data: the first frame of a page load carries every substate's vars.

`TabIdentityMiddleware` runs before every event, under the tab's state lock. It asks who is
behind the session cookie the event's websocket carries (nobody after a sign-out, or when the
session was revoked or has expired) and compares it with who the tab's state was built for.
When they differ, every substate goes back to its defaults before anything is sent, and:
- the first event of a page load (hydrate) goes on: it sends the clean state, and the page's
  on_load runs for the person now signed in;
- any other event (a tab left open from before) is dropped: its page is cleared and it reloads.

The browser half (a new token after every sign-in or sign-out, other tabs reloading) is
`microgigs.http.sign_in_mark`; this is the server's own check, which trusts no browser.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools

import reflex as rx
from reflex.istate.manager import get_state_manager
from reflex.istate.manager.redis import StateManagerRedis
from reflex.istate.manager.token import BaseStateToken
from reflex.middleware import Middleware
from reflex.state import _ROUTER_FIELD_NAMES, BaseState, StateUpdate
from reflex_base.event import Event
from reflex_base.utils.format import format_event_handler

from microgigs import live
from microgigs.http.session_cookie import token_from_cookie_header
from microgigs.state.session import signed_in_user_id

NOBODY = "nobody"
UNKNOWN = ""  # a state made before this check ran (or a new one): whose it is, nobody knows


class TabIdentityState(rx.State):
    """Who this tab's state was built for (backend only: never sent to the browser)."""

    _built_for: str = UNKNOWN


def person_behind(cookie_header: str | None) -> str:
    """Who the session cookie in this header signs in: "user:<id>", or NOBODY."""
    user_id = signed_in_user_id(cookie_header)
    return f"user:{user_id}" if user_id is not None else NOBODY


@functools.cache
def _page_load_events() -> frozenset[str]:
    """The events a page load starts with (sent once per websocket connection)."""
    return frozenset(format_event_handler(rx.State.event_handlers[name]) for name in ("hydrate", "hydrate_and_load"))


async def _load_every_substate(root: BaseState) -> None:
    """With Redis, an event loads only the substates it needs; the others wait there, and must
    be reset too. The in-memory and disk managers always hold the whole tree."""
    manager = get_state_manager()
    if isinstance(manager, StateManagerRedis):
        token = BaseStateToken(ident=root.router.session.client_token, cls=type(root))
        await manager.get_state(token, top_level=True, for_state_instance=root)


def _reset_tree(state: BaseState) -> None:
    """`BaseState.reset`, less the fields this tab's state never held: Reflex fills a field in on
    its first read, so one missing from the instance reads as its default already. A new tab's
    state holds none, and setting all of the app's fields (type check, dirty mark) was a tenth of
    a page load's CPU (py-spy, issue 17)."""
    cls = state.__class__
    fields = cls.__fields__
    for name in [name for name in vars(state) if name in fields]:  # a few, or none for a new tab
        f = fields[name]
        # As BaseState.reset: never the router data; inherited fields reset with their own state.
        if f._owner is cls and name not in _ROUTER_FIELD_NAMES:
            setattr(state, name, f.default_value())
    for substate in state.substates.values():
        _reset_tree(substate)


async def start_anew_unless_built_for(root: BaseState, person: str) -> bool:
    """Reset every substate of this tab unless its state was built for `person`; True if it was reset."""
    tab = await root.get_state(TabIdentityState)
    if tab._built_for == person:
        return False
    await _load_every_substate(root)
    _reset_tree(root)  # every loaded substate, recursively; the router data (this event's) stays
    tab._built_for = person
    # Pushes for what the previous person's page showed must not reach this tab.
    live.unsubscribe(root.router.session.client_token)
    return True


@dataclasses.dataclass
class TabIdentityMiddleware(Middleware):
    """Reflex middleware: see the module's docstring."""

    async def preprocess(self, app, state: BaseState, event: Event) -> StateUpdate | None:
        root = state._get_root_state()
        cookie = root.router.headers.cookie
        # The database lookup runs off the event loop, which carries every tab; with no session
        # cookie (a visitor) there is none to make, and no thread to hop to for every event.
        person = await asyncio.to_thread(person_behind, cookie) if token_from_cookie_header(cookie) else NOBODY
        if not await start_anew_unless_built_for(root, person) or event.name in _page_load_events():
            return None
        # A page drawn for someone else sent this: do not run it. Clear what the page shows
        # (every var went back to its default), then load the page again for whoever is here.
        delta = await root._get_resolved_delta()
        root._clean()
        return StateUpdate(delta=delta, events=Event.from_event_type(rx.call_script("window.location.reload()")))
