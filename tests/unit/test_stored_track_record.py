"""Issue 14, point 7: the public gig page's employer track record is computed when it changes,
not on every anonymous view. A view reads the stored row by its primary key and nothing else
of the record's facts; every change to those facts stores it afresh as it commits; time alone
(a week without an answer, a blind review publishing itself) is caught by the stored expiry:
the page computes it on the spot past the expiry, and the job stores it."""

import logging
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, text, update
from sqlmodel import select

from microgigs import jobs
from microgigs.models import Application, EmployerTrackRecord, Gig, Submission, utcnow
from microgigs.services import applications, engagements, gigs, reviews, track_record
from microgigs.services.reviews import BLIND_DAYS, ReviewInput

SENTINEL = 99  # a value no real record here has: if it is gone, the row was stored again


def gigs_deadline_start(gig: Gig) -> datetime:
    return datetime.combine(gig.application_deadline, datetime.min.time(), tzinfo=UTC)


def stored(session, organization_id: int) -> EmployerTrackRecord | None:
    session.expire_all()
    return session.get(EmployerTrackRecord, organization_id)


def as_record(row: EmployerTrackRecord) -> track_record.TrackRecord:
    return track_record.TrackRecord(
        median_review_days=row.median_review_days,
        paid_on_time_percent=row.paid_on_time_percent,
        rating=row.rating,
        rating_count=row.rating_count,
        unanswered_percent=row.unanswered_percent,
        finished_engagements=row.finished_engagements,
    )


def mark(session, organization_id: int) -> None:
    """Scribble on the stored row behind the ORM's back (no change of any fact)."""
    session.execute(
        update(EmployerTrackRecord).where(EmployerTrackRecord.organization_id == organization_id).values(finished_engagements=SENTINEL)
    )
    session.commit()
    assert stored(session, organization_id).finished_engagements == SENTINEL


def assert_fresh(session, organization_id: int) -> None:
    row = stored(session, organization_id)
    assert row is not None and row.finished_engagements != SENTINEL
    assert as_record(row) == track_record.track_record(session, organization_id)


class Statements:
    """The SQL a block of code sends (SQLAlchemy's before_cursor_execute)."""

    def __init__(self, engine):
        self.engine, self.sent = engine, []

    def _record(self, _conn, _cursor, statement, *_):
        self.sent.append(" ".join(statement.lower().split()))

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_):
        event.remove(self.engine, "before_cursor_execute", self._record)


@pytest.fixture
def finished(session, make):
    """An employer with one approved, paid engagement and one more open gig; committed."""
    hired = make.hired()
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    other_gig = make.gig(hired.employer, title="Another open gig")
    session.commit()
    return hired, other_gig


def test_an_anonymous_view_reads_the_stored_row_and_none_of_the_facts(session, db_engine, finished):
    hired, gig = finished
    org = hired.employer.org.id
    assert_fresh(session, org)  # stored when the approval committed
    session.expire_all()

    with Statements(db_engine) as sql:
        lines = gigs.gig_detail(session, None, gig.id).employer_record

    assert lines[1] == "Paid 100% of students on time (1 paid)"
    fact_tables = ("engagement", "submission", "application", "review", "auditevent")
    assert [s for s in sql.sent if any(f" {table} " in f" {s} " or f'"{table}"' in s for table in fact_tables)] == []
    reads = [s for s in sql.sent if "employertrackrecord" in s]
    # One read by key (SQLite's placeholder is "?", psycopg's "%(name)s").
    assert len(reads) == 1 and re.search(r"where employertrackrecord\.organization_id = (\?|%\(\w+\)s)", reads[0])


def test_what_the_page_shows_is_the_stored_row(session, finished):
    hired, gig = finished
    mark(session, hired.employer.org.id)
    assert gigs.gig_detail(session, None, gig.id).employer_record[1] == f"Paid 100% of students on time ({SENTINEL} paid)"


def test_each_change_of_a_fact_stores_the_record_again_as_it_commits(session, make, finished):
    hired, gig = finished
    employer, org = hired.employer, hired.employer.org.id

    steps = []

    def step(name, action):
        mark(session, org)
        action()
        session.commit()
        assert_fresh(session, org)
        steps.append(name)

    student = make.student()
    application = None

    def apply():
        nonlocal application
        application = make.apply(student, gig)

    step("an application made", apply)
    step("an application decided (shortlisted)", lambda: applications.shortlist(session, employer.manager, application.id))
    step("an application withdrawn", lambda: applications.withdraw(session, student, application.id))
    second = make.hired(employer=employer, title="Second piece of work")
    session.commit()
    step("a submission made", lambda: make.submit(second))
    step(
        "a submission decided (changes requested)",
        lambda: engagements.request_changes(session, employer.manager, second.engagement.id, "Please add the sources."),
    )
    step("a new version made", lambda: make.submit(second, note="Now with the sources listed at the end."))
    step("a submission approved and the engagement paid", lambda: engagements.approve(session, employer.manager, second.engagement.id))
    assert stored(session, org).finished_engagements == 2
    step(
        "a review of the employer written",
        lambda: reviews.write_review(session, second.student, second.engagement.id, ReviewInput([4, 4, 4, 4])),
    )
    assert stored(session, org).rating is None  # blind until both are in
    step(
        "both reviews in, so published",
        lambda: reviews.write_review(session, employer.manager, second.engagement.id, ReviewInput([5, 5, 5])),
    )
    assert stored(session, org).rating == 4.0

    assert len(steps) == 9


def test_a_rolled_back_change_stores_nothing(session, make, finished):
    hired, gig = finished
    org = hired.employer.org.id
    mark(session, org)
    make.apply(make.student(), gig)
    session.rollback()
    assert stored(session, org).finished_engagements == SENTINEL


def test_time_alone_expires_the_record_the_page_computes_it_and_the_job_stores_it(session, make):
    hired = make.hired()
    submission: Submission = make.submit(hired)
    session.commit()
    org = hired.employer.org.id
    row = stored(session, org)
    late_from = submission.created_at + track_record.ANSWER_WITHIN + timedelta(microseconds=1)
    assert row.stale_after == late_from  # the undecided submission turns "unanswered" then
    assert row.unanswered_percent == 0

    assert track_record.refresh_due(session, row.computed_at + timedelta(minutes=30)) == 0  # nothing due yet
    before = late_from - timedelta(seconds=1)
    assert track_record.shown_record(session, org, before).unanswered_percent == 0

    after = late_from + timedelta(seconds=1)
    # Past the expiry the page does not show the stored, outdated figure...
    assert track_record.shown_record(session, org, after).unanswered_percent == 50
    assert stored(session, org).unanswered_percent == 0  # ...and a view writes nothing
    # ...and the job stores the new one.
    assert track_record.refresh_due(session, after) == 1
    session.commit()
    row = stored(session, org)
    assert row.unanswered_percent == 50
    # Next: the accepted applicant's answer falls due a week after the gig's application deadline.
    assert row.stale_after == gigs_deadline_start(hired.gig) + track_record.ANSWER_WITHIN


def test_an_applicants_answer_falling_due_and_a_blind_review_publishing_expire_the_record(session, make):
    employer = make.employer()
    gig = make.gig(employer)
    make.apply(make.student(), gig)
    session.commit()
    due = gigs_deadline_start(gig) + track_record.ANSWER_WITHIN
    assert stored(session, employer.org.id).stale_after == due

    finished = make.hired(employer=employer, title="Reviewed work")
    make.submit(finished)
    engagements.approve(session, employer.manager, finished.engagement.id)
    review = reviews.write_review(session, finished.student, finished.engagement.id, ReviewInput([3, 3, 3, 3]))
    session.commit()
    publishes = review.created_at + timedelta(days=BLIND_DAYS)
    assert stored(session, employer.org.id).stale_after == min(due, publishes)
    assert track_record.shown_record(session, employer.org.id, publishes).rating == 3.0


def test_the_job_stores_missing_records_and_every_record_at_least_hourly(session, make, finished):
    hired, _ = finished
    newcomer = make.employer()  # no gig, no fact: nothing has stored its record yet
    session.commit()
    assert stored(session, newcomer.org.id) is None
    now = utcnow()
    assert track_record.refresh_due(session, now) == 1  # the newcomer
    session.commit()
    assert stored(session, newcomer.org.id) is not None

    mark(session, hired.employer.org.id)  # went around the ORM: no change noticed
    assert track_record.refresh_due(session, now + timedelta(minutes=5)) == 0
    assert track_record.refresh_due(session, now + track_record.REFRESH_AT_LEAST_EVERY + timedelta(seconds=1)) == 2
    session.commit()
    assert_fresh(session, hired.employer.org.id)


def test_the_refresh_is_one_of_the_scheduled_jobs():
    assert track_record.refresh_due in [job.run for job in jobs.JOBS]


def test_a_record_the_page_shows_before_any_is_stored_is_computed_on_the_spot(session, make):
    employer = make.employer()
    gig = make.gig(employer)  # not committed: nothing stored yet
    assert session.get(EmployerTrackRecord, employer.org.id) is None
    assert gigs.gig_detail(session, None, gig.id).employer_record == [
        "No submissions reviewed yet",
        "No students paid yet",
        "Not rated yet",
        "Nothing to answer yet",
    ]
    assert session.exec(select(EmployerTrackRecord)).all() == []


def test_moving_a_gigs_deadline_stores_the_record_again(session, make, finished):
    hired, gig = finished
    org = hired.employer.org.id
    make.apply(make.student(), gig)
    session.commit()
    mark(session, org)
    gig.application_deadline = date.today() + timedelta(days=3)
    session.add(gig)
    session.commit()
    assert_fresh(session, org)


def test_failing_to_store_the_record_does_not_undo_the_change_that_caused_it(session, make, finished, caplog):
    """Derived data: e.g. a database not yet migrated to have the table. The job stores it later."""
    _hired, gig = finished
    session.execute(text("DROP TABLE employertrackrecord"))
    session.commit()
    student = make.student()
    application = make.apply(student, gig)
    with caplog.at_level(logging.ERROR, logger="microgigs.track_record"):
        session.commit()
    assert session.get(Application, application.id).status == "submitted"
    assert "was not stored; the job will store it" in caplog.text
