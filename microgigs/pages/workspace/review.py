"""The manager's review of the waiting version: approve and pay, or request changes."""

import reflex as rx

from microgigs.components.forms import event_form, form_alert, submit_button, textarea_input
from microgigs.components.i18n import t
from microgigs.components.panels import section
from microgigs.state.workspace import EngagementState as S
from microgigs.state.workspace import ReviewForm

V = S.view
E = ReviewForm.errors


def _request_changes_form() -> rx.Component:
    return event_form(
        textarea_input(
            t("What should change"),
            "comment",
            error=E.get("comment", ""),
            hint=t("Be specific: the student gets one revision round per request."),
            rows="4",
            max_length=5000,
        ),
        submit_button(t("Request changes"), variant="outline"),
        on_submit=lambda form_data: ReviewForm.request_changes(S.latest_version, form_data),
        label=t("Request changes"),
        key=ReviewForm.form_key,
    )


def review_section() -> rx.Component:
    return section(
        rx.text(t("Review version {version}", version=S.latest_version), as_="span"),
        form_alert(E.get("form", "")),
        rx.text(
            t("Approving pays {amount} to {student}.", amount=V.pay, student=V.student_name),
            rx.cond(V.payment_label != "", rx.text(" (", V.payment_label, ")", as_="span")),
            size="2",
        ),
        rx.button(
            rx.icon("check", aria_hidden="true", size=16),
            t("Approve and pay"),
            on_click=ReviewForm.approve(S.latest_version),
            color_scheme="green",
            high_contrast=True,
            size="3",
        ),
        rx.separator(size="4"),
        rx.cond(
            S.can_request_changes,
            _request_changes_form(),
            rx.text(t("All revision rounds are used: approve this version or agree a new scope with the student."), size="2"),
        ),
    )
