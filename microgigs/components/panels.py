"""Small pieces the signed-in pages share: sections, facts, empty and not-found notes, notices.

Rows are drawn as cards that wrap rather than as wide tables, so they read at 375 px.
"""

import reflex as rx

from microgigs.components.i18n import t
from microgigs.components.status_badge import status_badge

Text = str | rx.Var

# Scope, notes and comments are plain text a person typed: keep their line breaks, never parse them.
PRE_WRAP = {"white_space": "pre-wrap", "overflow_wrap": "anywhere"}


def spread_row(*children: rx.Component, spacing: str = "2", align: str = "center") -> rx.Component:
    """Things at both ends of a full-width row (a title and its badge); they wrap on a phone."""
    return rx.flex(*children, justify="between", align=align, spacing=spacing, wrap="wrap", width="100%")


def section(title: Text, *children: rx.Component, action: rx.Component | None = None, id: str | None = None) -> rx.Component:
    """An h2 with an optional action on its right, then the content."""
    props = {"id": id} if id else {}
    return rx.el.section(
        rx.vstack(
            spread_row(rx.heading(title, as_="h2", size="5"), *([action] if action is not None else []), spacing="3"),
            *children,
            spacing="3",
            width="100%",
        ),
        width="100%",
        **props,
    )


def stack(*children: rx.Component, spacing: str = "3", **props) -> rx.Component:
    """A full-width column: the shape most blocks of a page take."""
    return rx.vstack(*children, spacing=spacing, **{"width": "100%", **props})


def title_row(title, status, *, as_: str = "h3", size: str = "3", align: str = "start") -> rx.Component:
    """A row's heading with its status badge at the far end (wrapping under it on a phone)."""
    return spread_row(rx.heading(title, as_=as_, size=size), badge(status), align=align)


def fact(label: Text, value) -> rx.Component:
    """ "Label: value" on one line that wraps; the label in a quieter color that still passes AA."""
    return rx.text(
        rx.text(label, ": ", as_="span", color="var(--gray-11)"),
        value,
        as_="p",
        size="2",
    )


def facts(*items: rx.Component) -> rx.Component:
    return rx.flex(*items, column_gap="1rem", row_gap="0.25rem", wrap="wrap", width="100%")


def named_row(name: rx.Var, *details: rx.Component, error: rx.Var) -> rx.Component:
    """A short row of a list: its name in bold, details and buttons beside it, then its error."""
    return row_card(
        rx.flex(rx.text(name, weight="bold"), *details, spacing="3", align="center", wrap="wrap"),
        inline_error(error),
        aria_label=name,
    )


def row_card(*children: rx.Component, aria_label: Text | None = None, **props) -> rx.Component:
    """One row (an application, a gig, a submission) as a card rendered as an <article>."""
    props.setdefault("width", "100%")
    props.pop("as_", None)
    article_props = {"aria_label": aria_label} if aria_label is not None else {}
    return rx.card(
        rx.el.article(rx.vstack(*children, spacing="2", width="100%", align="start"), **article_props),
        as_child=True,
        **props,
    )


def empty_note(text: Text, *extra: rx.Component) -> rx.Component:
    return rx.card(
        rx.vstack(rx.text(text, size="2"), *extra, spacing="2"),
        width="100%",
        variant="surface",
    )


def rows_or_empty(items: rx.Var, draw, empty: Text | rx.Component, *, spacing: str = "3") -> rx.Component:
    """Each item drawn by `draw`, one under the other, or a note (`empty`) when there is none."""
    if not isinstance(empty, rx.Component):
        empty = empty_note(empty)
    return rx.cond(items.length() > 0, stack(rx.foreach(items, draw), spacing=spacing), empty)


def narrow_card(*children: rx.Component, max_width: str = "28rem") -> rx.Component:
    """A page's one short task (sign in, a new password) in a card no wider than a phone's form."""
    return rx.card(stack(*children, spacing="4"), size="3", width="100%", max_width=max_width)


def not_found_card(message: Text, link_text: Text | None = None, href: str = "/dashboard") -> rx.Component:
    """`message`, then a link (by default "Go to your dashboard")."""
    return rx.card(
        rx.vstack(rx.text(message), rx.link(t("Go to your dashboard") if link_text is None else link_text, href=href), spacing="2"),
        width="100%",
    )


def loading_note(text: Text | None = None) -> rx.Component:
    """An announced note while a page's data load: `text`, by default "Loading…"."""
    return rx.text(t("Loading…") if text is None else text, size="2", color="var(--gray-11)", role="status")


def callout(icon: str, *text, color: str, high_contrast: bool = True, **props) -> rx.Component:
    """A colored note across the page, its icon hidden from screen readers (the words say it all).

    High contrast by default: some soft colors' text on their own background misses AA."""
    if high_contrast:
        props["high_contrast"] = True
    return rx.callout.root(
        rx.callout.icon(rx.icon(icon, aria_hidden="true")),
        rx.callout.text(*text),
        color_scheme=color,
        width="100%",
        **props,
    )


def quiet_loading() -> rx.Component:
    """Some pages' quieter "Loading…" (gray text, not announced)."""
    return rx.text(t("Loading…"), size="2", color_scheme="gray")


def when_loaded(loaded: rx.Var, content: rx.Component, loading: Text | rx.Component | None = None) -> rx.Component:
    """`content` once the page's data are in, a "Loading…" note until then."""
    return rx.cond(loaded, content, loading if isinstance(loading, rx.Component) else loading_note(loading))


def when_allowed(state, content: rx.Component, refused: Text | rx.Component, loading: Text | rx.Component | None = None) -> rx.Component:
    """For a page only some people may see: `state.loaded` and `state.allowed` say whether the
    data are in and whether the viewer may see them; `refused` is what the others read."""
    if not isinstance(refused, rx.Component):
        refused = not_found_card(refused)
    return when_loaded(state.loaded, rx.cond(state.allowed, content, refused), loading)


def inline_error(message: rx.Var, id: str | rx.Var | None = None) -> rx.Component:
    """A message about one row or control; announced when it appears."""
    props = {"id": id} if id is not None else {}
    return rx.cond(message != "", callout("circle-alert", message, color="red", role="alert", size="1", **props))


def notice(message: rx.Var) -> rx.Component:
    """Good news after an action (role=status: announced politely)."""
    return rx.cond(message != "", callout("circle-check", message, color="green", role="status"))


def demo_payments_badge(label: rx.Var) -> rx.Component:
    """ "demo payments — no money moves" next to any amount, when the gateway is the demo one."""
    return rx.cond(
        label != "",
        rx.badge(rx.icon("info", size=12, aria_hidden="true"), label, color_scheme="amber", variant="soft", size="1", high_contrast=True),
    )


def button_link(text, href: Text, *, aria_label: Text | None = None, **props) -> rx.Component:
    """A link that looks like a button.

    A plain <a> under as_child takes the button's classes and colors (an rx.link there keeps
    its own text color, which fails contrast on a solid button). It is a full page load,
    which also re-runs the target page's on_load.
    """
    props.setdefault("size", "2")
    a_props = {"aria_label": aria_label} if aria_label is not None else {}
    return rx.button(rx.el.a(text, href=href, reload_document=True, **a_props), as_child=True, **props)


def badge(status, **props) -> rx.Component:
    """The shared status badge in high contrast (some soft colors, e.g. green, miss AA at 12 px)."""
    props.setdefault("high_contrast", True)
    return status_badge(status, **props)


def card_list(items: rx.Var, render, label: Text) -> rx.Component:
    """A named list (<ul aria-label>) of cards without bullets, one `render(item)` per item."""
    return rx.el.ul(
        rx.foreach(items, lambda item: rx.el.li(render(item), style={"list_style": "none"})),
        aria_label=label,
        style={"margin": "0", "padding": "0", "display": "flex", "flex_direction": "column", "gap": "0.5rem", "width": "100%"},
    )


def card_title_row(title: rx.Component, status: rx.Component) -> rx.Component:
    """A row card's first line: its title, and its status on the right (below it when narrow)."""
    return rx.flex(title, status, justify="between", align="center", spacing="2", wrap="wrap", width="100%")


def tag(text: Text, color: str) -> rx.Component:
    """A soft badge for a word of state ("Done", "Declined") in high contrast (passes AA)."""
    return rx.badge(text, color_scheme=color, variant="soft", high_contrast=True)


def callout_note(message: Text, icon: str = "info", **props) -> rx.Component:
    """A high-contrast callout with its icon; `props` go to the callout (color_scheme, role)."""
    return rx.callout.root(
        rx.callout.icon(rx.icon(icon, aria_hidden="true")),
        rx.callout.text(message),
        high_contrast=True,
        width="100%",
        **props,
    )
