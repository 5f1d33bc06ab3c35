"""An employer's track record, shown to students on its gig pages: how fast it reviews
work, whether it pays on time, how students rate it, and how often it leaves
applicants or submissions unanswered past their deadline.

A public gig page is read far more often than these facts change, and computing the record
reads every gig, engagement, submission and application of the employer. So it is stored
(EmployerTrackRecord, one row per employer) and computed again:
- in the same transaction as any change to the rows it is made of (a gig's deadline, an
  application decided, an engagement approved or paid, a submission made or decided, a review
  written or published): each flush notes the employers those rows belong to, and just before
  the commit their records are stored afresh, so no service can forget to;
- by a job (jobs.py) once its `stale_after` has passed (time alone makes a submission or an
  applicant "unanswered", or publishes a blind review), and at least hourly anyway (a writer
  that went around the ORM, two transactions storing the same record at once).
A gig page reads the row by its primary key. A missing or expired row is computed on the spot
and not stored (a page view writes nothing) until the job or the next change stores it.
"""

import logging
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import event, func, inspect, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from microgigs.i18n import DEFAULT, gettext
from microgigs.models import Application, AuditEvent, EmployerTrackRecord, Engagement, Gig, Organization, Review, Submission, utcnow
from microgigs.services import reviews
from microgigs.services.statuses import ApplicationStatus, EngagementStatus

log = logging.getLogger("microgigs.track_record")

# Paid "on time" means within this long of the approval (the platform's promise: within a day).
ON_TIME = timedelta(days=1)
# A submission or an applicant left this long without an answer counts as unanswered.
ANSWER_WITHIN = timedelta(days=7)
# The job stores each employer's record again at least this often, whatever happened.
REFRESH_AT_LEAST_EVERY = timedelta(hours=1)
# The smallest step of a stored time: "more than a week" starts one step after the week.
_TICK = timedelta(microseconds=1)


@dataclass
class TrackRecord:
    median_review_days: float | None
    paid_on_time_percent: int | None
    rating: float | None
    rating_count: int
    unanswered_percent: int | None
    finished_engagements: int


def _shortlisted_at(session: Session, application_ids: list[int]) -> dict[int, datetime]:
    """When each of these applications was first shortlisted (from the audit trail: older
    applications were shortlisted before `decided_at` was kept), in one query."""
    if not application_ids:
        return {}
    rows = session.execute(
        select(AuditEvent.subject_id, func.min(AuditEvent.created_at))
        .where(
            AuditEvent.subject_type == "application",
            AuditEvent.action == "application.shortlisted",
            AuditEvent.subject_id.in_(application_ids),
        )
        .group_by(AuditEvent.subject_id)
    )
    return {application_id: at for application_id, at in rows}


def track_record(session: Session, organization_id: int, now: datetime | None = None) -> TrackRecord:
    """Public facts (anyone may see them on a gig page); computed from what happened."""
    return _compute(session, organization_id, now or utcnow())[0]


def _compute(session: Session, organization_id: int, now: datetime) -> tuple[TrackRecord, datetime | None]:
    """The record as of `now`, and the next moment the passing of time alone changes it."""
    # Only the columns the record is made of, one query a table: this runs in the transaction of
    # every change to an employer's applications and engagements (a crowd applying included).
    deadlines = dict(session.execute(select(Gig.id, Gig.application_deadline).where(Gig.organization_id == organization_id)).all())
    gig_ids = list(deadlines)
    engagements = (
        session.execute(select(Engagement.status, Engagement.approved_at, Engagement.paid_at).where(Engagement.gig_id.in_(gig_ids))).all()
        if gig_ids
        else []
    )
    submissions = (
        session.execute(
            select(Submission.created_at, Submission.decided_at)
            .join(Engagement, Engagement.id == Submission.engagement_id)
            .where(Engagement.gig_id.in_(gig_ids))
        ).all()
        if gig_ids
        else []
    )
    review_days = [(s.decided_at - s.created_at).total_seconds() / 86400 for s in submissions if s.decided_at]
    paid = [e for e in engagements if e.approved_at is not None and e.status == EngagementStatus.PAID]
    on_time = [e for e in paid if e.paid_at and e.paid_at - e.approved_at <= ON_TIME]
    # Unanswered: submissions with no decision after ANSWER_WITHIN, and applicants never decided
    # by ANSWER_WITHIN after the gig's application deadline.
    late_submissions = [s for s in submissions if (s.decided_at or now) - s.created_at > ANSWER_WITHIN]
    applications = (
        session.execute(
            select(Application.id, Application.gig_id, Application.status, Application.decided_at).where(Application.gig_id.in_(gig_ids))
        ).all()
        if gig_ids
        else []
    )
    late_applicants = []
    # When time alone will change the record: an undecided submission turning a week old, an
    # applicant's answer falling due, a blind review publishing itself.
    upcoming = [s.created_at + ANSWER_WITHIN + _TICK for s in submissions if s.decided_at is None and now - s.created_at <= ANSWER_WITHIN]
    due_by_application = {}
    for a in applications:
        due = datetime.combine(deadlines[a.gig_id], datetime.min.time(), tzinfo=now.tzinfo) + ANSWER_WITHIN
        if a.status == ApplicationStatus.WITHDRAWN:
            continue
        if now < due:
            upcoming.append(due)
            continue
        due_by_application[a.id] = (a, due)
    shortlisted = _shortlisted_at(session, [a.id for a, _ in due_by_application.values() if a.decided_at is None])
    for a, due in due_by_application.values():
        answered = a.decided_at or shortlisted.get(a.id)
        if answered is None or answered > due:
            late_applicants.append(a)
    answerable = len(submissions) + len([a for a in applications if a.status != ApplicationStatus.WITHDRAWN])
    rating = reviews.employer_rating(session, organization_id, now)
    publication = reviews.next_employer_publication(session, organization_id, now)
    upcoming += [publication] if publication is not None else []
    record = TrackRecord(
        median_review_days=round(median(review_days), 1) if review_days else None,
        paid_on_time_percent=round(100 * len(on_time) / len(paid)) if paid else None,
        rating=rating.average if rating.count else None,
        rating_count=rating.count,
        unanswered_percent=round(100 * (len(late_submissions) + len(late_applicants)) / answerable) if answerable else None,
        finished_engagements=len(paid),
    )
    return record, min(upcoming, default=None)


def shown_record(session: Session, organization_id: int, now: datetime | None = None) -> TrackRecord:
    """What a gig page shows: the stored record, read by its primary key. Computed on the spot
    (and not stored) only when there is none yet or time has changed it since it was stored."""
    now = now or utcnow()
    row = session.get(EmployerTrackRecord, organization_id)
    if row is None or (row.stale_after is not None and row.stale_after <= now):
        return track_record(session, organization_id, now)
    return TrackRecord(**{f.name: getattr(row, f.name) for f in fields(TrackRecord)})


def refresh(session: Session, organization_id: int, now: datetime | None = None) -> TrackRecord:
    """Compute the employer's record and store it: insert or update in one statement, so two
    transactions storing an employer's first record at once do not collide."""
    now = now or utcnow()
    record, stale_after = _compute(session, organization_id, now)
    values = {**asdict(record), "computed_at": now, "stale_after": stale_after}
    table = EmployerTrackRecord.__table__
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(table).values(organization_id=organization_id, **values)
    session.execute(statement.on_conflict_do_update(index_elements=[table.c.organization_id], set_=values))
    stored = session.identity_map.get(session.identity_key(EmployerTrackRecord, organization_id))
    if stored is not None:
        session.expire(stored)  # this session read the old row: read it again when asked
    return record


def refresh_due(session: Session, now: datetime) -> int:
    """Job: store the record of every employer that has none, whose expiry has passed, or that
    was stored over an hour ago. Returns how many were stored."""
    due = session.exec(
        select(Organization.id)
        .outerjoin(EmployerTrackRecord, EmployerTrackRecord.organization_id == Organization.id)
        .where(
            Organization.kind == "employer",
            or_(
                EmployerTrackRecord.organization_id.is_(None),
                EmployerTrackRecord.stale_after <= now,
                EmployerTrackRecord.computed_at <= now - REFRESH_AT_LEAST_EVERY,
            ),
        )
        .order_by(Organization.id)
    ).all()
    for organization_id in due:
        refresh(session, organization_id, now)
    return len(due)


def summary_lines(record: TrackRecord, language: str = DEFAULT) -> list[str]:
    """The record in plain words for a gig page (in `language`); facts with no data yet are said so."""
    number = (lambda value: f"{value:g}") if language == DEFAULT else (lambda value: f"{value:g}".replace(".", ","))

    def days(value: float) -> str:
        if value < 1:
            return gettext(language, "under a day")
        return gettext(language, "{count} days", count=number(value))

    return [
        gettext(language, "Reviews submissions in {days} (median)", days=days(record.median_review_days))
        if record.median_review_days is not None
        else gettext(language, "No submissions reviewed yet"),
        gettext(
            language,
            "Paid {percent}% of students on time ({count} paid)",
            percent=record.paid_on_time_percent,
            count=record.finished_engagements,
        )
        if record.paid_on_time_percent is not None
        else gettext(language, "No students paid yet"),
        gettext(language, "Rated {rating} of 5 by students ({count} reviews)", rating=number(record.rating), count=record.rating_count)
        if record.rating is not None
        else gettext(language, "Not rated yet"),
        gettext(language, "Left {percent}% of applicants or submissions unanswered for over a week", percent=record.unanswered_percent)
        if record.unanswered_percent is not None
        else gettext(language, "Nothing to answer yet"),
    ]


# --- keeping the stored records current ---------------------------------------------------

_PENDING = "microgigs.track_record.changed"
# The rows a record is made of, and the columns whose change alters it (a new or deleted row always does).
_FACTS: dict[type, tuple[str, ...]] = {
    Gig: ("application_deadline", "organization_id"),
    Application: ("status", "decided_at"),
    Engagement: ("status", "approved_at", "paid_at"),
    Submission: ("decided_at",),
    Review: ("published_at",),
}


def _alters_a_record(session: OrmSession, row: object) -> bool:
    columns = _FACTS.get(type(row))
    if columns is None:
        return False
    if row in session.new or row in session.deleted:
        return True
    state = inspect(row)
    return any(state.attrs[name].history.has_changes() for name in columns)


@event.listens_for(OrmSession, "after_flush")
def _note_changed_facts(session: OrmSession, _context) -> None:
    # Before the flush is over its rows' attribute histories are still there to read.
    changed = [row for row in (*session.new, *session.dirty, *session.deleted) if _alters_a_record(session, row)]
    if not changed:
        return
    pending = session.info.setdefault(_PENDING, {"organizations": set(), "gigs": set(), "engagements": set()})
    for row in changed:
        if isinstance(row, Gig):
            pending["organizations"].add(row.organization_id)
        elif isinstance(row, (Application, Engagement)):
            pending["gigs"].add(row.gig_id)
        else:  # Submission, Review
            pending["engagements"].add(row.engagement_id)


@event.listens_for(OrmSession, "before_commit")
def _store_changed_records(session: OrmSession) -> None:
    if not session.info.get(_PENDING) and not (session.new or session.dirty or session.deleted):
        return
    session.flush()  # rows not flushed yet name their employers too
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    organization_ids = set(pending["organizations"])
    if pending["gigs"]:
        organization_ids |= set(session.execute(select(Gig.organization_id).where(Gig.id.in_(pending["gigs"]))).scalars())
    if pending["engagements"]:
        organization_ids |= set(
            session.execute(
                select(Gig.organization_id).join(Engagement, Engagement.gig_id == Gig.id).where(Engagement.id.in_(pending["engagements"]))
            ).scalars()
        )
    for organization_id in sorted(organization_ids):
        _refresh_without_failing_the_commit(session, organization_id)


def _refresh_without_failing_the_commit(session: OrmSession, organization_id: int) -> None:
    """A stored record is derived data: failing to store it must not undo the change that caused
    it (the job stores it again within the hour). PostgreSQL abandons a transaction after any
    failed statement, so there the refresh runs in a savepoint; SQLite carries on by itself."""
    try:
        if session.get_bind().dialect.name == "postgresql":
            with session.begin_nested():
                refresh(session, organization_id)
        else:
            refresh(session, organization_id)
    except SQLAlchemyError:
        log.exception("the track record of organization %s was not stored; the job will store it", organization_id)


@event.listens_for(OrmSession, "after_rollback")
def _forget_changed_facts(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)
