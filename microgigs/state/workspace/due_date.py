"""Moving the due date: either side proposes a new one, the other side answers."""

from datetime import date

import reflex as rx

from microgigs.i18n import msg
from microgigs.services import engagements
from microgigs.services.validation import parse_id
from microgigs.state.workspace.form import WorkspaceForm, form_text
from microgigs.state.workspace.page import EngagementState


def _date_in(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None  # the service says what is wrong with it


class ExtensionForm(WorkspaceForm, EngagementState):
    """Errors by field: "new_due_date", "reason", "form" (also an answer's refusal)."""

    @rx.event
    def request_extension(self, form_data: dict):
        """Propose a new due date; the other side answers."""
        self._begin()
        new_date, reason = _date_in(form_text(form_data, "new_due_date")), form_text(form_data, "reason")
        acted = self._act(lambda session, actor: engagements.request_extension(session, actor, self._engagement_id(), new_date, reason))
        return self._finish(acted, msg("New due date proposed. The other side has been told."), fresh_form=True)

    @rx.event
    def answer_extension(self, request_id: int, accept: bool):
        """Accept or decline the pending request (anything but True declines)."""
        self._begin()
        request = parse_id(request_id)
        if request is None:
            return self._stale()
        accept = accept is True
        acted = self._act(lambda session, actor: engagements.answer_extension(session, actor, self._engagement_id(), request, accept))
        return self._finish(acted, msg("Due date changed.") if accept else msg("Extension declined."), errors={"form": acted.error})
