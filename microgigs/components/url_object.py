"""A page that shows one object picked by its URL draws it only while the URL names it.

On a client-side navigation React Router changes the URL and draws the page for it at once, in
the same frame; the state's data for the new URL come later, from the page's on_load (and a
page load's first frame may carry an old state). Until then the state holds the previous
object: another gig, another person's workspace. So the page compares, during the render
itself, the URL its state's data are for (`shown_for`, see `microgigs/state/url_object.py`)
with the URL React Router renders (its `useLocation` hook), and shows "Loading…" while they
differ. No frame can draw the previous object: the check runs in the same render as the URL
change, not in an effect or an event after it.
"""

import reflex as rx
from reflex_base.utils.imports import ImportVar
from reflex_base.vars.base import VarData

_LOCATION_HOOK = "const urlObjectLocation = useLocation();"  # i18n: not shown


def rendered_url(with_query: bool = False) -> rx.Var[str]:
    """The URL React Router is drawing right now: its path (and "?query" when asked for)."""
    expr = "(urlObjectLocation.pathname + urlObjectLocation.search)" if with_query else "urlObjectLocation.pathname"
    return rx.Var(
        _js_expr=expr,
        _var_type=str,
        _var_data=VarData(imports={"react-router": [ImportVar(tag="useLocation")]}, hooks={_LOCATION_HOOK: None}),
    )


def shows_this_url(state) -> rx.Var[bool]:
    """True while `state`'s data are for the URL being drawn (a `ShownForUrl` state class)."""
    return state.shown_for == rendered_url(state.object_in_query)


def for_this_url(state, content: rx.Component, loading: str | rx.Var | None = None) -> rx.Component:
    """`content` while `state`'s data are for this URL, otherwise a "Loading…" note (`loading`:
    a t() Var, by default "Loading…")."""
    # Here, not at the top: panels -> components.i18n -> this module.
    from microgigs.components.panels import loading_note

    return rx.cond(shows_this_url(state), content, loading_note(loading))


def text_for_this_url(state, text, loading: str) -> rx.Var:
    """A heading or title from `state`'s data, or `loading` while they are not this URL's."""
    return rx.cond(shows_this_url(state), text, loading)
