"""The admin outbox page: loads rows through services/outbox.py, which checks the reader;
"Send again" puts a failed mail back in the queue (services/mail_queue.py checks who asks)."""

import reflex as rx

from microgigs.services import mail_queue, outbox
from microgigs.services.errors import DomainError
from microgigs.services.outbox import OutboxRow
from microgigs.services.validation import parse_id
from microgigs.state.session import SessionState


class OutboxState(SessionState):
    loaded: bool = False
    load_error: str = ""
    action_error: str = ""
    notice: str = ""
    mails: list[OutboxRow] = []

    def _load(self, session, actor) -> None:
        try:
            self.mails = outbox.recent_mail(session, actor)
            self.load_error = ""
        except DomainError as error:
            self.mails = []
            self.load_error = error.message

    @rx.event
    def load_outbox(self):
        self.notice = self.action_error = ""
        return self._read_page()

    @rx.event
    def send_again(self, mail_id: int):
        self.notice = self.action_error = ""
        wanted = parse_id(mail_id)
        if wanted is None:  # not an id (a forged event)
            self.action_error = "That mail cannot be sent again."
        else:
            acted = self._act(lambda session, actor: mail_queue.send_again(session, actor, wanted).to_address)
            if acted.redirect is not None:
                return acted.redirect
            if acted.ok:
                self.notice = f"The mail to {acted.value} is back in the queue."
            else:
                self.action_error = acted.error
        return self._read(self._load)
