"""Scheduled work: gigs past their application deadline stop taking people; a failing job
does not stop the others."""

from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta

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


def test_a_backlog_of_closed_gigs_is_worked_off_in_batches_oldest_deadline_first(session, make, monkeypatch):
    """After downtime many gigs may be past their deadline: each run closes a batch (a short
    transaction), the oldest deadlines first, and the next runs take the rest."""
    employer = make.employer()
    made = [make.gig(employer) for _ in range(5)]
    for n, gig in enumerate(made):
        gig.application_deadline -= timedelta(days=n)  # made[-1] has the oldest deadline
        session.add(gig)
    session.flush()
    monkeypatch.setattr(closing, "CLOSE_BATCH", 2)
    now = after(made[0].application_deadline)
    assert closing.close_past_deadline(session, now) == 2
    assert [g.status for g in made] == ["open", "open", "open", "expired", "expired"]
    assert closing.close_past_deadline(session, now) == 2
    assert closing.close_past_deadline(session, now) == 1
    assert closing.close_past_deadline(session, now) == 0
    assert {g.status for g in made} == {"expired"}


def test_one_failing_job_does_not_stop_the_others(session, monkeypatch):
    @contextmanager
    def scope():
        yield session

    def broken(_session, _now):
        raise RuntimeError("boom")

    monkeypatch.setattr(jobs, "session_scope", scope)
    monkeypatch.setattr(jobs, "JOBS", [jobs.Job("broken", broken), jobs.Job("fine", lambda _s, _n: 3)])
    assert jobs.run_due_jobs() == {"broken": -1, "fine": 3}
