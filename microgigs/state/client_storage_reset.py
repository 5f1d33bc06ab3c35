"""Hydrate's reset of client-side storage vars, asking once per state class which those are.

On every hydrate Reflex puts each rx.Cookie / rx.LocalStorage var of the tab back to its default
(clearing the browser's storage clears the server's copy too). It finds them by asking, of every
field of every one of a tab's ~55 states, whether it is one: 7% of a page load's CPU (py-spy,
issue 17), to find none here. Which fields are client storage is fixed once a state class is
made, so it is asked once per class; the reset itself is Reflex's.
"""

import functools

import reflex as rx
from reflex.state import BaseState


@functools.cache
def client_storage_fields(state_cls: type[BaseState]) -> tuple[str, ...]:
    """The client storage vars among `state_cls`'s fields, as `BaseState._is_client_storage` says."""
    fields = state_cls.get_fields()
    return tuple(name for name in state_cls.base_vars if state_cls._is_client_storage(fields[name]))


def reset_client_storage(state: BaseState) -> None:
    """`BaseState._reset_client_storage`: this state's client storage vars and its substates'."""
    names = client_storage_fields(type(state))
    if names:
        fields = state.get_fields()
        for name in names:
            setattr(state, name, fields[name].default_value())
    for substate in state.substates.values():
        substate._reset_client_storage()


def install() -> None:
    """Every state of the app resets this way (they all inherit it from rx.State)."""
    rx.State._reset_client_storage = reset_client_storage
