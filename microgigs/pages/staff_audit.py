"""Career-center staff: the audit log, filtered by subject or actor (who did or saw what)."""

import reflex as rx

from microgigs.components.forms import text_input
from microgigs.components.layout import page_layout
from microgigs.components.panels import PRE_WRAP, empty_note, loading_note, not_found_card, row_card
from microgigs.state.staff import StaffAuditState as S


def filters() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.box(text_input("Subject type", "subject_type", optional=True, hint="user, gig, application, engagement, organization", default_value=S.subject_type), flex="1 1 12rem"),
            rx.box(text_input("Subject number", "subject_id", optional=True, input_mode="numeric", default_value=S.subject_id, error=S.error_subject_id), flex="1 1 8rem"),
            rx.box(text_input("Actor's email", "actor_email", optional=True, type="email", default_value=S.actor_email), flex="1 1 12rem"),
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        rx.button("Search the log", type="submit", size="3", margin_top="var(--space-2)"),
        on_submit=S.search,
        reset_on_submit=False,
        aria_label="Filter the audit log",
        width="100%",
    )


def event_row(row) -> rx.Component:
    return row_card(
        rx.flex(rx.text(row.action, weight="bold"), rx.text(row.subject, size="2"), rx.text(row.at, size="2", color="var(--gray-11)"), spacing="3", wrap="wrap"),
        rx.text("By ", row.actor, size="2", style=PRE_WRAP),
        rx.cond(row.detail != "", rx.text(row.detail, size="1", style=PRE_WRAP, color="var(--gray-11)")),
    )


def staff_audit() -> rx.Component:
    return page_layout(
        rx.cond(
            S.loaded,
            rx.cond(
                S.allowed,
                rx.vstack(
                    filters(),
                    rx.cond(S.rows.length() > 0, rx.vstack(rx.foreach(S.rows, event_row), spacing="2", width="100%"), empty_note("No events match.")),
                    spacing="4",
                    width="100%",
                ),
                not_found_card("Only career-center staff can read the audit log."),
            ),
            loading_note("Loading the audit log…"),
        ),
        heading="Audit log",
    )


def register(app: rx.App) -> None:
    app.add_page(staff_audit, route="/staff/audit", title="Audit log · MicroGigs staff", on_load=S.load_audit)
