"""Try before you hire: after a finished gig a manager may invite the student to
interview, and later record that an offer was made. The student sees both; the
career center counts conversion per employer."""

from dataclasses import dataclass

from sqlmodel import Session, func, select

from microgigs.i18n import _, msg
from microgigs.models import Engagement, Gig, Organization, User, utcnow
from microgigs.services import audit, notifications, policy
from microgigs.services.errors import DomainError, NotFound
from microgigs.services.statuses import EngagementStatus

FINISHED = (EngagementStatus.APPROVED, EngagementStatus.PAID)


def _managed_engagement(session: Session, actor: User, engagement_id: int) -> tuple[Engagement, Gig]:
    engagement = session.get(Engagement, engagement_id)
    gig = session.get(Gig, engagement.gig_id) if engagement else None
    if engagement is None or not policy.manages_gig(session, actor, gig):
        raise NotFound("That engagement")
    return engagement, gig


def invite_to_interview(session: Session, actor: User, engagement_id: int) -> Engagement:
    engagement, gig = _managed_engagement(session, actor, engagement_id)
    if engagement.status not in FINISHED:
        raise DomainError("Invite to interview once the work is approved.")
    if engagement.interview_invited_at is not None:
        raise DomainError("This student is already invited to interview.")
    engagement.interview_invited_at = utcnow()
    session.add(engagement)
    audit.record(session, actor, "hiring.interview_invited", "engagement", engagement.id)
    employer = session.get(Organization, gig.organization_id).name
    notifications.notify(
        session,
        engagement.student_id,
        "hiring.interview",
        msg("{employer} invites you to interview", employer=employer),
        f"/engagements/{engagement.id}",
        email=True,
    )
    return engagement


def record_offer(session: Session, actor: User, engagement_id: int) -> Engagement:
    engagement, gig = _managed_engagement(session, actor, engagement_id)
    if engagement.interview_invited_at is None:
        raise DomainError("Record an offer after inviting the student to interview.")
    if engagement.offer_made_at is not None:
        raise DomainError("An offer is already recorded.")
    engagement.offer_made_at = utcnow()
    session.add(engagement)
    audit.record(session, actor, "hiring.offer_made", "engagement", engagement.id)
    employer = session.get(Organization, gig.organization_id).name
    notifications.notify(
        session,
        engagement.student_id,
        "hiring.offer",
        msg("{employer} made you an offer", employer=employer),
        f"/engagements/{engagement.id}",
        email=True,
    )
    return engagement


@dataclass
class Conversion:
    employer: str
    finished: int
    interviews: int
    offers: int


def conversion_by_employer(session: Session, actor: User) -> list[Conversion]:
    policy.require(policy.is_staff(actor), _("Only career-center staff can see conversion figures."))
    rows = session.exec(
        select(
            Organization.name,
            func.count(Engagement.id),
            func.count(Engagement.interview_invited_at),
            func.count(Engagement.offer_made_at),
        )
        .join(Gig, Gig.organization_id == Organization.id)
        .join(Engagement, Engagement.gig_id == Gig.id)
        .where(Engagement.status.in_(FINISHED))
        .group_by(Organization.name)
        .order_by(Organization.name)
    ).all()
    return [Conversion(employer=name, finished=f, interviews=i, offers=o) for name, f, i, o in rows]
