"""/saved: the gigs a student saved from the board."""

import reflex as rx

from microgigs.components.gig_card import gig_card
from microgigs.components.layout import page_layout
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
        rx.cond(
            S.loaded,
            rx.cond(
                S.allowed,
                rx.vstack(
                    rx.cond(S.error != "", rx.text(S.error, color_scheme="red", role="alert")),
                    rx.cond(
                        S.cards.length() > 0,
                        rx.vstack(rx.foreach(S.cards, saved_item), spacing="3", width="100%"),
                        rx.card(
                            rx.vstack(rx.text("You have not saved any gigs yet."), rx.link("Browse open gigs", href="/"), spacing="2"),
                            width="100%",
                        ),
                    ),
                    spacing="3",
                    width="100%",
                ),
                rx.card(rx.text("Only students can save gigs."), width="100%"),
            ),
            rx.text("Loading…", size="2", color_scheme="gray"),
        ),
        heading="Saved gigs",
    )


def register(app: rx.App) -> None:
    app.add_page(saved_page, route="/saved", title="Saved gigs · MicroGigs", on_load=S.load_saved)
