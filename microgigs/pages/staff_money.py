"""/staff/money: all the money at a glance, failed payouts to retry, and the latest stored
reconciliation of the ledger with the gateway (made by "Reconcile now" or the nightly job)."""

import reflex as rx

from microgigs.components.i18n import t
from microgigs.components.layout import money_page_layout
from microgigs.components.panels import empty_note, fact, facts, row_card, rows_or_empty, section, stack
from microgigs.components.titles import page_title
from microgigs.state.money import MoneyState as S

REC = S.report
CELL = {"text_align": "left", "padding": "0.25rem 0.5rem", "border_bottom": "1px solid var(--gray-6)"}


def difference_row(d) -> rx.Component:
    return rx.el.tr(
        rx.el.td(rx.el.a(d.engagement_id, href="/engagements/" + d.engagement_id.to_string()), style=CELL),
        rx.el.td(d.what, style=CELL),
        rx.el.td(d.ledger, style=CELL),
        rx.el.td(d.gateway, style=CELL),
    )


def failed_payout_row(row) -> rx.Component:
    return row_card(
        rx.heading(row.gig_title, as_="h3", size="3"),
        facts(fact(t("Student"), row.student), fact(t("Amount"), row.amount), fact(t("Stopped"), row.since)),
        rx.text(row.message, size="2"),
        rx.cond(
            row.refused,
            rx.cond(
                row.account_ready,
                rx.text(t("The student updated their payout account since the refusal: retry now."), size="2", weight="medium"),
                rx.text(t("The student has not updated their payout account since the refusal."), size="2"),
            ),
            rx.text(t("Stripe kept failing; retry sends it after checking Stripe."), size="2", weight="medium"),
        ),
        rx.button(
            t("Retry payout"),
            on_click=S.retry_payout(row.engagement_id),
            aria_label=t("Retry payout to {student} for {gig}", student=row.student, gig=row.gig_title),
        ),
        aria_label=row.kind_label + ": " + row.gig_title,
    )


def failed_payouts() -> rx.Component:
    return section(
        t("Failed payouts"),
        rows_or_empty(S.failed, failed_payout_row, t("No failed payouts.")),
    )


def reconciliation() -> rx.Component:
    return section(
        t("Reconciliation with the gateway"),
        rx.cond(
            S.has_report,
            stack(
                rx.text(t("Latest report: {made_at} by {made_by}", made_at=REC.made_at, made_by=REC.made_by), size="2"),
                rx.text(t("Engagements checked: {count}", count=REC.checked), size="2"),
                rx.cond(REC.note != "", rx.text(REC.note, size="2")),
                rx.cond(
                    REC.differences.length() > 0,
                    rx.box(
                        rx.el.table(
                            rx.el.caption(t("Differences between our ledger and the gateway"), style={"text_align": "left"}),
                            rx.el.thead(
                                rx.el.tr(
                                    *[
                                        rx.el.th(h, scope="col", style=CELL)
                                        for h in (t("Engagement"), t("What"), t("Our ledger"), t("Gateway"))
                                    ]
                                )
                            ),
                            rx.el.tbody(rx.foreach(REC.differences, difference_row)),
                            style={"width": "100%", "border_collapse": "collapse"},
                        ),
                        width="100%",
                        overflow_x="auto",
                        # Keyboard users can scroll a wide table at 375 px.
                        tab_index=0,
                        role="region",
                        aria_label=t("Differences"),
                    ),
                    rx.text(t("No differences: every cent in the ledger matches the gateway."), size="2", weight="medium"),
                ),
                rx.el.a(t("Download this reconciliation report (CSV)"), href="/staff/money/reconciliation.csv", reload_document=True),
                spacing="2",
            ),
            empty_note(t("No reconciliation report yet: choose Reconcile now, or wait for the nightly one.")),
        ),
        action=rx.button(t("Reconcile now"), on_click=S.reconcile_now, aria_label=t("Reconcile now with the gateway")),
    )


def money_page() -> rx.Component:
    return money_page_layout(
        S,
        stack(
            section(t("Totals"), facts(rx.foreach(S.totals, lambda t: fact(t.label, t.amount)))),
            section(t("Payments by status"), facts(rx.foreach(S.states, lambda s: fact(s.state_label, s.count)))),
            failed_payouts(),
            reconciliation(),
            spacing="5",
        ),
        heading=t("Money"),
        loading=t("Loading the money overview…"),
    )


def register(app: rx.App) -> None:
    app.add_page(money_page, route="/staff/money", title=page_title("Money"), on_load=S.load_money)
