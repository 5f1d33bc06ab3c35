"""Reading the audit log: staff see who did (or viewed) what, filtered by subject or actor."""

from dataclasses import dataclass

from sqlmodel import Session, select

from microgigs.models import AuditEvent, User
from microgigs.services import policy
from microgigs.services.validation import ValidationFailed

PAGE_SIZE = 200


@dataclass
class AuditRow:
    id: int
    at: str
    actor: str
    action: str
    subject: str
    detail: str


def search(session: Session, actor: User | None, *, subject_type: str = "", subject_id: str = "", actor_email: str = "") -> list[AuditRow]:
    """The newest events first; each filter is optional."""
    policy.require(policy.may_read_audit_log(actor), "Only career-center staff can read the audit log.")
    query = select(AuditEvent, User).join(User, User.id == AuditEvent.actor_id, isouter=True)
    if subject_type.strip():
        query = query.where(AuditEvent.subject_type == subject_type.strip().lower()[:30])
    if subject_id.strip():
        if not subject_id.strip().isdigit():
            raise ValidationFailed({"subject_id": "Enter the subject's number, like 12."})
        query = query.where(AuditEvent.subject_id == int(subject_id.strip()))
    if actor_email.strip():
        query = query.where(User.email == actor_email.strip().lower()[:254])
    rows = session.exec(query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(PAGE_SIZE)).all()
    return [
        AuditRow(
            id=event.id,
            at=event.created_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
            actor=f"{who.display_name} <{who.email}>" if who else "system",
            action=event.action,
            subject=f"{event.subject_type} {event.subject_id}",
            detail=event.detail[:300],
        )
        for event, who in rows
    ]
