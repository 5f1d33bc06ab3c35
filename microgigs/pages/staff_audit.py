"""Career-center staff: the audit log, filtered by kind, subject or actor (who did or saw what).

The filters live in the URL (/staff/audit/?kind=views&subject_email=...), so "who viewed
student X" is a link staff can keep or share.
"""

import reflex as rx

from microgigs.components.forms import fields_row_form, select_input, text_input
from microgigs.components.layout import page_layout
from microgigs.components.panels import PRE_WRAP, empty_note, row_card, stack, when_allowed
from microgigs.services.audit_log import KINDS, kind_label
from microgigs.state.staff import StaffAuditState as S

KIND_OPTIONS = [(kind, kind_label(kind)) for kind in KINDS]


def filters() -> rx.Component:
    E = S.field_errors
    return fields_row_form(
        rx.box(select_input("Kind of event", "kind", KIND_OPTIONS, default_value=S.kind, error=E["kind"]), flex="1 1 14rem"),
        rx.box(
            text_input(
                "Whose data (their email)",
                "subject_email",
                optional=True,
                type="email",
                hint="Everything done to or seen of this person's account.",
                default_value=S.subject_email,
                error=E["subject_email"],
            ),
            flex="1 1 14rem",
        ),
        rx.box(
            text_input(
                "Actor's email",
                "actor_email",
                optional=True,
                type="email",
                hint="Who did it or looked.",
                default_value=S.actor_email,
                error=E["actor_email"],
            ),
            flex="1 1 14rem",
        ),
        rx.box(
            text_input(
                "Subject type",
                "subject_type",
                optional=True,
                hint="user, gig, application, engagement, organization, report",
                default_value=S.subject_type,
            ),
            flex="1 1 12rem",
        ),
        rx.box(
            text_input(
                "Subject number", "subject_id", optional=True, input_mode="numeric", default_value=S.subject_id, error=E["subject_id"]
            ),
            flex="1 1 8rem",
        ),
        submit="Search the log",
        on_submit=S.search,
        reset_on_submit=False,
        key=S.form_key,
        aria_label="Filter the audit log",
    )


def event_row(row) -> rx.Component:
    return row_card(
        rx.flex(
            rx.text(row.action, weight="bold"),
            rx.text(row.subject, size="2", style=PRE_WRAP),
            rx.text(row.at, size="2", color="var(--gray-11)"),
            spacing="3",
            wrap="wrap",
        ),
        rx.text("By ", row.actor, size="2", style=PRE_WRAP),
        rx.cond(row.subject_href != "", rx.link("Open this student's profile", href=row.subject_href, size="2", underline="always")),
        rx.cond(row.detail != "", rx.text(row.detail, size="1", style=PRE_WRAP, color="var(--gray-11)")),
    )


def staff_audit() -> rx.Component:
    return page_layout(
        when_allowed(
            S,
            stack(
                filters(),
                rx.cond(
                    S.rows.length() > 0,
                    stack(rx.text(S.results_text, size="2", role="status"), stack(rx.foreach(S.rows, event_row), spacing="2"), spacing="2"),
                    empty_note("No events match."),
                ),
                spacing="4",
            ),
            "Only career-center staff can read the audit log.",
            "Loading the audit log…",
        ),
        heading="Audit log",
    )


def register(app: rx.App) -> None:
    app.add_page(staff_audit, route="/staff/audit", title="Audit log · MicroGigs staff", on_load=S.load_audit)
