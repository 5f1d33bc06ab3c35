"""/staff/money: all the money at a glance, and the ledger reconciled with the gateway."""

import reflex as rx

from microgigs.components.forms import form_alert
from microgigs.components.layout import page_layout
from microgigs.components.panels import demo_payments_badge, fact, facts, loading_note, section
from microgigs.state.money import MoneyState as S

REC = S.reconciliation
CELL = {"text_align": "left", "padding": "0.25rem 0.5rem", "border_bottom": "1px solid var(--gray-6)"}


def difference_row(d) -> rx.Component:
    return rx.el.tr(
        rx.el.td(rx.el.a(d.engagement_id, href="/engagements/" + d.engagement_id.to_string()), style=CELL),
        rx.el.td(d.what, style=CELL),
        rx.el.td(d.ledger, style=CELL),
        rx.el.td(d.gateway, style=CELL),
    )


def reconciliation() -> rx.Component:
    return section(
        "Reconciliation with the gateway",
        rx.text("Engagements checked: ", REC.checked.to_string(), size="2"),
        rx.cond(REC.note != "", rx.text(REC.note, size="2")),
        rx.cond(
            REC.differences.length() > 0,
            rx.box(
                rx.el.table(
                    rx.el.caption("Differences between our ledger and the gateway", style={"text_align": "left"}),
                    rx.el.thead(rx.el.tr(*[rx.el.th(h, scope="col", style=CELL) for h in ("Engagement", "What", "Our ledger", "Gateway")])),
                    rx.el.tbody(rx.foreach(REC.differences, difference_row)),
                    style={"width": "100%", "border_collapse": "collapse"},
                ),
                width="100%",
                overflow_x="auto",
                # Keyboard users can scroll a wide table at 375 px.
                tab_index=0,
                role="region",
                aria_label="Differences",
            ),
            rx.text("No differences: every cent in the ledger matches the gateway.", size="2", weight="medium"),
        ),
        rx.el.a("Download the reconciliation report (CSV)", href="/staff/money/reconciliation.csv", reload_document=True),
    )


def money_page() -> rx.Component:
    return page_layout(
        demo_payments_badge(S.gateway_notice),
        rx.cond(
            S.load_error != "",
            form_alert(S.load_error),
            rx.cond(
                S.loaded & (REC != None),  # noqa: E711
                rx.vstack(
                    section("Totals", facts(rx.foreach(S.totals, lambda t: fact(t.label, t.amount)))),
                    section("Payments by status", facts(rx.foreach(S.states, lambda s: fact(s.state_label, s.count)))),
                    reconciliation(),
                    spacing="5",
                    width="100%",
                ),
                loading_note("Loading the money overview…"),
            ),
        ),
        heading="Money",
    )


def register(app: rx.App) -> None:
    app.add_page(money_page, route="/staff/money", title="Money · MicroGigs", on_load=S.load_money)
