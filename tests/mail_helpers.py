"""Reading mail in tests as its recipient would.

What the outbox stores has every one-time token masked; the token exists only in the mail as it
leaves. `deliver(session, mail)` takes a queued mail through the worker's own steps
(services/mail_queue: claim, prepare, record as sent) inside the test's session and returns the
message that left, so a test can follow its link like the recipient. Tests of the SMTP path
itself use a real SMTP server on loopback (tests/smtp_server.py).
"""

import re

from sqlmodel import Session, select

from microgigs.integrations.mail import OutgoingMail
from microgigs.models import OutboxMail
from microgigs.services import mail_queue


def last_mail_to(session: Session, to: str) -> OutboxMail:
    mail = session.exec(select(OutboxMail).where(OutboxMail.to_address == to).order_by(OutboxMail.id.desc())).first()
    assert mail is not None, f"no mail to {to}"
    return mail


def deliver(session: Session, mail: OutboxMail) -> OutgoingMail:
    assert mail_queue.claim(session, mail.id), f"mail {mail.id} is not due ({mail.status})"
    outgoing = mail_queue.prepare(session, mail.id)
    assert outgoing is not None, f"mail {mail.id} was not sent: {mail.last_error}"
    mail_queue.record_sent(session, mail.id)
    session.flush()
    return outgoing


def token_in(text: str, path: str) -> str:
    """The token of the first link to `path` in a mail's text."""
    match = re.search(re.escape(path) + r"\?token=([A-Za-z0-9_-]+)", text)
    assert match, f"no {path} link in:\n{text}"
    return match.group(1)


def received_token(session: Session, to: str, path: str) -> str:
    """Deliver the newest mail to `to` and return the token of its link to `path`."""
    outgoing = deliver(session, last_mail_to(session, to))
    raw = token_in(outgoing.text_body, path)
    assert raw in outgoing.html_body
    return raw
