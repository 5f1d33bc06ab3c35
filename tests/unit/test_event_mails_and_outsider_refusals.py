"""Mail for the events people act on, and the workspace refusing outsiders, where other files
leave a gap:

- email for the events people act on: new applicant, decision (accepted, and the automatic
  decline when the gig fills), submission, change request, approval + payment;
- every workspace and selection action, and every file, refused for another student, a manager
  of another employer and a signed-out visitor, with nothing written;
- applying to one's own organization's gig (a manager is never an applicant).
"""

from datetime import date, timedelta

import pytest
from sqlmodel import func, select

from microgigs.models import (
    Application,
    AuditEvent,
    Engagement,
    EngagementMessage,
    ExtensionRequest,
    Milestone,
    OutboxMail,
    Submission,
    SubmissionFile,
)
from microgigs.services import applications, closing, engagements, milestones
from microgigs.services.applications import ApplicationInput
from microgigs.services.engagements import UploadedFile
from microgigs.services.errors import DomainError


def _mail_to(session, user) -> list[str]:
    return list(session.exec(select(OutboxMail.subject).where(OutboxMail.to_address == user.email).order_by(OutboxMail.id)))


def test_email_goes_out_for_each_event_people_act_on(session, make):
    employer = make.employer()
    gig = make.gig(employer, slots=1)
    chosen, other = make.student(), make.student()
    application = make.apply(chosen, gig)
    make.apply(other, gig)
    assert sum("New applicant" in s for s in _mail_to(session, employer.manager)) == 2

    engagement = applications.accept(session, employer.manager, application.id)
    assert any(f"You are accepted for {gig.title}" in s for s in _mail_to(session, chosen))
    # The gig filled: the other applicant gets a decision by mail, not silence.
    assert any(f"Decision on {gig.title}" in s for s in _mail_to(session, other))

    before = len(_mail_to(session, employer.manager))
    engagements.submit_deliverable(
        session, chosen, engagement.id, "Version one: the cleaned data set and a README.", "https://example.com/v1"
    )
    assert any("New submission (v1)" in s for s in _mail_to(session, employer.manager)[before:])
    engagements.request_changes(session, employer.manager, engagement.id, "Please document the encoding fixes.", expected_version=1)
    assert any(f"Changes requested on {gig.title}" in s for s in _mail_to(session, chosen))
    engagements.submit_deliverable(
        session, chosen, engagement.id, "Version two: the README now lists every encoding fix.", "https://example.com/v2"
    )
    engagements.approve(session, employer.manager, engagement.id, expected_version=2)
    assert any(f"Approved and paid: {gig.title}" in s for s in _mail_to(session, chosen))


def test_a_manager_cannot_apply_to_their_own_organizations_gig(session, make):
    employer = make.employer()
    gig = make.gig(employer)
    with pytest.raises(DomainError, match="Only students can apply"):
        applications.apply(session, employer.manager, gig.id, ApplicationInput(note="Our own gig, but I would like to do it."))
    assert session.exec(select(func.count(Application.id))).one() == 0


def _outsiders(make):
    """Another student, a manager of another employer, and a signed-out visitor (no actor)."""
    return [("another student", make.student()), ("another employer's manager", make.employer().manager), ("signed-out visitor", None)]


def _counts(session) -> dict[str, int]:
    tables = (Application, Engagement, Submission, EngagementMessage, ExtensionRequest, Milestone, AuditEvent)
    return {t.__name__: session.exec(select(func.count()).select_from(t)).one() for t in tables}


def test_every_action_and_every_file_is_refused_to_outsiders_with_nothing_written(session, make):
    hired = make.hired(slots=2)
    e, gig, manager, student = hired.engagement, hired.gig, hired.employer.manager, hired.student
    make.submit(hired, files=[UploadedFile("report.pdf", b"%PDF-1.4 the report")])
    waiting = make.apply(make.student(), gig)  # an applicant still waiting for a decision
    request = engagements.request_extension(session, student, e.id, e.due_date + timedelta(days=3), "The export came late.")
    milestone = milestones.add_milestone(session, manager, e.id, "Data cleaned", date.today())
    file_id = session.exec(select(SubmissionFile.id)).one()
    session.flush()
    actions = {
        "shortlist": lambda who: applications.shortlist(session, who, waiting.id),
        "decline": lambda who: applications.decline(session, who, waiting.id, "Not this time."),
        "accept": lambda who: applications.accept(session, who, waiting.id),
        "withdraw": lambda who: applications.withdraw(session, who, waiting.id),
        "submit": lambda who: engagements.submit_deliverable(
            session, who, e.id, "Somebody else's deliverable, long enough.", "https://example.com/x"
        ),
        "approve": lambda who: engagements.approve(session, who, e.id, expected_version=1),
        "request changes": lambda who: engagements.request_changes(session, who, e.id, "Redo it all.", expected_version=1),
        "message": lambda who: engagements.post_message(session, who, e.id, "Let me in."),
        "ask for more time": lambda who: engagements.request_extension(session, who, e.id, e.due_date + timedelta(days=5), "Why not."),
        "answer the extension": lambda who: engagements.answer_extension(session, who, e.id, request.id, True),
        "cancel": lambda who: closing.cancel_one_engagement(session, who, e.id, "Because."),
        "add a milestone": lambda who: milestones.add_milestone(session, who, e.id, "Mine now", date.today()),
        "check in": lambda who: milestones.check_in(session, who, e.id, milestone.id, True),
        "download the file": lambda who: engagements.file_for_download(session, who, file_id),
    }
    for who_label, who in _outsiders(make):
        session.flush()
        before = _counts(session)
        for label, act in actions.items():
            with pytest.raises(DomainError):
                act(who)
            assert _counts(session) == before, f"{who_label}: {label} wrote something"
    session.refresh(waiting)
    session.refresh(e)
    assert (waiting.status, e.status, request.status, milestone.status) == ("submitted", "submitted", "pending", "open")
