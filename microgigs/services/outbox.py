"""The mail outbox as staff and admins may read it: every mail, where it stands in the queue,
and why one failed. One-time links are masked in what is stored, so nothing shown here can be
used to act as someone else."""

from dataclasses import dataclass

from sqlmodel import Session, select

from microgigs.i18n import format_datetime, msg, translate
from microgigs.models import OutboxMail, User
from microgigs.services import policy

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


def _status_text(mail: OutboxMail, language: str) -> str:
    """Where the mail stands, in `language` (the server's error, like "451 try later", as it came)."""

    def when(moment) -> str:
        return format_datetime(moment, language, "UTC")

    if mail.status == "sent":
        text = msg("Sent {when}", when=when(mail.sent_at)) if mail.sent_at else msg("Sent")
    elif mail.status == "failed":
        if mail.attempts == 1:
            text = msg("Failed after {count} try: {error}", count=mail.attempts, error=mail.last_error)
        else:
            text = msg("Failed after {count} tries: {error}", count=mail.attempts, error=mail.last_error)
    elif mail.status == "cancelled":
        text = mail.last_error or msg("Not sent")
    elif mail.status == "sending":
        text = msg("Being sent now")
    elif mail.attempts:
        text = msg(
            "Waiting: try {count} failed ({error}); next try {when}",
            count=mail.attempts,
            error=mail.last_error,
            when=when(mail.next_attempt_at),
        )
    else:
        text = msg("Waiting to be sent")
    return translate(language, text)


def recent_mail(session: Session, actor: User | None, limit: int = 100, language: str = "en") -> list[OutboxRow]:
    """The newest mail, newest first, its dates and states in `language`. Only career-center
    staff and admins may read it."""
    policy.require(policy.is_staff(actor), msg("Only career-center staff and admins can read the outbox."))
    limit = max(1, min(int(limit), MAX_ROWS))
    rows = session.exec(select(OutboxMail).order_by(OutboxMail.id.desc()).limit(limit)).all()
    return [
        OutboxRow(
            id=m.id,
            to_address=m.to_address,
            subject=m.subject,
            text_body=m.text_body[:4000],
            created=format_datetime(m.created_at, language, "UTC"),
            status=m.status,
            status_text=_status_text(m, language),
            may_send_again=m.status == "failed",
        )
        for m in rows
    ]
