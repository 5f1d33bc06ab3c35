"""Cancelling the engagement (managers and staff), behind a confirmation."""

import reflex as rx

from microgigs.components.forms import error_id, event_form, field_id, form_alert, form_field
from microgigs.components.i18n import t
from microgigs.components.panels import section
from microgigs.state.workspace import CancelForm

E = CancelForm.errors
FORM_ID = "cancel-engagement-form"


def _confirm() -> rx.Component:
    """The dialog whose "Yes" submits the form (by its id: the dialog is drawn outside it)."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(t("Cancel engagement"), type="button", color_scheme="red", variant="outline", size="2")),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("Cancel this engagement?")),
            rx.alert_dialog.description(t("The student is told at once. This can't be undone."), size="2"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(t("Keep it"), variant="soft", color_scheme="gray", type="button")),
                rx.alert_dialog.action(rx.button(t("Yes, cancel it"), color_scheme="red", high_contrast=True, type="submit", form=FORM_ID)),
                spacing="3",
                justify="end",
                margin_top="1rem",
            ),
        ),
    )


def cancel_section() -> rx.Component:
    return section(
        t("Cancel this engagement"),
        rx.text(
            t("Before anything is submitted the full amount is refunded. Once work has been submitted the student keeps the kill fee."),
            size="2",
        ),
        form_alert(E.get("form", "")),
        event_form(
            form_field(
                t("Reason for the student"),
                "cancel_reason",
                # Named "reason" in the form; its id differs from the due-date form's reason field.
                rx.text_area(
                    id=field_id("cancel_reason"),
                    name="reason",
                    rows="2",
                    size="2",
                    max_length=500,
                    width="100%",
                    aria_describedby=error_id("cancel_reason"),
                ),
                error=E.get("reason", ""),
                optional=True,
            ),
            _confirm(),
            on_submit=CancelForm.cancel_engagement,
            label=t("Cancel this engagement"),
            id=FORM_ID,
        ),
    )
