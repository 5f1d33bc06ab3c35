"""The mail outbox as staff and admins may read it: every mail, where it stands in the queue,
and why one failed. One-time links are masked in what is stored, so nothing shown here can be
used to act as someone else."""

from dataclasses import dataclass

from sqlmodel import Session, select

from microgigs.i18n import DEFAULT as DEFAULT_LANGUAGE
from microgigs.i18n import format_datetime, gettext, ngettext, translate
from microgigs.models import OutboxMail, User
from microgigs.services import mail_queue, policy

MAX_ROWS = 200


@dataclass
class OutboxRow:
    id: int
    to_address: str
    subject: str
    text_body: str
    created: str
    status: str  # queued | sending | sent | failed | cancelled
    status_text: str  # where it stands, in words (with the reason of the last failure)
    may_send_again: bool


# The queue's own reasons are stored in English; they are shown in the reader's language (a
# mail server's answer is shown as it came).
_OWN_REASONS = {str(reason): reason for reason in (mail_queue.LINK_GONE, mail_queue.TURNED_OFF)}


def _status_text(mail: OutboxMail, language: str = DEFAULT_LANGUAGE, tz_name: str | None = None) -> str:
    error = translate(language, _OWN_REASONS.get(mail.last_error, mail.last_error))
    if mail.status == "sent":
        if mail.sent_at:
            return gettext(language, "Sent {moment}", moment=format_datetime(mail.sent_at, language, tz_name))
        return gettext(language, "Sent")
    if mail.status == "failed":
        return ngettext(language, "Failed after {count} try: {error}", "Failed after {count} tries: {error}", mail.attempts, error=error)
    if mail.status == "cancelled":
        return error or gettext(language, "Not sent")
    if mail.status == "sending":
        return gettext(language, "Being sent now")
    if mail.attempts:
        return gettext(
            language,
            "Waiting: try {count} failed ({error}); next try {moment}",
            count=mail.attempts,
            error=error,
            moment=format_datetime(mail.next_attempt_at, language, tz_name),
        )
    return gettext(language, "Waiting to be sent")


def recent_mail(session: Session, actor: User | None, limit: int = 100, language: str = DEFAULT_LANGUAGE) -> list[OutboxRow]:
    """The newest mail, newest first, its times and states in `language` and the reader's time
    zone. Only career-center staff and admins may read it."""
    policy.require(policy.is_staff(actor), "Only career-center staff and admins can read the outbox.")
    limit = max(1, min(int(limit), MAX_ROWS))
    rows = session.exec(select(OutboxMail).order_by(OutboxMail.id.desc()).limit(limit)).all()
    return [
        OutboxRow(
            id=m.id,
            to_address=m.to_address,
            subject=m.subject,
            text_body=m.text_body[:4000],
            created=format_datetime(m.created_at, language, actor.timezone),
            status=m.status,
            status_text=_status_text(m, language, actor.timezone),
            may_send_again=m.status == "failed",
        )
        for m in rows
    ]
