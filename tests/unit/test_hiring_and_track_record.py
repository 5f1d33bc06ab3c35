"""Try before you hire, and the employer track record students see."""

from datetime import timedelta

import pytest

from microgigs.models import Submission
from microgigs.services import engagements, gigs, hiring, reviews, track_record
from microgigs.services.errors import DomainError, NotAllowed, NotFound
from microgigs.services.reviews import ReviewInput


@pytest.fixture
def finished(session, make):
    hired = make.hired()
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    return hired


def test_interview_then_offer_is_recorded_and_counted(session, make, finished):
    manager, eid = finished.employer.manager, finished.engagement.id
    with pytest.raises(DomainError, match="after inviting"):
        hiring.record_offer(session, manager, eid)
    hiring.invite_to_interview(session, manager, eid)
    with pytest.raises(DomainError, match="already invited"):
        hiring.invite_to_interview(session, manager, eid)
    hiring.record_offer(session, manager, eid)
    assert finished.engagement.interview_invited_at and finished.engagement.offer_made_at
    [row] = hiring.conversion_by_employer(session, make.staff())
    assert (row.finished, row.interviews, row.offers) == (1, 1, 1)
    with pytest.raises(NotAllowed):
        hiring.conversion_by_employer(session, manager)


def test_only_the_gigs_managers_and_only_after_approval(session, make):
    hired = make.hired()
    with pytest.raises(DomainError, match="once the work is approved"):
        hiring.invite_to_interview(session, hired.employer.manager, hired.engagement.id)
    for outsider in (hired.student, make.employer().manager, make.student()):
        with pytest.raises(NotFound):
            hiring.invite_to_interview(session, outsider, hired.engagement.id)


def test_track_record_reflects_what_happened(session, make, finished):
    org = finished.employer.org.id
    record = track_record.track_record(session, org)
    assert record.finished_engagements == 1 and record.paid_on_time_percent == 100
    assert record.median_review_days is not None and record.median_review_days < 1
    assert record.rating is None and record.unanswered_percent == 0
    reviews.write_review(session, finished.student, finished.engagement.id, ReviewInput([4, 4, 4, 4]))
    reviews.write_review(session, finished.employer.manager, finished.engagement.id, ReviewInput([5, 5, 5]))
    assert track_record.track_record(session, org).rating == 4.0


def test_a_submission_left_unanswered_counts_against_the_employer(session, make):
    hired = make.hired()
    submission: Submission = make.submit(hired)
    later = submission.created_at + timedelta(days=8)
    record = track_record.track_record(session, hired.employer.org.id, now=later)
    # One submission unanswered out of two answerable things (the submission and the accepted applicant).
    assert record.unanswered_percent == 50
    assert track_record.track_record(session, make.employer().org.id).unanswered_percent is None


def test_the_gig_page_shows_the_record_in_plain_words(session, make, finished):
    lines = gigs.gig_detail(session, None, make.gig(finished.employer).id).employer_record
    assert lines[0] == "Reviews submissions in under a day (median)"
    assert lines[1] == "Paid 100% of students on time (1 paid)"
    assert lines[2] == "Not rated yet"
    new_employer_lines = gigs.gig_detail(session, None, make.gig(make.employer()).id).employer_record
    assert new_employer_lines == ["No submissions reviewed yet", "No students paid yet", "Not rated yet", "Nothing to answer yet"]


def test_an_applicant_shortlisted_before_decisions_were_dated_counts_as_answered_by_the_audit_trail(session, make):
    from datetime import UTC, datetime, time

    from microgigs.services import applications

    employer = make.employer()
    gig = make.gig(employer, slots=3)
    answered, _ = make.apply(make.student(), gig), make.apply(make.student(), gig)
    applications.shortlist(session, employer.manager, answered.id)
    session.flush()
    answered.decided_at = None  # as an application shortlisted before decided_at was kept
    session.flush()
    past_due = datetime.combine(gig.application_deadline, time(), tzinfo=UTC) + track_record.ANSWER_WITHIN + timedelta(days=1)
    # The other applicant is unanswered: one of two answerable things.
    assert track_record.track_record(session, employer.org.id, past_due).unanswered_percent == 50
