"""An employer's track record, shown to students on its gig pages: how fast it reviews
work, whether it pays on time, how students rate it, and how often it leaves
applicants or submissions unanswered past their deadline."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlmodel import Session, select

from microgigs.models import Application, AuditEvent, Engagement, Gig, Submission, utcnow
from microgigs.services import reviews

# Paid "on time" means within this long of the approval (the platform's promise: within a day).
ON_TIME = timedelta(days=1)
# A submission or an applicant left this long without an answer counts as unanswered.
ANSWER_WITHIN = timedelta(days=7)


@dataclass
class TrackRecord:
    median_review_days: float | None
    paid_on_time_percent: int | None
    rating: float | None
    rating_count: int
    unanswered_percent: int | None
    finished_engagements: int


def _decided_at(session: Session, application: Application) -> datetime | None:
    return application.decided_at or session.exec(
        select(AuditEvent.created_at)
        .where(AuditEvent.subject_type == "application", AuditEvent.subject_id == application.id, AuditEvent.action == "application.shortlisted")
    ).first()


def track_record(session: Session, organization_id: int, now: datetime | None = None) -> TrackRecord:
    """Public facts (anyone may see them on a gig page); computed from what happened."""
    now = now or utcnow()
    gig_ids = list(session.exec(select(Gig.id).where(Gig.organization_id == organization_id)))
    engagements = session.exec(select(Engagement).where(Engagement.gig_id.in_(gig_ids))).all() if gig_ids else []
    submissions = (
        session.exec(select(Submission).where(Submission.engagement_id.in_([e.id for e in engagements]))).all() if engagements else []
    )
    review_days = [(s.decided_at - s.created_at).total_seconds() / 86400 for s in submissions if s.decided_at]
    paid = [e for e in engagements if e.approved_at is not None and e.status == "paid"]
    on_time = [e for e in paid if e.paid_at and e.paid_at - e.approved_at <= ON_TIME]
    # Unanswered: submissions with no decision after ANSWER_WITHIN, and applicants never decided
    # by ANSWER_WITHIN after the gig's application deadline.
    late_submissions = [s for s in submissions if (s.decided_at or now) - s.created_at > ANSWER_WITHIN]
    applications = session.exec(select(Application).where(Application.gig_id.in_(gig_ids))).all() if gig_ids else []
    deadlines = {g.id: g.application_deadline for g in session.exec(select(Gig).where(Gig.id.in_(gig_ids)))} if gig_ids else {}
    late_applicants = []
    for a in applications:
        due = datetime.combine(deadlines[a.gig_id], datetime.min.time(), tzinfo=now.tzinfo) + ANSWER_WITHIN
        if a.status == "withdrawn" or now < due:
            continue
        answered = _decided_at(session, a)
        if answered is None or answered > due:
            late_applicants.append(a)
    answerable = len(submissions) + len([a for a in applications if a.status != "withdrawn"])
    rating = reviews.employer_rating(session, organization_id, now)
    return TrackRecord(
        median_review_days=round(median(review_days), 1) if review_days else None,
        paid_on_time_percent=round(100 * len(on_time) / len(paid)) if paid else None,
        rating=rating.average if rating.count else None,
        rating_count=rating.count,
        unanswered_percent=round(100 * (len(late_submissions) + len(late_applicants)) / answerable) if answerable else None,
        finished_engagements=len(paid),
    )


def summary_lines(record: TrackRecord) -> list[str]:
    """The record in plain words for a gig page; facts with no data yet are said so."""
    def days(value: float) -> str:
        return "under a day" if value < 1 else f"{value:g} days"

    return [
        f"Reviews submissions in {days(record.median_review_days)} (median)"
        if record.median_review_days is not None
        else "No submissions reviewed yet",
        f"Paid {record.paid_on_time_percent}% of students on time ({record.finished_engagements} paid)"
        if record.paid_on_time_percent is not None
        else "No students paid yet",
        f"Rated {record.rating:g} of 5 by students ({record.rating_count} reviews)" if record.rating is not None else "Not rated yet",
        f"Left {record.unanswered_percent}% of applicants or submissions unanswered for over a week"
        if record.unanswered_percent is not None
        else "Nothing to answer yet",
    ]
