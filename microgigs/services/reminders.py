"""Reminders before things run out: application deadlines, due dates, auto-approval.

Each is a job `(session, now) -> how many reminders went out`. A reminder is an in-app
notification plus mail; the notification itself is the record that it went out, so a
job run twice (or by two workers one after the other) does not remind twice.
"""

from datetime import datetime, timedelta

from sqlmodel import Session, select

from microgigs.i18n import Text, msg
from microgigs.models import Application, Engagement, Gig, Notification, SavedGig
from microgigs.services import center, notifications, policy
from microgigs.services.statuses import EngagementStatus, GigStatus
from microgigs.settings import get_settings


def _already(session: Session, user_id: int, kind: str, link: str, since: datetime | None = None) -> bool:
    query = select(Notification.id).where(Notification.user_id == user_id, Notification.kind == kind, Notification.link == link)
    if since is not None:
        query = query.where(Notification.created_at >= since)
    return session.exec(query.limit(1)).first() is not None


def _remind(session: Session, user_id: int, kind: str, title: Text, link: str, since: datetime | None = None) -> int:
    if _already(session, user_id, kind, link, since):
        return 0
    notifications.notify(session, user_id, kind, title, link, email=True)
    session.flush()
    return 1


def application_deadlines(session: Session, now: datetime) -> int:
    """Students who saved an open gig but have not applied, the day before it closes."""
    lead = get_settings().reminder_days_before
    today = now.date()
    # From the saved gigs (few), not from every open gig closing soon (thousands on a big board).
    applied = select(Application.id).where(Application.gig_id == Gig.id, Application.student_id == SavedGig.user_id)
    rows = session.exec(
        select(SavedGig.user_id, Gig.id, Gig.title, Gig.application_deadline)
        .join(Gig, Gig.id == SavedGig.gig_id)
        .where(
            Gig.status == GigStatus.OPEN,
            Gig.application_deadline >= today,
            Gig.application_deadline <= today + timedelta(days=lead),
            ~applied.exists(),
        )
        .order_by(Gig.id, SavedGig.user_id)
    ).all()
    sent = 0
    for user_id, gig_id, title, deadline in rows:
        sent += _remind(
            session,
            user_id,
            "reminder.application_deadline",
            msg("Applications for {title} close on {date}", title=title, date=deadline),
            f"/gigs/{gig_id}",
        )
    return sent


def due_dates(session: Session, now: datetime) -> int:
    """The student, before the due date of work still in progress."""
    lead = get_settings().reminder_days_before
    today = now.date()
    rows = session.exec(
        select(Engagement, Gig.title)
        .join(Gig, Gig.id == Engagement.gig_id)
        .where(
            Engagement.status.in_((EngagementStatus.ACTIVE, EngagementStatus.CHANGES_REQUESTED)),
            Engagement.due_date >= today,
            Engagement.due_date <= today + timedelta(days=lead),
        )
    ).all()
    sent = 0
    for engagement, title in rows:
        sent += _remind(
            session,
            engagement.student_id,
            "reminder.due_date",
            msg("{title} is due on {date}", title=title, date=engagement.due_date),
            f"/engagements/{engagement.id}",
        )
    return sent


def auto_approvals(session: Session, now: datetime) -> int:
    """The gig's managers, before a submission they have not answered is approved automatically."""
    days = center.current(session).auto_approve_days
    if days <= 0:  # 0: never approved automatically, so nothing to warn of
        return 0
    warn_after = now - timedelta(days=max(days - get_settings().reminder_days_before, 0))
    rows = session.exec(
        select(Engagement, Gig)
        .join(Gig, Gig.id == Engagement.gig_id)
        .where(Engagement.status == EngagementStatus.SUBMITTED, Engagement.submitted_at.is_not(None), Engagement.submitted_at <= warn_after)
    ).all()
    sent = 0
    for engagement, gig in rows:
        due = engagement.submitted_at + timedelta(days=days)
        for manager_id in policy.manager_ids(session, gig.organization_id):
            # Once per submission: only reminders sent since this version arrived count.
            sent += _remind(
                session,
                manager_id,
                "reminder.auto_approval",
                msg("Review {title} by {moment} or it is approved and paid automatically", title=gig.title, moment=due),
                f"/engagements/{engagement.id}",
                since=engagement.submitted_at,
            )
    return sent
