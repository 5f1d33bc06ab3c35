"""Recording who did what: every state transition and every pedigree reveal."""

import json

from sqlmodel import Session

from microgigs.models import AuditEvent, User


def record(
    session: Session,
    actor: User | None,
    action: str,
    subject_type: str,
    subject_id: int,
    **detail: object,
) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=json.dumps(detail, default=str, sort_keys=True) if detail else "",
    )
    session.add(event)
    return event
