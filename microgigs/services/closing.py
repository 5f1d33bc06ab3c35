"""Closing a gig early: every waiting applicant gets a decision, every engagement is settled.

Its own module because it reaches across gigs, applications and payments, which
would otherwise import each other.
"""

from datetime import datetime

from sqlmodel import Session, select

from microgigs.i18n import _, msg
from microgigs.models import Engagement, Gig, Submission, User
from microgigs.services import applications, gigs, notifications, payments, policy
from microgigs.services.engagement_lifecycle import UNFINISHED, move_engagement
from microgigs.services.errors import DomainError, NotFound
from microgigs.services.row_locks import locked_row
from microgigs.services.statuses import EngagementStatus, GigStatus, status_words
from microgigs.services.validation import clean_text


def cancel_gig(session: Session, actor: User, gig_id: int, reason: str = "") -> Gig:
    gig = gigs.get_gig(session, gig_id)
    policy.require(
        policy.manages_gig(session, actor, gig) or policy.is_staff(actor),
        _("Only the gig's managers or career-center staff can cancel it."),
    )
    reason = clean_text(reason)[:500]
    # Engagements are locked before the gig (the order every change keeps); one approved
    # meanwhile is finished work and stays as it is.
    unfinished = session.exec(select(Engagement.id).where(Engagement.gig_id == gig.id, Engagement.status.in_(UNFINISHED))).all()
    engagements = [locked_row(session, Engagement, engagement_id) for engagement_id in unfinished]
    gigs.move_gig(session, actor, gig, GigStatus.CANCELLED, reason=reason)
    applications.close_remaining_applications(session, gig, msg("The employer cancelled this gig."))
    for engagement in engagements:
        if engagement.status in UNFINISHED:
            cancel_engagement(session, actor, engagement, reason)
    session.flush()
    return gig


# Gigs closed per run: a backlog (after downtime) is worked off over a few runs, each a short
# transaction, instead of one run holding the app's process for minutes.
CLOSE_BATCH = 200


def close_past_deadline(session: Session, now: datetime) -> int:
    """Scheduled: an open gig whose application deadline has passed stops taking people.

    Nobody accepted: the gig expires. Some accepted: it is filled with those. Either
    way every applicant still waiting gets a decision.
    """
    due = session.exec(
        select(Gig)
        .where(Gig.status == GigStatus.OPEN, Gig.application_deadline < now.date())
        .order_by(Gig.application_deadline, Gig.id)
        .limit(CLOSE_BATCH)
    ).all()
    for gig in due:
        closed = GigStatus.FILLED if gig.filled_slots else GigStatus.EXPIRED
        gigs.move_gig(session, None, gig, closed, reason="application deadline passed")
        applications.close_remaining_applications(session, gig, msg("The application deadline passed."))
    session.flush()
    return len(due)


def cancel_engagement(session: Session, actor: User, engagement: Engagement, reason: str) -> None:
    """Stop one engagement and settle its money (refund, or kill fee once work has started)."""
    work_started = session.exec(select(Submission.id).where(Submission.engagement_id == engagement.id)).first() is not None
    payments.settle_cancellation(session, engagement, work_started=work_started)
    move_engagement(session, actor, engagement, EngagementStatus.CANCELLED, reason=reason, work_started=work_started)
    gig = session.get(Gig, engagement.gig_id)
    notifications.notify(
        session,
        engagement.student_id,
        "engagement.cancelled",
        msg("The employer cancelled {title}", title=gig.title),
        f"/engagements/{engagement.id}",
        email=True,
    )


def cancel_one_engagement(session: Session, actor: User, engagement_id: int, reason: str = "") -> Engagement:
    """The employer (or staff) stops one engagement from its workspace.

    Before any submission the employer gets everything back; after work has started the
    student keeps the kill fee (settings.kill_fee_percent of the pay). Finished work can't
    be cancelled.
    """
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or not policy.may_view_engagement(session, actor, engagement):
        raise NotFound("That engagement")
    engagement = locked_row(session, Engagement, engagement_id)
    gig = session.get(Gig, engagement.gig_id)
    policy.require(
        policy.manages_gig(session, actor, gig) or policy.is_staff(actor),
        _("Only the gig's managers or career-center staff can cancel this engagement."),
    )
    if engagement.status not in UNFINISHED:
        raise DomainError(
            {
                EngagementStatus.APPROVED: msg("This work is already approved; it can't be cancelled."),
                EngagementStatus.PAID: msg("This work is already approved and paid; it can't be cancelled."),
                EngagementStatus.CANCELLED: msg("This engagement is already cancelled."),
            }.get(engagement.status, msg("An engagement that is {status} can't be cancelled.", status=status_words(engagement.status)))
        )
    reason = clean_text(reason)
    if len(reason) > 500:
        raise DomainError("Use at most 500 characters.", "reason")
    cancel_engagement(session, actor, engagement, reason)
    session.flush()
    return engagement
