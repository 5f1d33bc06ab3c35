"""A new tab's snapshot without the fields it has never held (issue 17: a page load's CPU).

On every (re)connect Reflex sends the tab a snapshot of the whole state tree — here 55 states,
~430 vars — and then drops from it every var whose value equals the default the built page
already holds (`_diff_against_initial_state`). For a brand-new tab nearly all of it is dropped:
only the router data and a few computed vars differ. Reading and serializing every field of
every state just to drop it was most of a page load's state work (py-spy).

A page state that has never held any of its own fields (Reflex fills a field in on its first
read or write, so a missing one reads as its default) holds exactly its defaults: its snapshot
here carries only its computed vars, which may depend on other states or the router data and
are computed as Reflex would; the diff then drops those equal to their defaults, as before.
What reaches the browser is the same (tests/unit/test_fresh_snapshot.py compares the two on
every page), as the built page holds the same defaults; a tab that held anything takes Reflex's
own path.

Only for the snapshot of a first page load whose browser says (by the hashes it sends) that it
holds exactly these defaults: a reconnecting tab still shows what it showed, and a page built
from other code holds other defaults; both get Reflex's whole snapshot. The middleware below
looks at each event before it runs and says which kind it is.
"""

import functools
from contextvars import ContextVar
from typing import Any

import reflex as rx
from reflex.middleware import Middleware
from reflex.state import BaseState, StateUpdate, _initial_snapshot_cache, all_base_state_classes
from reflex_base.constants.state import FIELD_MARKER
from reflex_base.event import Event
from reflex_base.utils.format import format_event_handler

# Set for every event before it runs, in the task that runs it.
_browser_holds_the_defaults: ContextVar[bool] = ContextVar("browser_holds_the_defaults", default=False)


def holds_the_compiled_defaults(hashes: object) -> bool:
    """True if a first hydrate's `hashes` say the browser holds every state's defaults as this
    process computes them (Reflex's own cache of them, made by its first such hydrate)."""
    cached = _initial_snapshot_cache.get(rx.State)
    if not isinstance(hashes, list) or cached is None or cached.n_state_classes != len(all_base_state_classes):
        return False
    return hashes == [cached.names_digest, *(cached.hashes[name] for name in sorted(cached.hashes))]


class FreshSnapshotMiddleware(Middleware):
    """Notes, before each event runs, whether it is a first page load onto the built defaults."""

    async def preprocess(self, app, state: BaseState, event: Event) -> StateUpdate | None:
        first_load = event.name == _hydrate_and_load() and holds_the_compiled_defaults((event.payload or {}).get("hashes"))
        _browser_holds_the_defaults.set(first_load)
        return None


@functools.cache
def _hydrate_and_load() -> str:
    return format_event_handler(rx.State.event_handlers["hydrate_and_load"])


def holds_only_defaults(state: BaseState) -> bool:
    """True if this state instance has never held one of its own fields."""
    held = vars(state)
    fields = type(state).__fields__
    return not any(name in held or fields[name]._owner is not type(state) for name in state.base_vars)


def computed_only_snapshot(state: BaseState, **kwargs: Any) -> dict[str, dict[str, Any]]:
    """`BaseState.dict()` of a state holding only defaults, less its fields (see above)."""
    state._mark_dirty_computed_vars()
    computed = {name: state.get_value(name) for name, var in state.computed_vars.items() if not var._backend}
    snapshot = {state.get_full_name(): {name + FIELD_MARKER: computed[name] for name in sorted(computed)}}
    for substate in state.substates.values():
        snapshot.update(substate.dict(include_computed=True, **kwargs))
    return snapshot


def _snapshot(self: BaseState, include_computed: bool = True, initial: bool = False, **kwargs: Any) -> dict[str, dict[str, Any]]:
    if include_computed and not initial and _browser_holds_the_defaults.get() and holds_only_defaults(self):
        return computed_only_snapshot(self, **kwargs)
    return BaseState.dict(self, include_computed=include_computed, initial=initial, **kwargs)


def install(state_cls: type[BaseState]) -> None:
    """Snapshot `state_cls` and the states under it this way. Set on the class after it is made:
    Reflex refuses a method named `dict` in a state's body (it would take it for an event)."""
    state_cls.dict = _snapshot
