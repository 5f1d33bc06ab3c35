"""What a calendar shows: the dates a person follows, as iCalendar (RFC 5545).

- a student: the application deadlines of the gigs they saved that are still open on the board,
  the due dates of their engagements and the milestones in them;
- an employer manager: the application deadlines of their organizations' open gigs, the due dates
  of their engagements and the milestones in them.
Only what the person sees in the app, and nothing of work that is over (approved, paid,
cancelled). Every date is an all-day event with a UID that stays the same from one read to the
next ("gig-12-deadline@host"), so a calendar app updates the event instead of adding another.
A gig's own .ics (its page's "Add to calendar") holds its deadline, start and due dates.

The icalendar library writes the text: escaping of commas, semicolons and newlines, line folding.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event
from sqlmodel import Session, select

from microgigs.i18n import DEFAULT, language_or_default, msg, translate
from microgigs.models import Engagement, Gig, Milestone, SavedGig, User, utcnow
from microgigs.services import calendar_links, center, policy
from microgigs.services.errors import NotFound
from microgigs.services.gigs.vocabulary import PUBLIC_STATUSES
from microgigs.services.statuses import EngagementStatus, GigStatus
from microgigs.settings import get_settings

PRODUCT_ID = "-//MicroGigs//Calendar//EN"
# Work that is over has no date left to keep.
FINISHED = (EngagementStatus.APPROVED, EngagementStatus.PAID, EngagementStatus.CANCELLED)
# How long a calendar app (or a cache between) may keep a read before asking again.
FEED_MAX_AGE_SECONDS = 900


@dataclass(frozen=True)
class CalendarEvent:
    key: str  # unique within the install: "gig-12-deadline" (the UID adds "@host")
    day: date
    summary: str  # a message (i18n.msg), written in the calendar's language by to_ics
    path: str  # the page in the app: "/gigs/12"
    description: str = ""


# --- the events ---------------------------------------------------------------------------------


def _deadline(gig: Gig) -> CalendarEvent:
    return CalendarEvent(
        f"gig-{gig.id}-deadline",
        gig.application_deadline,
        msg("Apply by: {title}", title=gig.title),
        f"/gigs/{gig.id}",
        msg("Last day to apply for this gig."),
    )


def _engagement_events(session: Session, rows: list[tuple[Engagement, Gig]]) -> list[CalendarEvent]:
    events = [
        CalendarEvent(
            f"engagement-{e.id}-due", e.due_date, msg("Due: {title}", title=g.title), f"/engagements/{e.id}", msg("The work is due.")
        )
        for e, g in rows
    ]
    titles = {e.id: g.title for e, g in rows}
    if titles:
        milestones = session.exec(select(Milestone).where(Milestone.engagement_id.in_(list(titles))).order_by(Milestone.id))
        events += [
            CalendarEvent(
                f"milestone-{m.id}",
                m.due_date,
                msg("Milestone: {milestone} — {title}", milestone=m.title, title=titles[m.engagement_id]),
                f"/engagements/{m.engagement_id}",
                msg("Check in on this milestone."),
            )
            for m in milestones
        ]
    return events


def _student_events(session: Session, student: User, today: date) -> list[CalendarEvent]:
    saved = session.exec(
        select(Gig)
        .join(SavedGig, SavedGig.gig_id == Gig.id)
        # What the board shows (services/search.py): open, deadline not passed.
        .where(SavedGig.user_id == student.id, Gig.status == GigStatus.OPEN, Gig.application_deadline >= today)
        .order_by(Gig.id)
    )
    engagements = session.exec(
        select(Engagement, Gig)
        .join(Gig, Gig.id == Engagement.gig_id)
        .where(Engagement.student_id == student.id, Engagement.status.not_in(FINISHED))
        .order_by(Engagement.id)
    )
    return [_deadline(g) for g in saved] + _engagement_events(session, list(engagements))


def _manager_events(session: Session, manager: User) -> list[CalendarEvent]:
    organization_ids = policy.organization_ids_managed_by(session, manager)
    if not organization_ids:
        return []
    open_gigs = session.exec(select(Gig).where(Gig.organization_id.in_(organization_ids), Gig.status == GigStatus.OPEN).order_by(Gig.id))
    engagements = session.exec(
        select(Engagement, Gig)
        .join(Gig, Gig.id == Engagement.gig_id)
        .where(Gig.organization_id.in_(organization_ids), Engagement.status.not_in(FINISHED))
        .order_by(Engagement.id)
    )
    return [_deadline(g) for g in open_gigs] + _engagement_events(session, list(engagements))


def events_for(session: Session, actor: User | None, today: date | None = None) -> list[CalendarEvent]:
    """The dates the actor follows (see the module's doc)."""
    policy.require(policy.may_keep_calendar_feed(actor), calendar_links.NOT_YOURS)
    if actor.role == "student":
        return _student_events(session, actor, today or date.today())
    return _manager_events(session, actor)


def gig_events(session: Session, gig_id: int) -> list[CalendarEvent]:
    """A public gig's dates, for anyone (as its page): NotFound for a gig visitors may not see."""
    gig = session.get(Gig, gig_id) if gig_id else None
    if gig is None or gig.status not in PUBLIC_STATUSES:
        raise NotFound("That gig")
    path = f"/gigs/{gig.id}"
    events = [_deadline(gig)] if gig.status == GigStatus.OPEN else []
    if gig.start_date is not None:
        events.append(
            CalendarEvent(f"gig-{gig.id}-start", gig.start_date, msg("Starts: {title}", title=gig.title), path, msg("The work starts."))
        )
    events.append(CalendarEvent(f"gig-{gig.id}-due", gig.due_date, msg("Due: {title}", title=gig.title), path, msg("The work is due.")))
    return events


# --- iCalendar ------------------------------------------------------------------------------------


def _host() -> str:
    return urlsplit(get_settings().public_url).hostname or "microgigs"


def to_ics(events: list[CalendarEvent], name: str, language: str = DEFAULT) -> bytes:
    """The events as one VCALENDAR (all-day events: DTSTART a DATE, DTEND the day after), their
    texts in `language`."""
    base, host, stamp = get_settings().public_url.rstrip("/"), _host(), utcnow()
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for item in events:
        link = base + item.path
        event = Event()
        event.add("uid", f"{item.key}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        description = translate(language, item.description)
        event.add("summary", translate(language, item.summary))
        event.add("description", f"{description}\n{link}" if description else link)
        event.add("url", link)
        event.add("transp", "TRANSPARENT")  # a date to keep, not time taken
        calendar.add_component(event)
    return calendar.to_ical()


def feed_ics(session: Session, token: str | None) -> bytes:
    """The feed a private link reads, in its owner's language: NotFound for an unknown or revoked
    link."""
    owner = calendar_links.owner_of_token(session, token)
    name = f"{center.current(session).name} — {owner.display_name}"
    return to_ics(events_for(session, owner), name, language_or_default(owner.language))


def gig_ics(session: Session, gig_id: int, language: str = DEFAULT) -> tuple[bytes, str]:
    """A public gig's .ics, its texts in `language` (the reader's), and its file name."""
    gig = session.get(Gig, gig_id) if gig_id else None
    events = gig_events(session, gig_id)
    return to_ics(events, f"{center.current(session).name} — {gig.title}", language), f"gig-{gig.id}.ics"
