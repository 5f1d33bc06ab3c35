"""Who looked at whose data: view events in the audit log ("who viewed student X").

A view is an AuditEvent with action "viewed.<kind>" whose subject is the person whose data
was shown (subject_type "user"), or for staff exports the report (subject_type "report").
Pages record a view once per open (on_load), never on live reloads; a repeat of the same
view by the same person within DEDUPE_WINDOW is not written again, so a refresh or a
double click costs one indexed read and no row.
"""

import json
from datetime import timedelta

from sqlmodel import Session, select

from microgigs.i18n import _
from microgigs.models import AuditEvent, User, utcnow
from microgigs.services import audit, policy

# What a page can show, and the words the audit-log filter offers for it.
VIEW_KINDS = {
    "applicant": _("an application (list of applicants)"),
    "profile": _("a student's profile"),
    "workspace": _("an engagement workspace"),
    "photo": _("a profile photo"),
    "export": _("a data export"),
}
VIEW_PREFIX = "viewed."
DEDUPE_WINDOW = timedelta(minutes=10)


def view_action(kind: str) -> str:
    return f"{VIEW_PREFIX}{kind}"


def record_views(session: Session, actor: User | None, kind: str, subjects: list[tuple[str, int, dict]]) -> int:
    """Record that `actor` saw each (subject_type, subject_id, detail); returns how many rows
    were written. People looking at their own data are not recorded, nor is anyone signed out."""
    if kind not in VIEW_KINDS:
        raise ValueError(f"unknown view kind {kind!r}")
    if not policy.is_active_user(actor):
        return 0
    wanted = [
        (subject_type, subject_id, detail)
        for subject_type, subject_id, detail in subjects
        if not (subject_type == "user" and subject_id == actor.id)
    ]
    if not wanted:
        return 0
    action = view_action(kind)
    # One read for the whole batch: this person's views of this kind in the window.
    recent = {
        (row.subject_type, row.subject_id, row.detail)
        for row in session.exec(
            select(AuditEvent).where(
                AuditEvent.actor_id == actor.id,
                AuditEvent.action == action,
                AuditEvent.created_at >= utcnow() - DEDUPE_WINDOW,
            )
        )
    }
    written = 0
    for subject_type, subject_id, detail in wanted:
        # Same serialization as audit.record, so the detail compares equal.
        key = (subject_type, subject_id, json.dumps(detail, default=str, sort_keys=True) if detail else "")
        if key in recent:
            continue
        recent.add(key)
        audit.record(session, actor, action, subject_type, subject_id, **detail)
        written += 1
    if written:
        session.flush()
    return written


def record_view(session: Session, actor: User | None, kind: str, subject_type: str, subject_id: int, **detail: object) -> int:
    return record_views(session, actor, kind, [(subject_type, subject_id, detail)])
