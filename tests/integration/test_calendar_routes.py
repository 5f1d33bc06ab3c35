"""The calendar routes over HTTP: a person's private feed (the URL is the credential, no cookie)
and a public gig's .ics, read back with icalendar's parser."""

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from sqlmodel import Session

from microgigs.models import Skill, User
from microgigs.services import calendar_links, gigs
from microgigs.services.statuses import GigStatus
from microgigs.settings import get_settings
from tests.integration.conftest import make_user, market_scan


@pytest.fixture
def world(configured):
    """A manager's open gig and draft, and a student who saved the open one."""
    manager_id = make_user(configured, "boss@acme.com", role="manager", org="Acme")
    student_id = make_user(configured, "sam@uni.edu")
    with Session(configured, expire_on_commit=False) as session:
        session.add(Skill(name="Research"))
        manager, student = session.get(User, manager_id), session.get(User, student_id)

        def gig(title: str, publish: bool = True):
            return gigs.create_gig(
                session,
                manager,
                market_scan(title, skills=["Research"]),
                publish=publish,
            )

        open_gig, draft, cancelled = gig("Market scan, phase 1"), gig("Secret plan", publish=False), gig("Called off")
        gigs.save_gig(session, student, open_gig.id)
        gigs.move_gig(session, manager, cancelled, GigStatus.CANCELLED)
        link = calendar_links.create_link(session, student)
        session.commit()
        return {"open": open_gig.id, "draft": draft.id, "cancelled": cancelled.id, "student": student_id, "feed": link.url}


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_the_private_feed_is_a_calendar_without_a_cookie(client, world):
    response = client.get(path_of(world["feed"]))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["cache-control"].startswith("private, max-age=")
    assert "set-cookie" not in response.headers
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [(str(e["SUMMARY"]), str(e["UID"])) for e in events] == [
        ("Apply by: Market scan, phase 1", f"gig-{world['open']}-deadline@{urlsplit(get_settings().public_url).hostname}")
    ]
    assert events[0].decoded("DTSTART") == date.today() + timedelta(days=5)


def test_a_revoked_or_unknown_feed_is_not_found(client, configured, world):
    with Session(configured) as session:
        calendar_links.revoke_link(session, session.get(User, world["student"]))
        session.commit()
    for path in (path_of(world["feed"]), "/calendar/not-a-token.ics", "/calendar/.ics"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "BEGIN:VCALENDAR" not in response.text


def test_the_feed_is_read_only(client, world):
    assert client.post(path_of(world["feed"])).status_code == 405


def test_a_gigs_calendar_file_is_a_download(client, world):
    response = client.get(f"/gigs/{world['open']}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == f'attachment; filename="gig-{world["open"]}.ics"'
    summaries = sorted(str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT"))
    assert summaries == ["Apply by: Market scan, phase 1", "Due: Market scan, phase 1"]
    # A reader of Spanish gets the file in Spanish.
    spanish = client.get(f"/gigs/{world['open']}/calendar.ics", headers={"accept-language": "es"})
    summaries = sorted(str(e["SUMMARY"]) for e in Calendar.from_ical(spanish.content).walk("VEVENT"))
    assert summaries == ["Entrega: Market scan, phase 1", "Postúlate antes de: Market scan, phase 1"]


def test_a_draft_or_closed_gig_has_no_calendar_file(client, world):
    for gig_id in (world["draft"], world["cancelled"], 999_999):
        response = client.get(f"/gigs/{gig_id}/calendar.ics")
        assert response.status_code == 404, gig_id
        assert "Secret plan" not in response.text
