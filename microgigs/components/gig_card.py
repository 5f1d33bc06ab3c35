"""A gig as the board shows it: what, who, how much, how long, where, by when, which skills."""

import reflex as rx

LOCATION_MODES = {"remote": "Remote", "onsite": "On-site", "hybrid": "Hybrid"}

# Read by screen readers, not drawn (the usual clip pattern).
VISUALLY_HIDDEN = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "padding": "0",
    "margin": "-1px",
    "overflow": "hidden",
    "clip": "rect(0, 0, 0, 0)",
    "white_space": "nowrap",
    "border": "0",
}


def visually_hidden(text: str) -> rx.Component:
    return rx.el.span(text, style=VISUALLY_HIDDEN)


def location_mode_text(mode: rx.Var | str) -> rx.Var | str:
    if isinstance(mode, str):
        return LOCATION_MODES.get(mode, mode)
    return rx.match(mode, *LOCATION_MODES.items(), mode)


def gig_href(gig_id: rx.Var | int) -> rx.Var | str:
    return f"/gigs/{gig_id}"


def _fact(icon: str, text: rx.Var | str, label: str) -> rx.Component:
    """One fact with an icon; the icon is decorative, the visually hidden label reads first."""
    return rx.flex(
        rx.icon(icon, size=16, aria_hidden="true"),
        rx.text(visually_hidden(label), text, as_="span", size="2"),
        spacing="1",
        align="center",
    )


def skill_badges(skills: rx.Var) -> rx.Component:
    return rx.flex(
        rx.foreach(skills, lambda name: rx.badge(name, variant="surface", color_scheme="gray", size="1")),
        spacing="1",
        wrap="wrap",
    )


def gig_facts(card) -> rx.Component:
    """Pay, hours, location mode and deadline of a GigCard (a Var of the DTO)."""
    return rx.flex(
        _fact("wallet", card.pay, "Pay: "),
        _fact("clock", f"about {card.estimated_hours} hours", "Time: "),
        _fact("map-pin", location_mode_text(card.location_mode), "Where: "),
        _fact("calendar", f"apply by {card.application_deadline}", "Deadline: "),
        spacing="3",
        wrap="wrap",
        color="var(--gray-12)",
    )


def gig_card(card) -> rx.Component:
    """`card` is a Var of services.gigs.GigCard (e.g. the item in rx.foreach)."""
    # as_child: the card's styles go onto an <article> (Radix Card has no `as` prop).
    return rx.card(
        rx.el.article(rx.vstack(
            rx.flex(
                rx.heading(
                    rx.link(card.title, href=gig_href(card.id)),
                    as_="h2",
                    size="4",
                ),
                rx.badge(card.category, variant="soft", color_scheme="indigo", size="1"),
                justify="between",
                align="start",
                spacing="2",
                width="100%",
                wrap="wrap",
            ),
            rx.text(card.employer, size="2", weight="medium", color_scheme="gray"),
            rx.text(card.summary, size="2"),
            gig_facts(card),
            skill_badges(card.skills),
            spacing="2",
            width="100%",
            align="start",
        )),
        as_child=True,
        width="100%",
        size="2",
    )
