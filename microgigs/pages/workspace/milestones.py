"""Check-in milestones: the list with each one's status, the student's check-in on each, and
the managers' form to add one."""

import reflex as rx

from microgigs.components.forms import date_input, event_form, form_alert, submit_button, text_input
from microgigs.components.i18n import t
from microgigs.components.panels import PRE_WRAP, card_list, card_title_row, empty_note, row_card, section, tag
from microgigs.state.workspace import CheckInForm, MilestoneForm
from microgigs.state.workspace import EngagementState as S

V = S.view


def _status(m) -> rx.Component:
    return rx.match(
        m.status,
        ("done", tag(t("Done"), "green")),
        ("not_done", tag(t("Not done yet"), "orange")),
        rx.cond(m.overdue, tag(t("No check-in, date passed"), "red"), tag(t("No check-in yet"), "gray")),
    )


def _radio(m, value: str, text: rx.Var) -> rx.Component:
    control_id = "checkin-" + m.id.to_string() + "-" + value
    return rx.flex(
        rx.el.input(
            type="radio",
            name="done",
            value=value,
            id=control_id,
            default_checked=(m.status == "done") if value == "yes" else (m.status == "not_done"),
        ),
        rx.el.label(text, html_for=control_id),
        spacing="2",
        align="center",
    )


def _check_in_form(m) -> rx.Component:
    """One form per milestone: its ids are made from the milestone's (a list of forms, one page)."""
    key = m.id.to_string()
    error = CheckInForm.errors.get(key, "")
    note_id = "checkin-" + key + "-note"
    error_id = "checkin-" + key + "-error"
    return event_form(
        rx.el.fieldset(
            rx.el.legend(rx.text(t("Where it stands"), size="2", weight="medium")),
            rx.flex(_radio(m, "yes", t("Done")), _radio(m, "no", t("Not done yet")), spacing="4", wrap="wrap"),
            style={"border": "none", "margin": "0", "padding": "0"},
        ),
        rx.text(rx.el.label(t("Check-in note"), html_for=note_id), as_="div", size="2", weight="medium"),
        rx.text_area(
            id=note_id,
            name="note",
            rows="2",
            size="2",
            max_length=500,
            width="100%",
            default_value=m.note,
            placeholder=t("Required when it is not done yet: what is holding it up?"),
            aria_describedby=error_id,
            aria_invalid=rx.cond(error != "", "true", "false"),
        ),
        rx.text(error, id=error_id, as_="p", size="2", color_scheme="red", weight="medium", class_name="field-error"),
        # The form's submit handler is hoisted out of the list, so the id rides in the form.
        rx.el.input(type="hidden", name="milestone_id", value=key),
        submit_button(t("Check in"), variant="outline", size="2"),
        on_submit=CheckInForm.check_in,
        label=t("Check in on {title}", title=m.title),
        key=CheckInForm.form_key.to_string() + "-" + key,
    )


def _milestone(m) -> rx.Component:
    return row_card(
        card_title_row(rx.heading(m.title, as_="h3", size="3"), _status(m)),
        rx.text(t("By {date}", date=m.due_date), size="2", color="var(--gray-11)"),
        rx.cond(
            m.checked_in_at != "",
            rx.text(
                rx.text(t("Checked in {when}", when=m.checked_in_at), as_="span", color="var(--gray-11)"),
                rx.cond(m.note != "", rx.text(": ", m.note, as_="span", style=PRE_WRAP)),
                size="2",
            ),
        ),
        rx.cond(S.can_check_in, _check_in_form(m)),
        aria_label=m.title,
    )


def _add_form() -> rx.Component:
    errors = MilestoneForm.errors
    return event_form(
        form_alert(errors.get("form", "")),
        text_input(
            t("Milestone"),
            "milestone_title",
            error=errors.get("milestone_title", ""),
            hint=t('What should be done by then, e.g. "Data cleaned".'),
            size="2",
            max_length=120,
        ),
        date_input(t("Check-in date"), "milestone_due_date", error=errors.get("milestone_due_date", ""), size="2"),
        submit_button(t("Add milestone"), variant="outline", size="2"),
        on_submit=MilestoneForm.add_milestone,
        label=t("Add a milestone"),
        key=MilestoneForm.form_key,
    )


def milestones_section() -> rx.Component:
    return section(
        t("Milestones"),
        form_alert(CheckInForm.errors.get("form", "")),
        rx.cond(
            V.milestones.length() > 0,
            card_list(V.milestones, _milestone, t("Milestones")),
            empty_note(rx.cond(V.viewer_manages, t("No milestones yet: add check-in points below."), t("No milestones set."))),
        ),
        rx.cond(S.can_plan_milestones, _add_form()),
    )
