"""The board's "Save this search": a student names the search and chooses how often to be
alerted; a visitor is asked to sign in instead."""

import reflex as rx

from microgigs.components.forms import error_id, field_error, text_input
from microgigs.components.i18n import t, translated
from microgigs.components.panels import inline_error, notice, stack
from microgigs.state.board import BoardState
from microgigs.state.saved_searches import FREQUENCY_CHOICES
from microgigs.state.saved_searches import SaveSearchState as S

FREQUENCY_LEGEND_ID = "save-search-frequency-legend"


def _frequency_choice() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(rx.text(t("Alert me"), size="2", weight="medium"), id=FREQUENCY_LEGEND_ID, style={"margin_bottom": "var(--space-2)"}),
        rx.radio_group.root(
            rx.flex(
                *[rx.radio_group.item(translated(text), value=value) for value, text in FREQUENCY_CHOICES],
                direction="column",
                spacing="2",
            ),
            name="frequency",
            default_value="instant",
            aria_labelledby=FREQUENCY_LEGEND_ID,
            aria_describedby=error_id("frequency"),
        ),
        field_error("frequency", S.errors.get("frequency", "")),
        style={"border": "none", "padding": "0", "margin": "0", "min_width": "0"},
        width="100%",
    )


def _form() -> rx.Component:
    return rx.form(
        stack(
            text_input(
                t("Name of this search"),
                "name",
                error=S.errors.get("name", ""),
                default_value=BoardState.query,
                max_length=80,
                size="2",
            ),
            _frequency_choice(),
            inline_error(S.errors.get("form", "")),
            rx.button(t("Save search"), type="submit", size="2"),
            spacing="2",
        ),
        # Re-mounted for each board URL: the name starts from that URL's words.
        key=BoardState.form_key,
        on_submit=S.save_search,
        aria_label=t("Save this search"),
        width="100%",
    )


def save_search_panel() -> rx.Component:
    return rx.cond(
        BoardState.is_student,
        stack(
            rx.button(
                rx.icon("bell", aria_hidden="true"),
                t("Save this search"),
                variant="soft",
                size="2",
                type="button",
                aria_expanded=rx.cond(S.form_open, "true", "false"),
                on_click=S.toggle_form,
            ),
            rx.cond(S.form_open, _form()),
            notice(S.saved_notice),
            spacing="2",
        ),
        rx.cond(
            ~BoardState.signed_in,
            rx.text(
                # "[Sign in] to save…": Spanish keeps this order ("[Inicia sesión] para guardar…").
                rx.link(t("Sign in"), href="/login", underline="always"),
                " ",
                t("to save this search and get alerts of new gigs."),
                size="2",
            ),
        ),
    )
