"""Career-center staff: the audit log, filtered by kind, subject or actor (who did or saw what).

The filters live in the URL (/staff/audit/?kind=views&subject_email=...), so "who viewed
student X" is a link staff can keep or share.
"""

import reflex as rx

from microgigs.components.forms import fields_row_form, select_input, text_input
from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import PRE_WRAP, empty_note, row_card, stack, when_allowed
from microgigs.components.titles import page_title
from microgigs.state.staff import StaffAuditState as S


def _filter(label: rx.Var, name: str, flex: str, **props) -> rx.Component:
    """An optional filter, showing what the URL asks for; its share of the row is `flex`."""
    return rx.box(text_input(label, name, optional=True, default_value=getattr(S, name), **props), flex=flex)


def filters() -> rx.Component:
    E = S.field_errors.to(dict[str, str])
    return fields_row_form(
        rx.box(
            select_input(t("Kind of event"), "kind", [], dynamic_options=S.kind_options, default_value=S.kind, error=E["kind"]),
            flex="1 1 14rem",
        ),
        _filter(
            t("Whose data (their email)"),
            "subject_email",
            "1 1 14rem",
            type="email",
            hint=t("Everything done to or seen of this person's account."),
            error=E["subject_email"],
        ),
        _filter(t("Actor's email"), "actor_email", "1 1 14rem", type="email", hint=t("Who did it or looked."), error=E["actor_email"]),
        # The subject types are the database's words, typed as they are.
        _filter(t("Subject type"), "subject_type", "1 1 12rem", hint=t("user, gig, application, engagement, organization, report")),
        _filter(t("Subject number"), "subject_id", "1 1 8rem", input_mode="numeric", error=E["subject_id"]),
        submit=t("Search the log"),
        on_submit=S.search,
        reset_on_submit=False,
        key=S.form_key,
        aria_label=t("Filter the audit log"),
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
        rx.text(t("By {actor}", actor=row.actor), size="2", style=PRE_WRAP),
        rx.cond(row.subject_href != "", rx.link(t("Open this student's profile"), href=row.subject_href, size="2", underline="always")),
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
                    empty_note(t("No events match.")),
                ),
                spacing="4",
            ),
            t("Only career-center staff can read the audit log."),
            t("Loading the audit log…"),
        ),
        heading=t("Audit log"),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_audit, route="/staff/audit", title=page_title("Audit log"), on_load=S.load_audit)
