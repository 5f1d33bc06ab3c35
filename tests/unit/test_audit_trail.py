"""The core loop end to end through the services, and the audit trail it leaves:
every transition is an AuditEvent naming who did it (None = the system)."""

import json

from sqlmodel import Session, select

from microgigs.models import AuditEvent, Engagement, Gig
from microgigs.services import accounts, applications, engagements, gigs, payments
from microgigs.services.applications import ApplicationInput
from microgigs.services.engagements import UploadedFile


def trail(session, subject_type: str, subject_id: int) -> list[tuple[str, int | None]]:
    events = session.exec(
        select(AuditEvent).where(AuditEvent.subject_type == subject_type, AuditEvent.subject_id == subject_id).order_by(AuditEvent.id)
    ).all()
    return [(e.action, e.actor_id) for e in events]


def test_core_loop_leaves_a_complete_audit_trail(session, make, db_engine):
    employer = make.employer(trusted=False)
    manager = employer.manager
    staff = make.staff()
    student = make.student()
    rival = make.student()

    gig = gigs.create_gig(session, manager, make.gig_input(slots=1, pay_cents=24_000, estimated_hours=12))
    gigs.approve_gig(session, staff, gig.id)
    application = applications.apply(session, student, gig.id, ApplicationInput(note="I know pandas well."))
    lost = applications.apply(session, rival, gig.id, ApplicationInput(note="Me too."))
    applications.shortlist(session, manager, application.id)
    engagement = applications.accept(session, manager, application.id)
    engagements.submit_deliverable(
        session, student, engagement.id, "First version attached.", files=[UploadedFile("v1.csv", b"a,b\n1,2\n")]
    )
    engagements.request_changes(session, manager, engagement.id, "Please add a header row description.")
    engagements.submit_deliverable(session, student, engagement.id, "Second version with notes.", link="https://example.com/v2")
    engagements.approve(session, manager, engagement.id, expected_version=2)
    session.commit()

    assert trail(session, "gig", gig.id) == [
        ("gig.created", manager.id),
        ("gig.in_review", manager.id),
        ("gig.open", staff.id),
        ("gig.filled", manager.id),
        ("gig.in_progress", None),
        ("gig.completed", None),
    ]
    assert trail(session, "application", application.id) == [
        ("application.submitted", student.id),
        ("application.shortlisted", manager.id),
        ("application.accepted", manager.id),
    ]
    assert trail(session, "application", lost.id) == [("application.submitted", rival.id), ("application.declined", None)]
    assert trail(session, "engagement", engagement.id) == [
        ("engagement.funding", manager.id),
        ("engagement.active", None),
        ("engagement.submitted", student.id),
        ("engagement.changes_requested", manager.id),
        ("engagement.submitted", student.id),
        ("engagement.approved", manager.id),
        ("engagement.paid", None),
    ]
    reveals = [(a, actor) for a, actor in trail(session, "user", student.id) if a == "pedigree.revealed"]
    assert reveals == [("pedigree.revealed", manager.id), ("pedigree.revealed", manager.id)]
    resubmitted = session.exec(select(AuditEvent).where(AuditEvent.action == "engagement.submitted").order_by(AuditEvent.id.desc())).first()
    assert json.loads(resubmitted.detail) == {"previous": "changes_requested"}

    # What was committed is what a fresh session reads back.
    with Session(db_engine) as fresh:
        assert fresh.get(Gig, gig.id).status == "completed"
        paid = fresh.get(Engagement, engagement.id)
        assert paid.status == "paid"
        assert payments.balance(fresh, engagement.id).balanced
        assert payments.balance(fresh, engagement.id).transferred == 24_000


def test_sign_in_and_out_are_audited(session, make):
    student = make.student()
    token = accounts.start_session(session, student)
    accounts.end_session(session, token)
    accounts.end_session(session, token)  # a second sign-out is not recorded again
    actions = [a for a, _ in trail(session, "user", student.id)]
    assert actions == ["user.signed_up", "user.signed_in", "user.signed_out"]


def test_every_audit_event_has_a_subject_and_an_action(session, make):
    hired = make.hired()
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    session.flush()
    for event in session.exec(select(AuditEvent)).all():
        assert event.action and "." in event.action
        assert event.subject_type in {"user", "organization", "gig", "application", "engagement", "credential", "dispute"}
        assert event.subject_id is not None and event.created_at is not None
