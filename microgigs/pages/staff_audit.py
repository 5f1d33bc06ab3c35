"""Career-center staff: the audit log, filtered by kind, subject or actor (who did or saw what).

The filters live in the URL (/staff/audit/?kind=views&subject_email=...), so "who viewed
student X" is a link staff can keep or share.
"""

import reflex as rx

from microgigs.components.forms import fields_row_form, select_input, text_input
from microgigs.components.layout import page_layout
from microgigs.components.panels import PRE_WRAP, empty_note, row_card, stack, when_allowed
from microgigs.components.titles import page_title
from microgigs.services.audit_log import KINDS, kind_label
from microgigs.state.staff import StaffAuditState as S

KIND_OPTIONS = [(kind, kind_label(kind)) for kind in KINDS]


def _filter(label: str, name: str, flex: str, **props) -> rx.Component:
    """An optional filter, showing what the URL asks for; its share of the row is `flex`."""
    return rx.box(text_input(label, name, optional=True, default_value=getattr(S, name), **props), flex=flex)


def filters() -> rx.Component:
    E = S.field_errors.to(dict[str, str])
    return fields_row_form(
        rx.box(select_input("Kind of event", "kind", KIND_OPTIONS, default_value=S.kind, error=E["kind"]), flex="1 1 14rem"),
        _filter(
            "Whose data (their email)",
            "subject_email",
            "1 1 14rem",
            type="email",
            hint="Everything done to or seen of this person's account.",
            error=E["subject_email"],
        ),
        _filter("Actor's email", "actor_email", "1 1 14rem", type="email", hint="Who did it or looked.", error=E["actor_email"]),
        _filter("Subject type", "subject_type", "1 1 12rem", hint="user, gig, application, engagement, organization, report"),
        _filter("Subject number", "subject_id", "1 1 8rem", input_mode="numeric", error=E["subject_id"]),
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
    app.add_page(staff_audit, route="/staff/audit", title=page_title("Audit log"), on_load=S.load_audit)
