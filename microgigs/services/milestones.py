"""Check-in milestones of an engagement.

The gig's managers set milestones (a title and a due date) while the work is open; the
student checks in on each one: done or not yet, with a short note (required when it is not
done, so the manager learns what holds it up). A student may check in again on the same
milestone (e.g. "not yet" on Monday, "done" on Wednesday); the milestone keeps the latest
check-in and the audit log keeps every one. Staff watch, like the rest of the workspace.
"""

from datetime import date

from sqlmodel import Session, func, select

from microgigs.i18n import Day, _, msg
from microgigs.models import Engagement, Gig, Milestone, User, utcnow
from microgigs.services import audit, notifications, policy
from microgigs.services.engagement_lifecycle import UNDER_WAY, UNFINISHED
from microgigs.services.engagements import get_engagement
from microgigs.services.errors import DomainError, NotFound
from microgigs.services.statuses import EngagementStatus
from microgigs.services.validation import ValidationFailed, check_length, clean_line, clean_text

MAX_MILESTONES = 20
MAX_TITLE = 120
MAX_NOTE = 500
# Managers plan while the work can still change; students check in once it is funded.
PLANNABLE = UNFINISHED
CHECKABLE = UNDER_WAY


def parse_date(value: date | str | None) -> date | None:
    """A date from a form field ("YYYY-MM-DD", as a date input sends it), or None when it is not one."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def parse_done(value: bool | str | None) -> bool | None:
    """The check-in's choice: True (done), False (not done yet), None when neither was chosen."""
    if isinstance(value, bool):
        return value
    return {"yes": True, "no": False}.get(str(value or "").strip().lower())


def add_milestone(
    session: Session, actor: User, engagement_id: int, title: str, due_date: date | str | None, today: date | None = None
) -> Milestone:
    """One of the gig's managers adds a check-in point; the student is told.

    `due_date` may be the form's text; a missing or malformed date is an error on "due_date"."""
    engagement = get_engagement(session, actor, engagement_id)
    gig = session.get(Gig, engagement.gig_id)
    policy.require(policy.manages_gig(session, actor, gig), _("Only the gig's managers set milestones."))
    if engagement.status not in PLANNABLE:
        raise DomainError("Milestones can't change once the work is approved or cancelled.")
    count = session.exec(select(func.count(Milestone.id)).where(Milestone.engagement_id == engagement.id)).one()
    if count >= MAX_MILESTONES:
        raise DomainError(msg("An engagement has at most {count} milestones.", count=MAX_MILESTONES))
    errors: dict[str, str] = {}
    title = clean_line(title)
    check_length(errors, "title", title, label=msg("what should be done by then"), max_len=MAX_TITLE)
    today = today or date.today()
    due_date = parse_date(due_date)
    if due_date is None:
        errors["due_date"] = msg("Enter the date of this check-in.")
    elif due_date < today:
        errors["due_date"] = msg("Choose today or a later date.")
    elif due_date > engagement.due_date:
        errors["due_date"] = msg("Choose a date on or before the engagement's due date ({date}).", date=Day(engagement.due_date))
    if errors:
        raise ValidationFailed(errors)
    milestone = Milestone(engagement_id=engagement.id, title=title, due_date=due_date, created_by_id=actor.id)
    session.add(milestone)
    session.flush()
    audit.record(session, actor, "milestone.added", "engagement", engagement.id, milestone_id=milestone.id, title=title, due_date=due_date)
    notifications.notify(
        session,
        engagement.student_id,
        "milestone.added",
        msg("New milestone on {gig}: {title} (by {date})", gig=gig.title, title=title, date=due_date),
        f"/engagements/{engagement.id}",
    )
    session.flush()
    return milestone


def check_in(session: Session, actor: User, engagement_id: int, milestone_id: int, done: bool | str | None, note: str = "") -> Milestone:
    """The student says where a milestone stands; the gig's managers are told.

    `done` may be the form's choice ("yes" / "no"); neither is an error on "done"."""
    engagement = get_engagement(session, actor, engagement_id)
    policy.require(actor.id == engagement.student_id, _("Only the student doing the work checks in on milestones."))
    milestone = _milestone_of(session, engagement, milestone_id)
    if engagement.status not in CHECKABLE:
        raise DomainError(
            _("Check-ins start once the employer has funded this engagement.")
            if engagement.status == EngagementStatus.FUNDING
            else _("Check-ins are closed: the work is approved or cancelled.")
        )
    done = parse_done(done)
    if done is None:
        raise DomainError("Choose done or not done yet.", "done")
    note = clean_text(note)
    errors: dict[str, str] = {}
    check_length(errors, "note", note, label=msg("what is holding it up"), max_len=MAX_NOTE, required=not done)
    if errors:
        raise ValidationFailed(errors)
    old = milestone.status
    milestone.status = "done" if done else "not_done"
    milestone.checkin_note = note
    milestone.checked_in_at = utcnow()
    session.add(milestone)
    audit.record(
        session,
        actor,
        "milestone.checked_in",
        "engagement",
        engagement.id,
        milestone_id=milestone.id,
        previous=old,
        status=milestone.status,
    )
    gig = session.get(Gig, engagement.gig_id)
    for manager_id in policy.manager_ids(session, gig.organization_id):
        notifications.notify(
            session,
            manager_id,
            "milestone.checked_in",
            msg("Check-in on {gig}: {title} — done", gig=gig.title, title=milestone.title)
            if done
            else msg("Check-in on {gig}: {title} — not done yet", gig=gig.title, title=milestone.title),
            f"/engagements/{engagement.id}",
        )
    session.flush()
    return milestone


def milestones_of(session: Session, actor: User, engagement_id: int) -> list[Milestone]:
    """Every milestone of an engagement the actor may see, soonest first."""
    engagement = get_engagement(session, actor, engagement_id)
    return list(session.exec(select(Milestone).where(Milestone.engagement_id == engagement.id).order_by(Milestone.due_date, Milestone.id)))


def _milestone_of(session: Session, engagement: Engagement, milestone_id: int) -> Milestone:
    milestone = session.get(Milestone, milestone_id)
    if milestone is None or milestone.engagement_id != engagement.id:
        raise NotFound("That milestone")
    return milestone
