"""Timed rules: auto-approval after N days of manager silence (with a reminder the day before),
and reminders before due dates and application deadlines; each job is idempotent."""

from datetime import UTC, datetime, time, timedelta

from sqlmodel import select

from microgigs.models import AuditEvent, Notification, OutboxMail, SavedGig
from microgigs.services import engagements, payments, reminders


def _kinds(session, user_id) -> list[str]:
    return list(session.exec(select(Notification.kind).where(Notification.user_id == user_id)).all())


def test_a_submission_left_unanswered_is_approved_and_paid_after_n_days_with_a_reminder_first(session, make):
    hired = make.hired()
    make.submit(hired)
    e, manager = hired.engagement, hired.employer.manager
    submitted = e.submitted_at
    # Day 5: nothing yet.
    assert reminders.auto_approvals(session, submitted + timedelta(days=5)) == 0
    # Day 6 (7 - 1): the managers are reminded, once.
    assert reminders.auto_approvals(session, submitted + timedelta(days=6, hours=1)) == 1
    assert reminders.auto_approvals(session, submitted + timedelta(days=6, hours=2)) == 0
    assert _kinds(session, manager.id).count("reminder.auto_approval") == 1
    assert session.exec(select(OutboxMail).where(OutboxMail.to_address == manager.email, OutboxMail.subject.like("Review %"))).first()
    assert engagements.auto_approve_silent(session, submitted + timedelta(days=6, hours=23)) == 0
    assert e.status == "submitted"
    # Day 7: approved and paid; a second run changes nothing.
    assert engagements.auto_approve_silent(session, submitted + timedelta(days=7, minutes=1)) == 1
    assert e.status == "paid"
    assert engagements.auto_approve_silent(session, submitted + timedelta(days=8)) == 0
    assert payments.balance(session, e.id).balanced
    assert "engagement.paid" in _kinds(session, e.student_id)
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "engagement.auto_approved", AuditEvent.subject_id == e.id)).one()


def test_auto_approval_waits_for_the_setting_and_ignores_answered_work(session, make, set_setting):
    set_setting("auto_approve_days", 3)
    hired = make.hired()
    make.submit(hired)
    engagements.request_changes(session, hired.employer.manager, hired.engagement.id, "Add a README.")
    assert engagements.auto_approve_silent(session, hired.engagement.submitted_at + timedelta(days=30)) == 0
    assert hired.engagement.status == "changes_requested"


def test_a_new_version_gets_its_own_auto_approval_reminder(session, make):
    hired = make.hired()
    make.submit(hired)
    first = hired.engagement.submitted_at
    assert reminders.auto_approvals(session, first + timedelta(days=6, hours=1)) == 1
    engagements.request_changes(session, hired.employer.manager, hired.engagement.id, "Add a README.")
    make.submit(hired, note="Now with the README as asked.")
    hired.engagement.submitted_at = first + timedelta(days=6, hours=2)
    session.add(hired.engagement)
    session.flush()
    assert reminders.auto_approvals(session, first + timedelta(days=12, hours=3)) == 1


def test_due_date_reminder_goes_to_the_student_once_the_day_before(session, make):
    hired = make.hired()
    due = hired.engagement.due_date
    assert reminders.due_dates(session, datetime.combine(due - timedelta(days=3), time(9), tzinfo=UTC)) == 0
    the_day_before = datetime.combine(due - timedelta(days=1), time(9), tzinfo=UTC)
    assert reminders.due_dates(session, the_day_before) == 1
    assert reminders.due_dates(session, the_day_before + timedelta(hours=5)) == 0
    assert _kinds(session, hired.student.id).count("reminder.due_date") == 1


def test_application_deadline_reminder_goes_to_students_who_saved_but_did_not_apply(session, make):
    employer = make.employer()
    gig = make.gig(employer)
    saver, applicant = make.student(), make.student()
    make.apply(applicant, gig)
    session.add_all([SavedGig(user_id=saver.id, gig_id=gig.id), SavedGig(user_id=applicant.id, gig_id=gig.id)])
    session.flush()
    the_day_before = datetime.combine(gig.application_deadline - timedelta(days=1), time(9), tzinfo=UTC)
    assert reminders.application_deadlines(session, the_day_before) == 1
    assert reminders.application_deadlines(session, the_day_before) == 0
    assert "reminder.application_deadline" in _kinds(session, saver.id)
    assert "reminder.application_deadline" not in _kinds(session, applicant.id)
