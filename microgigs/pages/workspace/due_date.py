"""The due date: every request to move it, answers to a pending one, and a form to propose one."""

import reflex as rx

from microgigs.components.forms import date_input, event_form, form_alert, submit_button, textarea_input
from microgigs.components.i18n import t
from microgigs.components.panels import PRE_WRAP, card_list, card_title_row, row_card, section, tag
from microgigs.state.workspace import EngagementState as S
from microgigs.state.workspace import ExtensionForm

V = S.view
E = ExtensionForm.errors


def _answer_buttons(x) -> rx.Component:
    return rx.flex(
        rx.button(
            t("Accept new due date"),
            size="2",
            on_click=ExtensionForm.answer_extension(x.id, True),
            color_scheme="green",
            high_contrast=True,
        ),
        rx.button(t("Decline new due date"), size="2", variant="outline", on_click=ExtensionForm.answer_extension(x.id, False)),
        spacing="2",
        wrap="wrap",
    )


def _extension(x) -> rx.Component:
    asked = rx.cond(
        x.requested_by == "student",
        t("The student asked to move the due date from {old} to {new}", old=x.old_due_date, new=x.new_due_date),
        t("The employer asked to move the due date from {old} to {new}", old=x.old_due_date, new=x.new_due_date),
    )
    return row_card(
        card_title_row(
            rx.text(asked, size="2", weight="medium"),
            rx.match(
                x.status,
                ("accepted", tag(t("Accepted"), "green")),
                ("declined", tag(t("Declined"), "gray")),
                tag(t("Waiting for an answer"), "blue"),
            ),
        ),
        rx.text(x.reason, size="2", style=PRE_WRAP),
        rx.text(t("Asked {when}", when=x.asked_at), size="1", color="var(--gray-11)"),
        rx.cond(x.viewer_may_answer, _answer_buttons(x)),
    )


def _propose_form() -> rx.Component:
    return event_form(
        date_input(t("Proposed new due date"), "new_due_date", error=E.get("new_due_date", ""), size="2"),
        textarea_input(t("Why it should move"), "reason", error=E.get("reason", ""), rows="2", size="2", max_length=500),
        submit_button(t("Propose new due date"), variant="outline", size="2"),
        on_submit=ExtensionForm.request_extension,
        label=t("Propose a new due date"),
        key=ExtensionForm.form_key,
    )


def due_date_section() -> rx.Component:
    return section(
        t("Due date"),
        rx.text(t("Currently due {date}.", date=V.due_date), size="2"),
        form_alert(E.get("form", "")),
        rx.cond(V.extensions.length() > 0, card_list(V.extensions, _extension, t("Due date requests"))),
        rx.cond(S.can_request_extension, _propose_form()),
    )
