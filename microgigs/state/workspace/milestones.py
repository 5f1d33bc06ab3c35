"""Check-in milestones: the managers add them, the student checks in on each one."""

import reflex as rx

from microgigs.i18n import msg
from microgigs.services import milestones
from microgigs.services.validation import parse_id
from microgigs.state.workspace.form import WorkspaceForm, form_text
from microgigs.state.workspace.page import EngagementState

# The service's field names -> the add form's input names.
_ADD_FORM_FIELDS = {"title": "milestone_title", "due_date": "milestone_due_date"}


class MilestoneForm(WorkspaceForm, EngagementState):
    """The managers' "add" form. Errors by field: "milestone_title", "milestone_due_date", "form"."""

    @rx.event
    def add_milestone(self, form_data: dict):
        """A check-in point (title and date); the student sees it at once. The service reads and
        checks the form's date."""
        self._begin()
        title, due = form_text(form_data, "milestone_title"), form_text(form_data, "milestone_due_date")
        acted = self._act(lambda session, actor: milestones.add_milestone(session, actor, self._engagement_id(), title, due))
        errors = {_ADD_FORM_FIELDS.get(k, k): v for k, v in acted.errors.items()}
        return self._finish(acted, msg("Milestone added. The student has been told."), fresh_form=True, errors=errors)


class CheckInForm(WorkspaceForm, EngagementState):
    """The student's check-in forms, one per milestone. Errors by milestone id (as text), and
    "form" for an event that names no milestone."""

    @rx.event
    def check_in(self, form_data: dict):
        """The check-in on the milestone the form's hidden milestone_id names: done or not yet,
        and a note; the service reads and checks the choice."""
        self._begin()
        key = form_text(form_data, "milestone_id").strip()[:20]
        milestone_id = parse_id(key)
        if milestone_id is None:
            return self._stale()
        done, note = form_text(form_data, "done"), form_text(form_data, "note")
        acted = self._act(lambda session, actor: milestones.check_in(session, actor, self._engagement_id(), milestone_id, done, note))
        return self._finish(acted, msg("Check-in saved. The manager has been told."), fresh_form=True, errors={key: acted.error})
