"""/payments/receipt/<engagement id>: a printable receipt of one funded engagement."""

import reflex as rx

from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import demo_payments_badge, fact, loading_note, not_found_card, stack
from microgigs.components.titles import page_title
from microgigs.components.url_object import for_this_url
from microgigs.state.money import RECEIPT_ROUTE
from microgigs.state.money import ReceiptState as S

R = S.receipt


def receipt_line(line) -> rx.Component:
    return rx.el.tr(
        rx.el.th(line.label, scope="row", style={"text_align": "left", "font_weight": "normal"}),
        rx.el.td(line.amount, style={"text_align": "right"}),
    )


def receipt_card() -> rx.Component:
    return rx.card(
        stack(
            demo_payments_badge(R.notice),
            rx.heading(t("Receipt {number}", number=R.number), as_="h2", size="5"),
            fact(t("Paid by"), R.employer),
            fact(t("For"), R.gig_title),
            fact(t("Student"), R.student),
            fact(t("Date"), R.date),
            fact(t("Payment reference"), R.reference),
            rx.el.table(
                rx.el.caption(t("What was paid"), style={"text_align": "left", "font_weight": "bold"}),
                rx.el.tbody(
                    rx.foreach(R.lines, receipt_line),
                    rx.el.tr(
                        rx.el.th(t("Total"), scope="row", style={"text_align": "left"}),
                        rx.el.td(rx.el.strong(R.total), style={"text_align": "right"}),
                    ),
                    rx.foreach(R.refunds, receipt_line),
                ),
                style={"width": "100%", "border_collapse": "collapse"},
            ),
            rx.button(t("Print this receipt"), on_click=rx.run_script("window.print()"), variant="soft", class_name="no-print"),
            spacing="2",
            align="start",
        ),
        width="100%",
    )


def receipt_page() -> rx.Component:
    return page_layout(
        for_this_url(
            S,
            rx.cond(
                S.load_error != "",
                not_found_card(S.load_error, t("Back to payments"), "/payments"),
                rx.cond(S.loaded & (R != None), receipt_card(), loading_note(t("Loading the receipt…"))),  # noqa: E711
            ),
            t("Loading the receipt…"),
        ),
        heading=t("Receipt"),
    )


def register(app: rx.App) -> None:
    app.add_page(receipt_page, route=RECEIPT_ROUTE, title=page_title("Receipt"), on_load=S.load_receipt)
