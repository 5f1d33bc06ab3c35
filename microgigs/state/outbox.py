"""The admin outbox page: loads rows through services/outbox.py, which checks the reader;
"Send again" puts a failed mail back in the queue (services/mail_queue.py checks who asks)."""

import reflex as rx

from microgigs.db import session_scope
from microgigs.services import mail_queue, outbox
from microgigs.services.errors import DomainError
from microgigs.services.outbox import OutboxRow
from microgigs.state.session import SessionState


class OutboxState(SessionState):
    loaded: bool = False
    load_error: str = ""
    action_error: str = ""
    notice: str = ""
    mails: list[OutboxRow] = []

    def _read(self, session, actor) -> None:
        try:
            self.mails = outbox.recent_mail(session, actor)
            self.load_error = ""
        except DomainError as error:
            self.mails = []
            self.load_error = error.message

    @rx.event
    def load_outbox(self):
        self.notice = self.action_error = ""
        with session_scope() as session:
            actor = self._actor(session)
            if actor is None:
                return self._sign_in_redirect()
            self._read(session, actor)
        self.loaded = True
        return None

    @rx.event
    def send_again(self, mail_id: int):
        self.notice = self.action_error = ""
        with session_scope() as session:
            actor = self._actor(session)
            if actor is None:
                return self._sign_in_redirect()
            try:
                mail = mail_queue.send_again(session, actor, int(mail_id))
                self.notice = f"The mail to {mail.to_address} is back in the queue."
            except (DomainError, TypeError, ValueError) as error:
                self.action_error = getattr(error, "message", "That mail cannot be sent again.")
        with session_scope() as session:
            self._read(session, self._actor(session))
        return None
