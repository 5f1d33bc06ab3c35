"""The admin outbox page: loads rows through services/outbox.py, which checks the reader."""

import reflex as rx

from microgigs.db import session_scope
from microgigs.services import outbox
from microgigs.services.errors import DomainError
from microgigs.services.outbox import OutboxRow
from microgigs.state.session import SessionState


class OutboxState(SessionState):
    loaded: bool = False
    load_error: str = ""
    mails: list[OutboxRow] = []

    @rx.event
    def load_outbox(self):
        with session_scope() as session:
            actor = self._actor(session)
            if actor is None:
                return self._sign_in_redirect()
            try:
                self.mails = outbox.recent_mail(session, actor)
                self.load_error = ""
            except DomainError as error:
                self.mails = []
                self.load_error = error.message
        self.loaded = True
        return None
