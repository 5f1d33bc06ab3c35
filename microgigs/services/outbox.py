"""The mail outbox as staff and admins may read it (the embedded default's "sent mail")."""

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
    status: str  # "sent" (accepted by the SMTP server) or "kept" (outbox only / not delivered)


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
            status="sent" if m.sent_at else "kept",
        )
        for m in rows
    ]
