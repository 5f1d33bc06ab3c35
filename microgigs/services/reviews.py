"""Two-way, double-blind reviews after an engagement ends.

The manager rates the student (quality, timeliness, communication, and endorses
some of the gig's skills); the student rates the employer (clarity of scope,
communication, fairness, timeliness of payment). Neither side sees the other's
review until both are in, or until 14 days after the first one: nobody can
answer a review they have just read.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from microgigs.i18n import Text, _, format_date, msg, translate
from microgigs.models import Engagement, Gig, GigSkill, Review, Skill, User, utcnow
from microgigs.services import audit, notifications, policy
from microgigs.services.errors import DomainError, NotFound
from microgigs.services.markdown import render_markdown
from microgigs.services.statuses import EngagementStatus
from microgigs.services.validation import ValidationFailed, clean_line, clean_text

BLIND_DAYS = 14
ENDED = (EngagementStatus.APPROVED, EngagementStatus.PAID, EngagementStatus.CANCELLED)
QUESTIONS = {
    "student": (_("Quality of the work"), _("Timeliness"), _("Communication")),
    "employer": (_("Clarity of the scope"), _("Communication"), _("Fairness"), _("Paid on time")),
}


@dataclass
class ReviewInput:
    ratings: list[int]
    comment: str = ""
    private_note: str = ""
    endorsed_skills: list[str] = field(default_factory=list)


@dataclass
class RatingView:
    question: str
    stars: int


@dataclass
class ReviewView:
    subject: str
    ratings: list[RatingView]
    comment: str
    endorsed_skills: list[str]
    written_on: str
    comment_html: str = ""  # safe HTML (render_markdown)


@dataclass
class ReviewsPage:
    engagement_id: int
    gig_title: str
    my_side: str  # "student" (I review the employer) | "manager" (I review the student)
    questions: list[str]
    skills: list[str]
    can_write: bool
    why_not: str
    mine: ReviewView | None
    theirs: ReviewView | None
    theirs_waiting: bool  # the other side wrote one that is still blind


def _side(session: Session, actor: User, engagement: Engagement, gig: Gig) -> str:
    """Which side the actor is on; NotFound when on neither (the engagement is not theirs)."""
    if policy.is_active_user(actor) and actor.id == engagement.student_id:
        return "student"
    if policy.manages_gig(session, actor, gig):
        return "manager"
    raise NotFound("That engagement")


def _subject_written_by(side: str) -> str:
    return "employer" if side == "student" else "student"


def _question(language: str, question: str) -> str:
    """A review question (a marked QUESTIONS constant) in `language`."""
    return translate(language, Text(question))


def _view(review: Review, language: str = "en") -> ReviewView:
    """One review as a page shows it: its questions and date in the reader's `language`."""
    ratings = [review.rating_1, review.rating_2, review.rating_3, review.rating_4]
    questions = QUESTIONS[review.subject]
    return ReviewView(
        subject=review.subject,
        ratings=[RatingView(question=_question(language, q), stars=r) for q, r in zip(questions, ratings, strict=False) if r is not None],
        comment=review.comment,
        comment_html=render_markdown(review.comment),
        endorsed_skills=[s for s in review.endorsed_skills.splitlines() if s],
        written_on=format_date(review.created_at, language),
    )


def is_visible(review: Review, other: Review | None, now: datetime) -> bool:
    """Published once both sides are in, or BLIND_DAYS after it was written."""
    return other is not None or now >= review.created_at + timedelta(days=BLIND_DAYS)


def _gig_skill_names(session: Session, gig_id: int) -> list[str]:
    return list(
        session.exec(select(Skill.name).join(GigSkill, GigSkill.skill_id == Skill.id).where(GigSkill.gig_id == gig_id).order_by(Skill.name))
    )


def reviews_page(session: Session, actor: User, engagement_id: int, now: datetime | None = None, language: str = "en") -> ReviewsPage:
    """The review page of one engagement for `actor`, its questions and dates in `language`;
    `why_not` is a message (`i18n.Text`) for the page to translate."""
    now = now or utcnow()
    engagement = session.get(Engagement, engagement_id)
    if engagement is None:
        raise NotFound("That engagement")
    gig = session.get(Gig, engagement.gig_id)
    side = _side(session, actor, engagement, gig)
    reviews = {r.subject: r for r in session.exec(select(Review).where(Review.engagement_id == engagement.id))}
    mine = reviews.get(_subject_written_by(side))
    theirs = reviews.get("student" if side == "student" else "employer")
    skills = _gig_skill_names(session, gig.id)
    ended = engagement.status in ENDED
    visible = theirs is not None and is_visible(theirs, mine, now)
    return ReviewsPage(
        engagement_id=engagement.id,
        gig_title=gig.title,
        my_side=side,
        questions=[_question(language, q) for q in QUESTIONS[_subject_written_by(side)]],
        skills=skills if side == "manager" else [],
        can_write=ended and mine is None,
        why_not="" if ended else msg("Reviews open once the engagement has ended."),
        mine=_view(mine, language) if mine else None,
        theirs=_view(theirs, language) if visible else None,
        theirs_waiting=theirs is not None and not visible,
    )


def write_review(session: Session, actor: User, engagement_id: int, data: ReviewInput) -> Review:
    engagement = session.get(Engagement, engagement_id)
    if engagement is None:
        raise NotFound("That engagement")
    gig = session.get(Gig, engagement.gig_id)
    side = _side(session, actor, engagement, gig)
    if engagement.status not in ENDED:
        raise DomainError("Reviews open once the engagement has ended.")
    subject = _subject_written_by(side)
    questions = QUESTIONS[subject]
    errors: dict[str, str] = {}
    if len(data.ratings) != len(questions) or any(not isinstance(r, int) or not 1 <= r <= 5 for r in data.ratings):
        errors["ratings"] = msg("Rate each of the {count} questions from 1 to 5 stars.", count=len(questions))
    comment = clean_text(data.comment)
    if len(comment) > 1000:
        errors["comment"] = msg("Use at most 1,000 characters.")
    note = clean_line(data.private_note)
    if len(note) > 200:
        errors["private_note"] = msg("Keep the private note to one line (200 characters).")
    endorsed = sorted({clean_line(s) for s in data.endorsed_skills if clean_line(s)})
    if endorsed and side != "manager":
        errors["endorsed_skills"] = msg("Only the employer endorses skills.")
    elif unknown := [s for s in endorsed if s not in _gig_skill_names(session, gig.id)]:
        errors["endorsed_skills"] = msg("Endorse only this gig's skills (not: {skills}).", skills=", ".join(unknown))
    if errors:
        raise ValidationFailed(errors)
    if session.exec(select(Review.id).where(Review.engagement_id == engagement.id, Review.subject == subject)).first():
        raise DomainError("A review from your side is already in; reviews cannot be changed.")
    ratings = list(data.ratings) + [None] * (4 - len(data.ratings))
    review = Review(
        engagement_id=engagement.id,
        author_id=actor.id,
        subject=subject,
        rating_1=ratings[0],
        rating_2=ratings[1],
        rating_3=ratings[2],
        rating_4=ratings[3],
        comment=comment,
        private_note=note,
        endorsed_skills="\n".join(endorsed),
    )
    session.add(review)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise DomainError("A review from your side is already in; reviews cannot be changed.") from None
    other = session.exec(select(Review).where(Review.engagement_id == engagement.id, Review.subject != subject)).first()
    if other is not None:  # both are in: publish both now
        for r in (review, other):
            r.published_at = utcnow()
            session.add(r)
    audit.record(session, actor, "review.written", "engagement", engagement.id, subject=subject)
    other_side = [engagement.student_id] if side == "manager" else policy.manager_ids(session, gig.organization_id)
    for user_id in other_side:
        notifications.notify(
            session, user_id, "review.written", msg("A review of {title} is in", title=gig.title), f"/engagements/{engagement.id}/review"
        )
    return review


@dataclass
class RatingSummary:
    average: float
    count: int


def _published(now: datetime):
    """The SQL form of is_visible(): both sides in (published_at set), or old enough."""
    return Review.published_at.is_not(None) | (Review.created_at <= now - timedelta(days=BLIND_DAYS))


def next_employer_publication(session: Session, organization_id: int, now: datetime) -> datetime | None:
    """When the oldest of the employer's reviews still blind publishes itself by age (None: none waits)."""
    oldest = session.exec(
        select(func.min(Review.created_at))
        .join(Engagement, Engagement.id == Review.engagement_id)
        .join(Gig, Gig.id == Engagement.gig_id)
        .where(
            Gig.organization_id == organization_id,
            Review.subject == "employer",
            Review.published_at.is_(None),
            Review.created_at > now - timedelta(days=BLIND_DAYS),
        )
    ).one()
    return oldest + timedelta(days=BLIND_DAYS) if oldest is not None else None


def employer_rating(session: Session, organization_id: int, now: datetime | None = None) -> RatingSummary:
    """Average of the employer's published reviews (all questions), for students to see."""
    rows = session.exec(
        select(Review)
        .join(Engagement, Engagement.id == Review.engagement_id)
        .join(Gig, Gig.id == Engagement.gig_id)
        .where(Gig.organization_id == organization_id, Review.subject == "employer", _published(now or utcnow()))
    ).all()
    scores = [r for review in rows for r in (review.rating_1, review.rating_2, review.rating_3, review.rating_4) if r is not None]
    return RatingSummary(average=round(sum(scores) / len(scores), 1) if scores else 0.0, count=len(rows))


def student_endorsements(session: Session, student_id: int, now: datetime | None = None) -> dict[str, int]:
    """Skill -> how many employers endorsed it in published reviews."""
    counts: dict[str, int] = {}
    for text in session.exec(
        select(Review.endorsed_skills)
        .join(Engagement, Engagement.id == Review.engagement_id)
        .where(Engagement.student_id == student_id, Review.subject == "student", _published(now or utcnow()))
    ):
        for skill in text.splitlines():
            counts[skill] = counts.get(skill, 0) + 1
    return counts


def private_notes(session: Session, actor: User) -> list[tuple[int, str, str]]:
    """(engagement id, side, note) for career-center staff only."""
    policy.require(policy.is_staff(actor), "Only career-center staff read private notes.")
    return [
        (r.engagement_id, r.subject, r.private_note)
        for r in session.exec(select(Review).where(Review.private_note != "").order_by(Review.created_at.desc()))
    ]


def published_reviews_of_student(session: Session, student_id: int, now: datetime | None = None) -> dict[int, Review]:
    """Engagement id -> the published review of the student (for their public portfolio)."""
    rows = session.exec(
        select(Review)
        .join(Engagement, Engagement.id == Review.engagement_id)
        .where(Engagement.student_id == student_id, Review.subject == "student", _published(now or utcnow()))
    )
    return {r.engagement_id: r for r in rows}
