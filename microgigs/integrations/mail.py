"""Sending mail. Every mail is kept in the outbox table (admins read it at /admin/outbox)
and written to the log; when MICROGIGS_SMTP_HOST is set it is also sent over SMTP
(STARTTLS or implicit TLS, optional login), as multipart plain text + HTML.

SMTP delivery happens only after the database transaction that produced the mail commits,
so a refused action never sends mail. A delivery failure is logged (never the password)
and leaves the outbox row unsent.
"""

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy import event, update
from sqlmodel import Session

from microgigs.models import OutboxMail, utcnow
from microgigs.settings import get_settings

log = logging.getLogger("microgigs.mail")
_PENDING = "microgigs_mail_pending"


def send(session: Session, *, to: str, subject: str, text: str, html: str) -> OutboxMail:
    mail = OutboxMail(to_address=to, subject=subject, text_body=text, html_body=html)
    session.add(mail)
    log.info("mail to %s: %s", to, subject)
    if get_settings().smtp_host:
        pending = session.info.get(_PENDING)
        if pending is None:
            pending = session.info[_PENDING] = []
            event.listen(session, "after_commit", _deliver_after_commit)
            event.listen(session, "after_rollback", _forget_pending)
        pending.append(mail)
    return mail


def _forget_pending(session) -> None:
    session.info.get(_PENDING, []).clear()


def _deliver_after_commit(session) -> None:
    pending = list(session.info.get(_PENDING, []))
    session.info.get(_PENDING, []).clear()
    if not pending:
        return
    sent_ids = [mail.id for mail in pending if deliver(mail)]
    if sent_ids:
        with Session(session.get_bind()) as other:
            other.exec(update(OutboxMail).where(OutboxMail.id.in_(sent_ids)).values(sent_at=utcnow()))
            other.commit()


def build_message(mail: OutboxMail) -> EmailMessage:
    settings = get_settings()
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain="microgigs")
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    return message


def deliver(mail: OutboxMail) -> bool:
    """Send one mail over SMTP now; True when the server accepted it."""
    settings = get_settings()
    try:
        if settings.smtp_tls:
            smtp = smtplib.SMTP_SSL(
                settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds)
        with smtp:
            if settings.smtp_starttls and not settings.smtp_tls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(build_message(mail))
        return True
    except (OSError, smtplib.SMTPException) as error:
        # The error's class and text only: never the credentials or the body.
        log.error("mail to %s not sent via %s:%s: %s: %s", mail.to_address, settings.smtp_host, settings.smtp_port, type(error).__name__, error)
        return False
