"""A gig as the board shows it: what, who, how much, how long, where, by when, which skills."""

import reflex as rx

from microgigs.services.gigs import LOCATION_MODE_NAMES


def visually_hidden(text: str) -> rx.Component:
    """Read by screen readers, not drawn (the .visually-hidden clip pattern in styles.css)."""
    return rx.el.span(text, class_name="visually-hidden")


def location_mode_text(mode: rx.Var | str) -> rx.Var | str:
    if isinstance(mode, str):
        return LOCATION_MODE_NAMES.get(mode, mode)
    return rx.match(mode, *LOCATION_MODE_NAMES.items(), mode)


def gig_href(gig_id: rx.Var | int) -> rx.Var | str:
    return f"/gigs/{gig_id}"


def _fact(kind: str, text: rx.Var | str, label: str) -> rx.Component:
    """One fact; its icon is a CSS mask (`.fact-<kind>`), the visually hidden label reads first."""
    return rx.el.li(visually_hidden(label), text, class_name=f"fact-{kind}")


def skill_badges(skills: rx.Var) -> rx.Component:
    return rx.el.ul(rx.foreach(skills, lambda name: rx.el.li(name, class_name="chip")), class_name="chips", aria_label="Skills")


def gig_facts(card) -> rx.Component:
    """Pay, hours, location mode and deadline of a GigCard (a Var of the DTO)."""
    return rx.el.ul(
        _fact("pay", card.pay, "Pay: "),
        _fact("time", f"about {card.estimated_hours} hours", "Time: "),
        _fact("place", location_mode_text(card.location_mode), "Where: "),
        _fact("deadline", f"apply by {card.application_deadline}", "Deadline: "),
        class_name="gig-facts",
    )


def gig_card(card) -> rx.Component:
    """`card` is a Var of services.gigs.GigCard (e.g. the item in rx.foreach).

    Plain elements styled by `.gig-card` in assets/styles.css: the board draws twenty of these
    on a phone's first visit, and each Radix component costs a styled wrapper or two.
    """
    return rx.el.article(
        rx.el.div(
            rx.el.h2(rx.link(card.title, href=gig_href(card.id))),
            rx.el.span(card.category, class_name="chip chip-accent"),
            class_name="gig-card-top",
        ),
        rx.el.p(card.employer, class_name="gig-card-employer"),
        rx.el.p(card.summary, class_name="gig-card-summary"),
        gig_facts(card),
        skill_badges(card.skills),
        class_name="gig-card",
    )
