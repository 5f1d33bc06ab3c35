"""Cancelling the engagement: the employer stops it (refund, or the kill fee once work has started)."""

import reflex as rx

from microgigs.i18n import msg
from microgigs.services import closing
from microgigs.state.workspace.form import WorkspaceForm, form_text
from microgigs.state.workspace.page import EngagementState


class CancelForm(WorkspaceForm, EngagementState):
    """Errors by field: "reason", "form"."""

    @rx.event
    def cancel_engagement(self, form_data: dict):
        self._begin()
        reason = form_text(form_data, "reason")
        acted = self._act(lambda session, actor: closing.cancel_one_engagement(session, actor, self._engagement_id(), reason))
        return self._finish(acted, msg("Engagement cancelled. The student has been told."))
