"""The board: search open gigs by words, filters and a sort, page through the results;
signed-in students also see gigs recommended for them and can save gigs."""

import reflex as rx

from microgigs.components.forms import field_id, field_label
from microgigs.components.gig_card import board_card as card_on_board
from microgigs.components.i18n import t, translated
from microgigs.components.layout import page_layout
from microgigs.components.panels import stack
from microgigs.components.save_search import save_search_panel
from microgigs.components.titles import page_title
from microgigs.services.gigs import CATEGORIES
from microgigs.state.board import ALL, DUE_CHOICES, MODE_CHOICES, SORT_CHOICES, BoardState

# Native <select>s: the phone's own picker, and cheap to draw. A Radix select mounts every one
# of its items even while closed (the employer list can hold hundreds), which made the board
# slower to appear on a first visit.
NATIVE_SELECT_STYLE = {
    "width": "100%",
    "min_height": "var(--space-6)",
    "padding": "0 var(--space-2)",
    "font_size": "var(--font-size-2)",
    "color": "var(--gray-12)",
    "background": "var(--color-surface)",
    "border": "1px solid var(--gray-a8)",
    "border_radius": "var(--radius-2)",
}


def _select(label: str | rx.Var, name: str, default, options, *, dynamic=None, **select_props) -> rx.Component:
    # A str is an English text marked with _() where the choices are defined: shown translated.
    choices = [rx.el.option(translated(text) if isinstance(text, str) else text, value=value) for value, text in options]
    if dynamic is not None:
        choices.append(rx.foreach(dynamic, lambda c: rx.el.option(c.text, value=c.value)))
    return rx.box(
        field_label(label, name),
        rx.el.select(*choices, id=field_id(name), name=name, default_value=default, style=NATIVE_SELECT_STYLE, **select_props),
        flex="1 1 10rem",
        min_width="0",
    )


def _employer_select(**select_props) -> rx.Component:
    return _select(
        t("Employer"), "employer", BoardState.employer, [(ALL, t("All employers"))], dynamic=BoardState.employers, **select_props
    )


def _small_input(label: str | rx.Var, name: str, default, **props) -> rx.Component:
    return rx.box(
        field_label(label, name),
        rx.input(id=field_id(name), name=name, default_value=default, size="2", width="100%", **props),
        flex="1 1 7rem",
        min_width="0",
    )


def search_form() -> rx.Component:
    return rx.form(
        stack(
            rx.flex(
                rx.box(
                    field_label(t("Search gigs"), "q"),
                    rx.input(
                        id=field_id("q"),
                        name="q",
                        type="search",
                        default_value=BoardState.query,
                        placeholder=t("Title, summary, skill or employer"),
                        size="3",
                        width="100%",
                        max_length=200,
                    ),
                    flex="1 1 16rem",
                    min_width="0",
                ),
                rx.button(rx.icon("search", aria_hidden="true"), t("Search"), type="submit", size="3"),
                spacing="3",
                align="end",
                wrap="wrap",
                width="100%",
            ),
            rx.el.details(
                rx.el.summary(
                    t("Filters and sort"),
                    on_click=BoardState.show_filters,
                    style={"cursor": "pointer", "font_weight": "500", "padding": "0.25rem 0"},
                ),
                rx.flex(
                    _select(t("Category"), "category", BoardState.category, [(ALL, t("All categories")), *[(c, c) for c in CATEGORIES]]),
                    _select(t("Where"), "mode", BoardState.mode, MODE_CHOICES),
                    rx.cond(
                        BoardState.filter_panel_open,
                        # Shown open: fill the employers once it is on the page (after the gigs).
                        _employer_select(on_mount=BoardState.filter_panel_shown),
                        _employer_select(),
                    ),
                    _select(t("Due"), "due_within", BoardState.due_within, DUE_CHOICES),
                    _small_input(t("Skills (comma-separated)"), "skills", BoardState.skills_text, placeholder=t("Python, SQL")),
                    _small_input(t("Pay from ({unit})", unit=BoardState.pay_unit), "pay_min", BoardState.pay_min, input_mode="numeric"),
                    _small_input(t("Pay up to ({unit})", unit=BoardState.pay_unit), "pay_max", BoardState.pay_max, input_mode="numeric"),
                    _small_input(t("Hours from"), "hours_min", BoardState.hours_min, input_mode="numeric"),
                    _small_input(t("Hours up to"), "hours_max", BoardState.hours_max, input_mode="numeric"),
                    _select(t("Sort by"), "sort", BoardState.sort, SORT_CHOICES),
                    spacing="3",
                    wrap="wrap",
                    width="100%",
                    padding_top="var(--space-2)",
                ),
                open=BoardState.filter_panel_open,
                width="100%",
            ),
            spacing="2",
        ),
        # Re-mounted for each URL, so its fields show that URL's search.
        key=BoardState.form_key,
        on_submit=BoardState.search,
        role="search",
        aria_label=t("Gig search"),
        width="100%",
    )


def save_button(card) -> rx.Component:
    saved = BoardState.saved_ids.contains(card.id)
    return rx.cond(
        BoardState.is_student,
        rx.button(
            # Two static icons, not one with a computed name: a computed name makes the page
            # load every icon's code (DynamicIcon, ~240 kB of JavaScript) before it can draw.
            rx.cond(saved, rx.icon("bookmark-check", aria_hidden="true"), rx.icon("bookmark", aria_hidden="true")),
            rx.cond(saved, t("Saved"), t("Save")),
            aria_label=rx.cond(saved, t("Unsave {title}", title=card.title), t("Save {title}", title=card.title)),
            aria_pressed=rx.cond(saved, "true", "false"),
            on_click=BoardState.toggle_save(card.id),
            variant="soft",
            size="1",
            type="button",
        ),
    )


def board_card(card) -> rx.Component:
    return card_on_board(card, save_button(card))


def pagination() -> rx.Component:
    return rx.el.nav(
        rx.flex(
            rx.cond(
                BoardState.page > 1,
                rx.link(t("← Previous"), href=BoardState.previous_url, size="3", aria_label=t("Previous page")),
            ),
            rx.foreach(
                BoardState.page_links,
                lambda link: rx.cond(
                    link["current"] != "",
                    rx.text(link["number"], as_="span", size="3", weight="bold", aria_current="page", padding_x="var(--space-2)"),
                    rx.link(
                        link["number"],
                        href=link["href"],
                        size="3",
                        aria_label=t("Page {number}", number=link["number"]),
                        padding_x="var(--space-2)",
                    ),
                ),
            ),
            rx.cond(
                BoardState.page < BoardState.pages,
                rx.link(t("Next →"), href=BoardState.next_url, size="3", aria_label=t("Next page")),
            ),
            spacing="3",
            align="center",
            justify="center",
            wrap="wrap",
        ),
        aria_label=t("Pages of results"),
        width="100%",
    )


def recommended() -> rx.Component:
    return rx.cond(
        BoardState.recommended.length() > 0,
        rx.el.section(
            stack(
                rx.heading(t("Recommended for you"), as_="h2", size="5"),
                rx.foreach(
                    BoardState.recommended,
                    lambda rec: stack(
                        rx.text(rec.reason, size="2", weight="medium", color_scheme="gray"),
                        board_card(rec.card),
                        spacing="1",
                    ),
                ),
                rx.heading(t("All open gigs"), as_="h2", size="5"),
            ),
            aria_label=t("Recommended for you"),
            width="100%",
        ),
    )


def results() -> rx.Component:
    return stack(
        recommended(),
        rx.flex(
            rx.text(BoardState.count_text, size="3", weight="medium", role="status"),
            rx.cond(BoardState.has_filters, rx.link(t("Clear search"), href="/", size="2")),
            justify="between",
            align="center",
            width="100%",
            spacing="3",
        ),
        rx.cond(BoardState.save_error != "", rx.text(BoardState.save_error, color_scheme="red", size="2", role="alert")),
        rx.cond(
            BoardState.total > 0,
            stack(rx.foreach(BoardState.cards, board_card)),
            rx.card(
                rx.vstack(
                    rx.text(t("No open gigs match your search."), weight="medium"),
                    rx.text(
                        t("Try fewer words or filters, or check back soon: employers post new gigs every week."),
                        size="2",
                        color_scheme="gray",
                    ),
                    spacing="1",
                ),
                width="100%",
            ),
        ),
        rx.cond(BoardState.pages > 1, pagination()),
    )


def index() -> rx.Component:
    return page_layout(
        rx.text(
            t("Paid, short projects from vetted employers. Build your portfolio a few hours at a time."), size="3", color_scheme="gray"
        ),
        rx.cond(
            BoardState.loaded,
            rx.fragment(search_form(), save_search_panel(), results()),
            # While this shows, so does the first page of gigs sent in the HTML (http/board_first_page.py).
            rx.text(t("Loading gigs…"), id="board-loading", size="2", color_scheme="gray"),
        ),
        heading=t("Find a gig"),
    )


def register(app: rx.App) -> None:
    app.add_page(index, route="/", title=page_title("Find a gig"), on_load=BoardState.load_board)
