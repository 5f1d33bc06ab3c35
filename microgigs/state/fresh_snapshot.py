"""A new tab's snapshot without the fields it has never held (issue 17: a page load's CPU).

On every (re)connect Reflex sends the tab a snapshot of the whole state tree — here 55 states,
~430 vars — and then drops from it every var whose value equals the default the built page
already holds (`_diff_against_initial_state`). For a brand-new tab nearly all of it is dropped:
only the router data and a few computed vars differ. Reading and serializing every field of
every state just to drop it was most of a page load's state work (py-spy).

A page state that has never held any of its own fields (Reflex fills a field in on its first
read or write, so a missing one reads as its default) holds exactly its defaults: its snapshot
here carries only the computed vars that may differ from the built page's, those that read
another state, the router data or a backend var (or are not cached), computed as Reflex would;
the diff then drops those equal to their defaults, as before. A cached computed var that reads
only its own state's fields is, on a state holding its defaults, what the page was built with:
Reflex itself recomputes a cached var only when a field it reads changes.
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
from reflex.state import _ROUTER_FIELD_NAMES, BaseState, StateUpdate, _initial_snapshot_cache, all_base_state_classes
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
    fields = _own_fields(type(state))
    return fields is not None and fields.isdisjoint(vars(state))  # a few names, or none on a new tab


@functools.cache
def _own_fields(state_cls: type[BaseState]) -> frozenset[str] | None:
    """The names of `state_cls`'s fields, or None if it has one of another state's (inherited:
    read from that state, whose defaults this one cannot vouch for)."""
    fields = state_cls.__fields__
    if any(fields[name]._owner is not state_cls for name in state_cls.base_vars):
        return None
    return frozenset(state_cls.base_vars)


@functools.cache
def computed_vars_not_built_in(state_cls: type[BaseState]) -> tuple[str, ...]:
    """The computed vars (sent to the browser) of `state_cls` whose value, on an instance holding
    only its defaults, may differ from the one the page was built with: see above."""
    own_name = state_cls.get_full_name()
    own_fields = {
        name for name in state_cls.base_vars if state_cls.__fields__[name]._owner is state_cls and name not in _ROUTER_FIELD_NAMES
    }
    deps = {name: var._deps(objclass=state_cls) for name, var in state_cls.computed_vars.items()}
    built_in: set[str] = set()
    grew = True
    while grew:  # a computed var may read another of its own state's computed vars
        grew = False
        for name, var in state_cls.computed_vars.items():
            reads = deps[name]
            if name in built_in or not var._cache or set(reads) - {own_name}:
                continue
            if reads.get(own_name, set()) <= own_fields | built_in:
                built_in.add(name)
                grew = True
    return tuple(sorted(name for name, var in state_cls.computed_vars.items() if not var._backend and name not in built_in))


def computed_only_snapshot(state: BaseState, **kwargs: Any) -> dict[str, dict[str, Any]]:
    """`BaseState.dict()` of a state holding only defaults, less its fields and the computed vars
    the built page holds already (see above)."""
    names = computed_vars_not_built_in(type(state))
    if names:
        state._mark_dirty_computed_vars()
    snapshot = {state.get_full_name(): {name + FIELD_MARKER: state.get_value(name) for name in names}}
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
