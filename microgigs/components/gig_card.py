"""A gig as the board shows it: what, who, how much, how long, where, by when, which skills.

The card is described once (`describe_gig_card`) and drawn two ways (components/drawing.py): as
Reflex components in the app, and as HTML in the board's first page sent before the app has
loaded (http/board_first_page.py). So the two cannot drift apart; tests/e2e compares them.

Plain elements styled by `.gig-card` in assets/styles.css, not Radix components: the board draws
twenty of these on a phone's first visit, each Radix component costs a styled wrapper or two,
and plain elements are what the HTML side can draw without copying Radix's class names.

Its texts are drawn in the reader's language (`draw.text`); the card's pay and deadline come
written for the reader by the service (cards.localize): the deadline in their zone, the zone named.
"""

import reflex as rx

from microgigs.components.drawing import AS_COMPONENTS, HtmlDrawing
from microgigs.i18n import DEFAULT, _
from microgigs.services.gigs import CATEGORY_NAMES, LOCATION_MODE_NAMES, GigCard


def category_text(category: rx.Var | str) -> rx.Var | str:
    return AS_COMPONENTS.named(category, CATEGORY_NAMES)


def gig_href(gig_id: rx.Var | int) -> rx.Var | str:
    return f"/gigs/{gig_id}"


def location_mode_text(mode: rx.Var | str) -> rx.Var | str:
    return AS_COMPONENTS.named(mode, LOCATION_MODE_NAMES)


def _fact(draw, kind: str, label, *text):
    """One fact; its icon is a CSS mask (`.fact-<kind>`), the visually hidden label reads first
    (the .visually-hidden clip pattern in styles.css)."""
    return draw.element("li", draw.element("span", label, " ", class_name="visually-hidden"), *text, class_name=f"fact-{kind}")


def describe_skills(skills, draw):
    return draw.element(
        "ul",
        draw.each(skills, lambda name: draw.element("li", name, class_name="chip")),
        class_name="chips",
        aria_label=draw.text(_("Skills")),
    )


def describe_gig_card(card, draw):
    """The card of a services.gigs.GigCard (with Reflex: a Var of one, e.g. the item in rx.foreach)."""
    return draw.element(
        "article",
        draw.element(
            "div",
            draw.element("h2", draw.link(card.title, gig_href(card.id), class_name="gig-card-link")),
            draw.element("span", draw.named(card.category, CATEGORY_NAMES), class_name="chip chip-accent"),
            class_name="gig-card-top",
        ),
        draw.element("p", card.employer, class_name="gig-card-employer"),
        draw.element("p", card.summary, class_name="gig-card-summary"),
        draw.element(
            "ul",
            _fact(draw, "pay", draw.text(_("Pay:")), card.pay),
            _fact(draw, "time", draw.text(_("Time:")), draw.text(_("about {hours} hours"), hours=card.estimated_hours)),
            _fact(draw, "place", draw.text(_("Where:")), draw.named(card.location_mode, LOCATION_MODE_NAMES)),
            _fact(
                draw,
                "deadline",
                draw.text(_("Deadline:")),
                draw.text(_("apply by {moment}"), moment=card.deadline_text),
                draw.element("span", " ", card.deadline_note, class_name="gig-card-deadline-note"),
            ),
            class_name="gig-facts",
        ),
        describe_skills(card.skills, draw),
        class_name="gig-card",
    )


def describe_board_card(card, draw, *after):
    """On the board each card stands in a column with what follows it (a student's save button)."""
    return draw.element("div", describe_gig_card(card, draw), *after, class_name="board-card")


def skill_badges(skills: rx.Var) -> rx.Component:
    return describe_skills(skills, AS_COMPONENTS)


def gig_card(card) -> rx.Component:
    return describe_gig_card(card, AS_COMPONENTS)


def board_card(card, *after: rx.Component) -> rx.Component:
    return describe_board_card(card, AS_COMPONENTS, *after)


def board_card_html(card: GigCard, language: str = DEFAULT) -> str:
    """The board's card as HTML, for a visitor whose browser has not loaded the app yet."""
    return describe_board_card(card, HtmlDrawing(language))
