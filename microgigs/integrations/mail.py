"""Sending mail. Embedded default: keep it in the outbox table and write it to the log."""

import logging

from sqlmodel import Session

from microgigs.models import OutboxMail

log = logging.getLogger("microgigs.mail")


def send(session: Session, *, to: str, subject: str, text: str, html: str) -> OutboxMail:
    mail = OutboxMail(to_address=to, subject=subject, text_body=text, html_body=html)
    session.add(mail)
    log.info("mail to %s: %s", to, subject)
    return mail
