"""/payments: the employer's engagements, where each one's money stands, fund and receipts."""

import reflex as rx

from microgigs.components.i18n import t
from microgigs.components.layout import money_page_layout
from microgigs.components.panels import (
    button_link,
    fact,
    facts,
    row_card,
    rows_or_empty,
)
from microgigs.components.titles import page_title
from microgigs.state.money import PaymentsState as S


def payment_row(row) -> rx.Component:
    return row_card(
        rx.heading(row.gig_title, as_="h2", size="4"),
        facts(fact(t("Student"), row.student), fact(t("Total with platform fee"), row.total), fact(t("Status"), row.state_label)),
        rx.cond(row.message != "", rx.text(row.message, size="2")),
        rx.flex(
            rx.cond(
                row.can_fund,
                rx.el.form(
                    rx.button(
                        t("Fund this engagement"),
                        type="submit",
                        aria_label=t("Fund {title} for {student}", title=row.gig_title, student=row.student),
                    ),
                    action="/payments/fund/" + row.engagement_id.to_string(),
                    method="post",
                    on_submit=None,
                ),
            ),
            rx.cond(
                row.has_receipt,
                button_link(
                    t("Receipt"),
                    "/payments/receipt/" + row.engagement_id.to_string(),
                    aria_label=t("Receipt for {title} ({student})", title=row.gig_title, student=row.student),
                    variant="soft",
                ),
            ),
            spacing="2",
            wrap="wrap",
        ),
        aria_label=row.gig_title,
    )


def payments_page() -> rx.Component:
    return money_page_layout(
        S,
        rows_or_empty(S.rows, payment_row, t("No engagements yet: when you accept a student, their engagement appears here to fund.")),
        heading=t("Payments"),
        loading=t("Loading payments…"),
    )


def register(app: rx.App) -> None:
    app.add_page(payments_page, route="/payments", title=page_title("Payments"), on_load=S.load_payments)
