"""Cheaper per-tab copies of the page states' mutable defaults (issue 17: a new tab's CPU).

Reflex gives a field with a mutable default (`cards: list[GigCard] = []`) the factory
`functools.partial(copy.deepcopy, default)`, run once per tab on the field's first read. Every
new tab's snapshot reads every field of every state, so each tab paid ~80 deep copies (most of
empty lists and dicts, a few of whole dataclass views), about a tenth of a page load's work in
Reflex state (py-spy). The copies made here are the same values, built the cheap way:
- a list, dict or set of immutable values (str, int, None, ...): a shallow copy;
- a dataclass (a page's view of a row) whose fields hold immutable values or such containers or
  such dataclasses: a shallow copy with fresh copies of those fields.
Either is then as independent of the default as a deep copy is. Anything else keeps its deep copy.
"""

import copy
import dataclasses
import functools

from reflex.state import BaseState
from reflex_base.utils.types import is_immutable


def _cheap_factory(default: object):
    """A factory equal in effect to deep-copying `default`, or None when there is none cheaper."""
    if type(default) in (list, dict, set):
        return default.copy if _holds_only_immutables(default) else None
    if dataclasses.is_dataclass(default) and not isinstance(default, type):
        copies = {}
        for f in dataclasses.fields(default):
            value = getattr(default, f.name)
            if not is_immutable(value):
                copies[f.name] = _cheap_factory(value)
                if copies[f.name] is None:
                    return None
        return functools.partial(_copy_dataclass, default, copies)
    return None


def _holds_only_immutables(container: list | dict | set) -> bool:
    """True when a shallow copy of `container` is as good as a deep one (dicts: keys and values)."""
    items = [x for pair in container.items() for x in pair] if type(container) is dict else container
    return all(is_immutable(x) for x in items)


def _copy_dataclass(default: object, copies: dict) -> object:
    """A shallow copy of `default` whose mutable fields are fresh copies (frozen ones too)."""
    fresh = copy.copy(default)
    for name, make in copies.items():
        object.__setattr__(fresh, name, make())
    return fresh


def _deep_copied_default(field) -> object | None:
    factory = field.default_factory
    if isinstance(factory, functools.partial) and factory.func is copy.deepcopy and len(factory.args) == 1:
        return factory.args[0]
    return None


def copy_defaults_cheaply(state_cls: type[BaseState]) -> int:
    """Swap the deep-copy factories of `state_cls` and every state under it; returns how many."""
    swapped = 0
    for field in state_cls.__fields__.values():
        if field._owner is not state_cls:
            continue  # an inherited field: swapped on the state that declares it
        default = _deep_copied_default(field)
        cheaper = _cheap_factory(default) if default is not None else None
        if cheaper is not None:
            field.default_factory = cheaper
            swapped += 1
    for substate in state_cls.get_substates():
        swapped += copy_defaults_cheaply(substate)
    return swapped
