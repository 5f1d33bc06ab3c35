"""The board: search open gigs by words and category, page through the results."""

import reflex as rx

from microgigs.components.forms import field_id, field_label
from microgigs.components.gig_card import gig_card
from microgigs.components.layout import page_layout
from microgigs.services.gigs import CATEGORIES
from microgigs.state.board import ALL_CATEGORIES, BoardState


def search_form() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.box(
                field_label("Search gigs", "q"),
                rx.input(
                    id=field_id("q"),
                    name="q",
                    type="search",
                    # Controlled: it shows the URL's search after a reload or a shared link.
                    value=BoardState.query,
                    on_change=BoardState.set_query,
                    placeholder="Title, summary or employer",
                    size="3",
                    width="100%",
                    max_length=200,
                ),
                flex="1 1 16rem",
                min_width="0",
            ),
            rx.box(
                field_label("Category", "category"),
                rx.select.root(
                    rx.select.trigger(id=field_id("category"), width="100%"),
                    rx.select.content(
                        rx.select.item("All categories", value=ALL_CATEGORIES),
                        *[rx.select.item(c, value=c) for c in CATEGORIES],
                        position="popper",
                    ),
                    name="category",
                    value=BoardState.category,
                    on_change=BoardState.set_category,
                    size="3",
                ),
                flex="1 1 12rem",
            ),
            rx.button(rx.icon("search", aria_hidden="true"), "Search", type="submit", size="3"),
            spacing="3",
            align="end",
            wrap="wrap",
            width="100%",
        ),
        on_submit=BoardState.search,
        role="search",
        aria_label="Gig search",
        width="100%",
    )


def pagination() -> rx.Component:
    return rx.el.nav(
        rx.flex(
            rx.cond(
                BoardState.page > 1,
                rx.link("← Previous", href=BoardState.previous_url, size="3", aria_label="Previous page"),
            ),
            rx.foreach(
                BoardState.page_links,
                lambda link: rx.cond(
                    link["current"] != "",
                    rx.text(link["number"], as_="span", size="3", weight="bold", aria_current="page", padding_x="var(--space-2)"),
                    rx.link(link["number"], href=link["href"], size="3", aria_label="Page " + link["number"], padding_x="var(--space-2)"),
                ),
            ),
            rx.cond(
                BoardState.page < BoardState.pages,
                rx.link("Next →", href=BoardState.next_url, size="3", aria_label="Next page"),
            ),
            spacing="3",
            align="center",
            justify="center",
            wrap="wrap",
        ),
        aria_label="Pages of results",
        width="100%",
    )


def results() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.text(BoardState.count_text, size="3", weight="medium", role="status"),
            rx.cond(BoardState.has_filters, rx.link("Clear search", href="/", size="2")),
            justify="between",
            align="center",
            width="100%",
            spacing="3",
        ),
        rx.cond(
            BoardState.total > 0,
            rx.vstack(rx.foreach(BoardState.cards, gig_card), spacing="3", width="100%"),
            rx.card(
                rx.vstack(
                    rx.text("No open gigs match your search.", weight="medium"),
                    rx.text("Try fewer words, another category, or check back soon: employers post new gigs every week.", size="2", color_scheme="gray"),
                    spacing="1",
                ),
                width="100%",
            ),
        ),
        rx.cond(BoardState.pages > 1, pagination()),
        spacing="3",
        width="100%",
    )


def index() -> rx.Component:
    return page_layout(
        rx.text("Paid, short projects from vetted employers. Build your portfolio a few hours at a time.", size="3", color_scheme="gray"),
        search_form(),
        rx.cond(BoardState.loaded, results(), rx.text("Loading gigs…", size="2", color_scheme="gray")),
        heading="Find a gig",
    )


def register(app: rx.App) -> None:
    app.add_page(index, route="/", title="Find a gig · MicroGigs", on_load=BoardState.load_board)
