"""Calendars (issue 19): a person's private feed and a gig's .ics.

The feed is read back with icalendar's parser, as a calendar app would: the events each role
follows, nothing of another organization, no closed gig, a stable UID per date, escaping done by
the library; and the link itself: hashed at rest, replaced or revoked at once, refused to others.
"""

from datetime import date, timedelta

import pytest
from icalendar import Calendar
from sqlmodel import select

from microgigs.models import AuditEvent, CalendarFeed
from microgigs.services import accounts, calendar_feed, calendar_links, gigs, milestones, privacy
from microgigs.services.errors import NotAllowed, NotFound
from microgigs.services.statuses import GigStatus
from tests.unit.conftest import PASSWORD


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def parsed(ics: bytes) -> dict[str, dict]:
    """UID -> the event's fields, from the text as a calendar app reads it."""
    calendar = Calendar.from_ical(ics)
    assert str(calendar["VERSION"]) == "2.0" and "MicroGigs" in str(calendar["PRODID"])
    events = {}
    for event in calendar.walk("VEVENT"):
        events[str(event["UID"])] = {
            "summary": str(event["SUMMARY"]),
            "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
            "url": str(event["URL"]),
            "description": str(event["DESCRIPTION"]),
            "stamp": event.decoded("DTSTAMP"),
        }
    return events


def feed_of(session, person) -> dict[str, dict]:
    link = calendar_links.create_link(session, person)
    return parsed(calendar_feed.feed_ics(session, token_of(link.url)))


def test_a_students_feed_holds_saved_open_gigs_work_due_and_milestones(session, make, today):
    hired = make.hired(title="Clean, tidy; and document")
    milestone = milestones.add_milestone(session, hired.employer.manager, hired.engagement.id, "First draft", today + timedelta(days=5))
    saved = make.gig(make.employer(), title="Survey design")
    gigs.save_gig(session, hired.student, saved.id)

    events = parsed(calendar_feed.feed_ics(session, token_of(calendar_links.create_link(session, hired.student).url)))

    assert set(events) == {
        f"gig-{saved.id}-deadline@localhost",
        f"engagement-{hired.engagement.id}-due@localhost",
        f"milestone-{milestone.id}@localhost",
    }
    deadline = events[f"gig-{saved.id}-deadline@localhost"]
    assert deadline["summary"] == "Apply by: Survey design"
    # An all-day date, not a moment: DTSTART is a DATE, DTEND the day after.
    assert deadline["start"] == saved.application_deadline and type(deadline["start"]) is date
    assert deadline["end"] == saved.application_deadline + timedelta(days=1)
    assert deadline["url"] == f"http://localhost:3000/gigs/{saved.id}"
    assert deadline["url"] in deadline["description"]
    due = events[f"engagement-{hired.engagement.id}-due@localhost"]
    # Commas and semicolons come back as written: the library escaped them.
    assert due["summary"] == "Due: Clean, tidy; and document"
    assert due["start"] == hired.engagement.due_date
    assert due["url"] == f"http://localhost:3000/engagements/{hired.engagement.id}"
    assert events[f"milestone-{milestone.id}@localhost"]["summary"] == "Milestone: First draft — Clean, tidy; and document"
    assert events[f"milestone-{milestone.id}@localhost"]["start"] == today + timedelta(days=5)


def test_the_feed_is_written_in_its_owners_language(session, make, today):
    hired = make.hired(title="Encuesta")
    milestone = milestones.add_milestone(session, hired.employer.manager, hired.engagement.id, "Borrador", today + timedelta(days=5))
    hired.student.language = "es"
    events = feed_of(session, hired.student)
    due = events[f"engagement-{hired.engagement.id}-due@localhost"]
    assert due["summary"] == "Entrega: Encuesta"
    assert due["description"].startswith("Hoy vence la entrega del trabajo.\n")
    assert events[f"milestone-{milestone.id}@localhost"]["summary"] == "Hito: Borrador — Encuesta"


def test_the_text_is_escaped_in_the_file(session, make):
    hired = make.hired(title="Plan A, plan B; plan C")
    ics = calendar_feed.feed_ics(session, token_of(calendar_links.create_link(session, hired.student).url)).decode()
    assert "SUMMARY:Due: Plan A\\, plan B\\; plan C" in ics
    assert "\r\n" in ics and all(len(line.encode()) <= 75 for line in ics.split("\r\n"))


def test_the_uid_stays_the_same_from_one_read_to_the_next(session, make):
    hired = make.hired()
    token = token_of(calendar_links.create_link(session, hired.student).url)
    first, second = parsed(calendar_feed.feed_ics(session, token)), parsed(calendar_feed.feed_ics(session, token))
    assert set(first) == set(second) and len(first) == 1


def test_a_student_sees_no_closed_or_past_saved_gig_and_no_finished_work(session, make, today):
    student = make.student()
    employer = make.employer()
    open_gig, closing, past = (make.gig(employer, title=t) for t in ("Still open", "Filled soon", "Deadline passed"))
    for gig in (open_gig, closing, past):
        gigs.save_gig(session, student, gig.id)
    gigs.move_gig(session, employer.manager, closing, GigStatus.CANCELLED)
    past.application_deadline = today - timedelta(days=1)
    session.add(past)
    cancelled = make.hired(student=student, title="Called off")
    cancelled.engagement.status = "cancelled"
    session.add(cancelled.engagement)
    session.flush()

    events = feed_of(session, student)

    assert [e["summary"] for e in events.values()] == ["Apply by: Still open"]


def test_a_managers_feed_holds_their_organizations_dates_only(session, make, today):
    mine = make.hired(title="Ours")
    co_manager = make.second_manager(mine.employer)
    milestone = milestones.add_milestone(session, mine.employer.manager, mine.engagement.id, "Kick-off", today + timedelta(days=2))
    make.gig(mine.employer, title="Hiring now")
    draft = make.gig(mine.employer, title="Not yet", publish=False)
    theirs = make.hired(title="Someone else's")
    make.gig(theirs.employer, title="Their open gig")

    for manager in (mine.employer.manager, co_manager):
        summaries = sorted(e["summary"] for e in feed_of(session, manager).values())
        # "Ours" took its one student: filled, no longer open, so no deadline to apply by.
        assert summaries == ["Apply by: Hiring now", "Due: Ours", "Milestone: Kick-off — Ours"], manager.display_name
    assert f"gig-{draft.id}-deadline@localhost" not in feed_of(session, mine.employer.manager)
    assert f"milestone-{milestone.id}@localhost" in feed_of(session, co_manager)
    # The other employer's manager sees only their own.
    assert sorted(e["summary"] for e in feed_of(session, theirs.employer.manager).values()) == [
        "Apply by: Their open gig",
        "Due: Someone else's",
    ]
    # And the student hired by them sees nothing of ours.
    assert "Ours" not in str(feed_of(session, theirs.student))


def test_the_link_is_kept_as_a_hash_and_replacing_it_kills_the_old_one(session, make):
    student = make.student()
    first = calendar_links.create_link(session, student)
    assert first.url.startswith("http://localhost:3000/calendar/") and first.url.endswith(".ics")
    row = session.get(CalendarFeed, student.id)
    assert row.token_hash == accounts.hash_token(token_of(first.url)) and token_of(first.url) not in row.token_hash
    # Read back later, the page learns that a link exists, never the link itself.
    later = calendar_links.link_of(session, student)
    assert later.exists and later.url == "" and later.created_at is not None

    second = calendar_links.create_link(session, student)
    assert second.url != first.url
    with pytest.raises(NotFound):
        calendar_feed.feed_ics(session, token_of(first.url))
    assert calendar_feed.feed_ics(session, token_of(second.url)).startswith(b"BEGIN:VCALENDAR")
    actions = list(session.exec(select(AuditEvent.action).where(AuditEvent.subject_id == student.id, AuditEvent.action.like("calendar%"))))
    assert actions == ["calendar_link.created", "calendar_link.replaced"]


def test_a_revoked_link_is_refused(session, make):
    student = make.student()
    link = calendar_links.create_link(session, student)
    calendar_links.revoke_link(session, student)
    assert session.get(CalendarFeed, student.id) is None
    assert not calendar_links.link_of(session, student).exists
    with pytest.raises(NotFound):
        calendar_feed.feed_ics(session, token_of(link.url))
    assert "calendar_link.revoked" in list(session.exec(select(AuditEvent.action).where(AuditEvent.subject_id == student.id)))
    calendar_links.revoke_link(session, student)  # nothing left to revoke: the same result, no error


@pytest.mark.parametrize("token", ["", "nope", "x" * 500, None])
def test_an_unknown_token_is_not_found(session, make, token):
    calendar_links.create_link(session, make.student())
    with pytest.raises(NotFound):
        calendar_feed.feed_ics(session, token)


def test_a_deleted_or_deactivated_account_has_no_feed(session, make):
    gone, off = make.student(), make.student()
    gone_link, off_link = calendar_links.create_link(session, gone), calendar_links.create_link(session, off)
    gone.deleted_at, off.is_active = gone.created_at, False
    session.add_all([gone, off])
    session.flush()
    for link in (gone_link, off_link):
        with pytest.raises(NotFound):
            calendar_feed.feed_ics(session, token_of(link.url))


@pytest.mark.parametrize("who", ["visitor", "unconfirmed", "staff"])
def test_only_students_and_managers_keep_a_link(session, make, who):
    person = {"visitor": lambda: None, "unconfirmed": make.unconfirmed_student, "staff": make.staff}[who]()
    for call in (calendar_links.create_link, calendar_links.link_of, calendar_links.revoke_link, calendar_feed.events_for):
        with pytest.raises(NotAllowed):
            call(session, person)
    assert session.exec(select(CalendarFeed)).first() is None


def test_a_gig_file_holds_its_deadline_start_and_due_date(session, make, today):
    gig = make.gig(make.employer(), title="Brand audit", start_date=today + timedelta(days=12))
    ics, name = calendar_feed.gig_ics(session, gig.id)
    events = parsed(ics)
    assert name == f"gig-{gig.id}.ics"
    assert {uid: e["summary"] for uid, e in events.items()} == {
        f"gig-{gig.id}-deadline@localhost": "Apply by: Brand audit",
        f"gig-{gig.id}-start@localhost": "Starts: Brand audit",
        f"gig-{gig.id}-due@localhost": "Due: Brand audit",
    }
    assert events[f"gig-{gig.id}-due@localhost"]["start"] == gig.due_date


def test_a_gig_file_only_for_gigs_visitors_may_see(session, make):
    employer = make.employer()
    draft = make.gig(employer, publish=False)
    cancelled = make.gig(employer)
    gigs.move_gig(session, employer.manager, cancelled, GigStatus.CANCELLED)
    for gig_id in (draft.id, cancelled.id, 999_999, 0):
        with pytest.raises(NotFound):
            calendar_feed.gig_ics(session, gig_id)
    filled = make.hired().gig
    assert filled.status == GigStatus.FILLED
    # A filled gig's page is still public: its dates, without an application deadline.
    assert all("Apply by" not in e["summary"] for e in parsed(calendar_feed.gig_ics(session, filled.id)[0]).values())


def test_the_data_export_says_a_link_exists_and_deleting_the_account_ends_it(session, make):
    student = make.student()
    link = calendar_links.create_link(session, student)
    exported = privacy.export_user_data(session, student)["calendar_link"]
    assert exported["user_id"] == student.id and "token_hash" not in exported
    assert token_of(link.url) not in str(exported)
    privacy.delete_account(session, student, PASSWORD)
    assert session.get(CalendarFeed, student.id) is None
    with pytest.raises(NotFound):
        calendar_feed.feed_ics(session, token_of(link.url))
