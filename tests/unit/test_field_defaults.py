"""Every page state's defaults, copied the cheap way (state/field_defaults.py), are the values a
deep copy gives, and each tab gets its own: changing one tab's list, dict or view changes
neither another tab's nor the default."""

import copy
import dataclasses
from dataclasses import dataclass, field

import reflex as rx

from microgigs.state.field_defaults import _cheap_factory, _deep_copied_default


def _every_state(cls):
    yield cls
    for substate in cls.get_substates():
        yield from _every_state(substate)


def _mutable_fields():
    from microgigs.microgigs import app  # noqa: F401  (defines every state and swaps their factories)

    for cls in _every_state(rx.State):
        for name, f in cls.__fields__.items():
            if f._owner is cls and f.default_factory is not None:
                yield cls, name, f


def _mutate(value) -> None:
    """Change `value` in place, as a page's event would."""
    if isinstance(value, list):
        value.append("changed")
    elif isinstance(value, dict):
        value["changed"] = "yes"
    elif isinstance(value, set):
        value.add("changed")
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            inner = getattr(value, f.name)
            if isinstance(inner, (list, dict, set)) or dataclasses.is_dataclass(inner):
                _mutate(inner)
                return


def test_the_app_has_no_state_default_left_deep_copied_and_every_copy_equals_a_deep_one():
    swapped = 0
    for cls, name, f in _mutable_fields():
        assert _deep_copied_default(f) is None, f"{cls.__name__}.{name} is still deep-copied per tab"
        first, second = f.default_factory(), f.default_factory()
        assert first == second and first is not second, f"{cls.__name__}.{name}"
        swapped += 1
    assert swapped > 50  # the app's lists, dicts and views (about 80 when this was written)


def test_one_tabs_change_reaches_neither_another_tab_nor_the_default():
    checked = 0
    for cls, name, f in _mutable_fields():
        first, second = f.default_factory(), f.default_factory()
        before = copy.deepcopy(second)
        _mutate(first)
        if first == before:
            continue  # nothing in it to change in place (a view of only immutable fields)
        assert second == before and f.default_factory() == before, f"{cls.__name__}.{name}"
        checked += 1
    assert checked > 50


@dataclass
class _Inner:
    tags: list[str] = field(default_factory=list)


@dataclass
class _View:
    title: str = "t"
    items: list[int] = field(default_factory=lambda: [1, 2])
    inner: _Inner = field(default_factory=_Inner)


@dataclass
class _WithRows:
    rows: list[list[int]] = field(default_factory=lambda: [[1]])


def test_what_a_shallow_copy_could_share_keeps_its_deep_copy():
    # A list of lists (the inner list would be shared) and a dataclass holding one: no cheap copy.
    assert _cheap_factory([[1]]) is None
    assert _cheap_factory({"a": [1]}) is None
    assert _cheap_factory(_WithRows()) is None
    # Immutable items, and views of them (nested too), are copied cheaply and independently.
    view = _View()
    make = _cheap_factory(view)
    made = make()
    made.items.append(3)
    made.inner.tags.append("x")
    assert view == _View() and make() == _View()
