"""/earnings: what the student has been paid, what is on its way, and their payout account."""

import reflex as rx

from microgigs.components.forms import post_form
from microgigs.components.i18n import t
from microgigs.components.layout import money_page_layout
from microgigs.components.panels import fact, facts, row_card, rows_or_empty, section, stack
from microgigs.components.titles import page_title
from microgigs.state.money import EarningsState as S

E = S.earnings


def earning_row(row) -> rx.Component:
    return row_card(
        rx.heading(row.gig_title, as_="h3", size="3"),
        facts(fact(t("Amount"), row.amount), fact(t("Status"), row.state_label)),
        aria_label=row.gig_title,
    )


def payout_account() -> rx.Component:
    return section(
        t("Payout account"),
        rx.text(E.account_status, size="2"),
        rx.cond(
            E.needs_setup,
            post_form(
                rx.button(E.setup_label, type="submit"), action="/payments/payout-account", aria_label=t("Payout account with Stripe")
            ),
        ),
    )


def earnings_body() -> rx.Component:
    return stack(
        facts(fact(t("On its way"), E.pending), fact(t("Paid to you"), E.paid)),
        payout_account(),
        section(
            t("Your engagements"),
            rows_or_empty(E.rows, earning_row, t("No paid work yet.")),
        ),
        spacing="4",
    )


def earnings_page() -> rx.Component:
    return money_page_layout(
        S,
        earnings_body(),
        heading=t("Earnings"),
        loading=t("Loading earnings…"),
        loaded=S.loaded & (E != None),  # noqa: E711
    )


def register(app: rx.App) -> None:
    app.add_page(earnings_page, route="/earnings", title=page_title("Earnings"), on_load=S.load_earnings)
