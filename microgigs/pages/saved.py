"""/saved: the gigs a student saved from the board."""

import reflex as rx

from microgigs.components.gig_card import gig_card
from microgigs.components.layout import page_layout
from microgigs.components.panels import not_found_card, quiet_loading, rows_or_empty, stack, when_allowed
from microgigs.components.titles import page_title
from microgigs.state.saved import SavedState as S


def saved_item(card) -> rx.Component:
    return rx.el.div(
        gig_card(card),
        rx.button(
            "Remove",
            aria_label="Remove " + card.title + " from saved gigs",
            variant="soft",
            size="1",
            type="button",
            on_click=S.unsave(card.id),
        ),
        class_name="board-card",
    )


def saved_page() -> rx.Component:
    return page_layout(
        when_allowed(
            S,
            stack(
                rx.cond(S.error != "", rx.text(S.error, color_scheme="red", role="alert")),
                rows_or_empty(S.cards, saved_item, not_found_card("You have not saved any gigs yet.", "Browse open gigs", "/")),
            ),
            rx.card(rx.text("Only students can save gigs."), width="100%"),
            quiet_loading(),
        ),
        heading="Saved gigs",
    )


def register(app: rx.App) -> None:
    app.add_page(saved_page, route="/saved", title=page_title("Saved gigs"), on_load=S.load_saved)
