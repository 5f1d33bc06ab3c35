"""Small pieces the signed-in pages share: sections, facts, empty and not-found notes, notices.

Rows are drawn as cards that wrap rather than as wide tables, so they read at 375 px.
"""

import reflex as rx

from microgigs.components.status_badge import status_badge

Text = str | rx.Var

# Scope, notes and comments are plain text a person typed: keep their line breaks, never parse them.
PRE_WRAP = {"white_space": "pre-wrap", "overflow_wrap": "anywhere"}


def section(title: Text, *children: rx.Component, action: rx.Component | None = None, id: str | None = None) -> rx.Component:
    """An h2 with an optional action on its right, then the content."""
    props = {"id": id} if id else {}
    return rx.el.section(
        rx.vstack(
            rx.flex(
                rx.heading(title, as_="h2", size="5"),
                *([action] if action is not None else []),
                justify="between",
                align="center",
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            *children,
            spacing="3",
            width="100%",
        ),
        width="100%",
        **props,
    )


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


def not_found_card(message: Text, link_text: str = "Go to your dashboard", href: str = "/dashboard") -> rx.Component:
    return rx.card(
        rx.vstack(rx.text(message), rx.link(link_text, href=href), spacing="2"),
        width="100%",
    )


def loading_note(text: str = "Loading…") -> rx.Component:
    return rx.text(text, size="2", color="var(--gray-11)", role="status")


def inline_error(message: rx.Var, id: str | rx.Var | None = None) -> rx.Component:
    """A message about one row or control; announced when it appears."""
    props = {"id": id} if id is not None else {}
    return rx.cond(
        message != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-alert", aria_hidden="true")),
            rx.callout.text(message),
            color_scheme="red",
            high_contrast=True,
            role="alert",
            size="1",
            width="100%",
            **props,
        ),
    )


def notice(message: rx.Var) -> rx.Component:
    """Good news after an action (role=status: announced politely)."""
    return rx.cond(
        message != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-check", aria_hidden="true")),
            rx.callout.text(message),
            color_scheme="green",
            high_contrast=True,
            role="status",
            width="100%",
        ),
    )


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
