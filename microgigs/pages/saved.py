"""/saved: the gigs a student saved from the board, their saved searches (with alerts), and
the weekly digest's switch."""

import reflex as rx

from microgigs.components.gig_card import gig_card
from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import inline_error, not_found_card, notice, quiet_loading, rows_or_empty, section, stack, when_allowed
from microgigs.components.titles import page_title
from microgigs.state.saved import SavedState as S
from microgigs.state.saved_searches import FREQUENCY_CHOICES
from microgigs.state.saved_searches import SavedSearchesState as Searches

# The alert frequencies' texts in the viewer's language (FREQUENCY_CHOICES gives their values).
FREQUENCY_TEXTS = {"instant": t("Instantly"), "daily": t("Once a day")}


def saved_item(card) -> rx.Component:
    return rx.el.div(
        gig_card(card),
        rx.button(
            t("Remove"),
            aria_label=t("Remove {title} from saved gigs", title=card.title),
            variant="soft",
            size="1",
            type="button",
            on_click=S.unsave(card.id),
        ),
        class_name="board-card",
    )


def saved_search_item(item) -> rx.Component:
    select_id = "alert-frequency-" + item.id.to_string()
    return rx.card(
        stack(
            rx.link(item.name, href=item.board_url, size="3", weight="medium"),
            rx.flex(
                rx.box(
                    rx.el.label(t("Alert me"), html_for=select_id, style={"font_size": "var(--font-size-2)", "margin_right": "0.5rem"}),
                    rx.el.select(
                        *[rx.el.option(FREQUENCY_TEXTS.get(value, text), value=value) for value, text in FREQUENCY_CHOICES],
                        id=select_id,
                        value=item.frequency,
                        on_change=lambda value: Searches.change_frequency(item.id, value),
                        aria_label=t("Alert frequency for {name}", name=item.name),
                        style={"min_height": "var(--space-6)", "font_size": "var(--font-size-2)"},
                    ),
                ),
                rx.button(
                    t("Delete"),
                    aria_label=t("Delete saved search {name}", name=item.name),
                    variant="soft",
                    color_scheme="red",
                    size="1",
                    type="button",
                    on_click=Searches.delete_search(item.id),
                ),
                spacing="3",
                align="center",
                justify="between",
                wrap="wrap",
                width="100%",
            ),
            spacing="2",
        ),
        width="100%",
    )


def saved_searches_section() -> rx.Component:
    return section(
        t("Saved searches"),
        notice(Searches.notice),
        inline_error(Searches.error),
        rows_or_empty(
            Searches.searches,
            saved_search_item,
            rx.text(t("No saved searches yet. On the board, search and choose “Save this search” to be alerted of new gigs."), size="2"),
        ),
        id="saved-searches",
    )


def digest_section() -> rx.Component:
    return section(
        t("Email"),
        rx.cond(
            Searches.weekly_digest,
            stack(
                rx.text(t("You get a weekly email of gigs recommended for your skills."), size="2"),
                rx.button(
                    t("Turn off the weekly digest"), variant="soft", size="2", type="button", on_click=Searches.set_weekly_digest(False)
                ),
                spacing="2",
            ),
            stack(
                rx.text(t("Weekly email of gigs recommended for your skills: off."), size="2"),
                rx.button(t("Turn on the weekly digest"), size="2", type="button", on_click=Searches.set_weekly_digest(True)),
                spacing="2",
            ),
        ),
    )


def saved_page() -> rx.Component:
    return page_layout(
        when_allowed(
            S,
            stack(
                rx.cond(S.error != "", rx.text(S.error, color_scheme="red", role="alert")),
                rows_or_empty(S.cards, saved_item, not_found_card(t("You have not saved any gigs yet."), t("Browse open gigs"), "/")),
                rx.cond(Searches.allowed, rx.fragment(saved_searches_section(), digest_section())),
            ),
            rx.card(rx.text(t("Only students can save gigs.")), width="100%"),
            quiet_loading(),
        ),
        heading=t("Saved gigs"),
    )


def register(app: rx.App) -> None:
    app.add_page(saved_page, route="/saved", title=page_title("Saved gigs"), on_load=[S.load_saved, Searches.load_searches])
