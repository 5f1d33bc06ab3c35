"""The message thread's form; the service checks the sender may see this engagement."""

import reflex as rx

from microgigs import timings
from microgigs.services import engagements
from microgigs.state.workspace.form import WorkspaceForm, form_text
from microgigs.state.workspace.page import EngagementState


class MessageForm(WorkspaceForm, EngagementState):
    """Errors by field: "body", "form"."""

    @rx.event
    def post_message(self, form_data: dict):
        """A message in the thread (the page's notice stays as it is)."""
        self._begin(keep_notice=True)
        body = form_text(form_data, "body")
        with timings.phase("message.handler_db"):
            acted = self._act(lambda session, actor: engagements.post_message(session, actor, self._engagement_id(), body))
        with timings.phase("message.own_reload"):
            return self._finish(acted, fresh_form=True)
