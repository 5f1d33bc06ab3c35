"""Scheduled work: gigs past their application deadline stop taking people; a failing job
does not stop the others."""

from contextlib import contextmanager
from datetime import datetime, time, timedelta, UTC

from microgigs import jobs
from microgigs.services import applications, closing


def after(day) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(9), tzinfo=UTC)


def test_a_gig_nobody_was_accepted_for_expires_and_its_applicants_hear_so(session, make):
    employer = make.employer()
    gig = make.gig(employer)
    waiting = make.apply(make.student(), gig)
    assert closing.close_past_deadline(session, after(gig.application_deadline - timedelta(days=1))) == 0
    assert gig.status == "open"
    assert closing.close_past_deadline(session, after(gig.application_deadline)) == 1
    assert (gig.status, waiting.status) == ("expired", "declined")
    assert waiting.feedback == "The application deadline passed."
    # Running again changes nothing (several workers may run the same job).
    assert closing.close_past_deadline(session, after(gig.application_deadline)) == 0


def test_a_partly_filled_gig_keeps_who_it_has(session, make):
    employer = make.employer()
    gig = make.gig(employer, slots=2)
    accepted = applications.accept(session, employer.manager, make.apply(make.student(), gig).id)
    waiting = make.apply(make.student(), gig)
    closing.close_past_deadline(session, after(gig.application_deadline))
    assert (gig.status, waiting.status, accepted.status) == ("filled", "declined", "active")


def test_one_failing_job_does_not_stop_the_others(session, monkeypatch):
    @contextmanager
    def scope():
        yield session

    def broken(_session, _now):
        raise RuntimeError("boom")

    monkeypatch.setattr(jobs, "session_scope", scope)
    monkeypatch.setattr(jobs, "JOBS", [jobs.Job("broken", broken), jobs.Job("fine", lambda _s, _n: 3)])
    assert jobs.run_due_jobs() == {"broken": -1, "fine": 3}
