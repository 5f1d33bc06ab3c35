"""The mail outbox as staff and admins may read it: every mail, where it stands in the queue,
and why one failed. One-time links are masked in what is stored, so nothing shown here can be
used to act as someone else."""

from dataclasses import dataclass

from sqlmodel import Session, select

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


def _status_text(mail: OutboxMail) -> str:
    when = "%Y-%m-%d %H:%M UTC"
    if mail.status == "sent":
        return f"Sent {mail.sent_at.strftime(when)}" if mail.sent_at else "Sent"
    if mail.status == "failed":
        return f"Failed after {mail.attempts} {'try' if mail.attempts == 1 else 'tries'}: {mail.last_error}"
    if mail.status == "cancelled":
        return mail.last_error or "Not sent"
    if mail.status == "sending":
        return "Being sent now"
    if mail.attempts:
        return f"Waiting: try {mail.attempts} failed ({mail.last_error}); next try {mail.next_attempt_at.strftime(when)}"
    return "Waiting to be sent"


def recent_mail(session: Session, actor: User | None, limit: int = 100) -> list[OutboxRow]:
    """The newest mail, newest first. Only career-center staff and admins may read it."""
    policy.require(policy.is_staff(actor), "Only career-center staff and admins can read the outbox.")
    limit = max(1, min(int(limit), MAX_ROWS))
    rows = session.exec(select(OutboxMail).order_by(OutboxMail.id.desc()).limit(limit)).all()
    return [
        OutboxRow(
            id=m.id,
            to_address=m.to_address,
            subject=m.subject,
            text_body=m.text_body[:4000],
            created=m.created_at.strftime("%Y-%m-%d %H:%M UTC"),
            status=m.status,
            status_text=_status_text(m),
            may_send_again=m.status == "failed",
        )
        for m in rows
    ]
