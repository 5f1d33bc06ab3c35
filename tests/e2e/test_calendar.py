"""Calendars in the browser (issue 19): a new student saves an open gig, makes a calendar link on
/account (on a phone: no sideways scroll, no axe violation), and the link, fetched with no cookie
as a calendar app would, is a calendar holding that gig's deadline; revoked, it is a 404. A gig's
page offers "Add to calendar", which downloads a valid .ics."""

import re
import secrets
import sqlite3
from datetime import date
from urllib.parse import quote

import httpx
from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e.test_core_loop import PHONE, loaded, sign_up_student

PASSWORD = "calendar-password-2026"


def _open_gig(data_dir) -> tuple[int, str]:
    """(id, title) of a gig the board shows: open, its deadline not passed."""
    with sqlite3.connect(data_dir / "microgigs.db") as db:
        return db.execute(
            "SELECT id, title FROM gig WHERE status = 'open' AND application_deadline >= ? ORDER BY id LIMIT 1", (date.today().isoformat(),)
        ).fetchone()


def _summaries(ics: bytes) -> list[str]:
    return [str(event["SUMMARY"]) for event in Calendar.from_ical(ics).walk("VEVENT")]


def test_a_students_calendar_link_and_a_gigs_calendar_file(new_context, app_server, assert_accessible):
    gig_id, title = _open_gig(app_server.data_dir)
    student = new_context(viewport=PHONE).new_page()
    sign_up_student(student, app_server, "Cal Endar", f"cal.{secrets.token_hex(3)}@students.example.edu", PASSWORD)

    # --- save the gig from the board ------------------------------------------------------------
    student.goto(f"/?q={quote(title)}")
    loaded(student)
    # (It may be shown twice: in the results and among the recommendations.)
    student.get_by_role("button", name=f"Save {title}", exact=True).first.click()
    expect(student.get_by_role("button", name=f"Unsave {title}", exact=True).first).to_be_visible()

    # --- make a calendar link on /account --------------------------------------------------------
    student.goto("/account")
    loaded(student)
    expect(student.get_by_role("heading", name="Calendar feed")).to_be_visible()
    student.get_by_role("button", name="Create calendar link").click()
    link = student.get_by_label("Your calendar link")
    expect(link).to_have_value(re.compile(r"^http://localhost:\d+/calendar/[A-Za-z0-9_-]{40,}\.ics$"))
    expect(link).to_have_attribute("readonly", "")
    expect(student.get_by_role("button", name="Copy calendar link")).to_be_visible()
    expect(student.get_by_text(re.compile("To subscribe: in Google Calendar"))).to_be_visible()
    assert student.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert_accessible(student)
    url = link.input_value()

    # A calendar app sends no cookie: the URL alone reads the feed.
    answer = httpx.get(url)
    assert answer.status_code == 200 and answer.headers["content-type"] == "text/calendar; charset=utf-8"
    assert answer.headers["cache-control"].startswith("private")
    assert f"Apply by: {title}" in _summaries(answer.content)

    # --- a reload shows that a link exists, never the link itself ---------------------------------
    student.reload()
    loaded(student)
    expect(student.get_by_text(re.compile("You have a calendar link, made on"))).to_be_visible()
    expect(student.get_by_label("Your calendar link")).to_have_count(0)

    # --- revoke it (behind a confirmation): the old URL is a 404 ----------------------------------
    student.get_by_role("button", name="Revoke link").click()
    dialog = student.get_by_role("alertdialog", name="Revoke your calendar link?")
    expect(dialog).to_be_visible()
    assert_accessible(student)
    dialog.get_by_role("button", name="Yes, revoke it").click()
    expect(student.get_by_role("status").filter(has_text="Your calendar link is revoked")).to_be_visible()
    expect(student.get_by_role("button", name="Create calendar link")).to_be_visible()
    assert httpx.get(url).status_code == 404

    # --- the gig's page: "Add to calendar" downloads its dates ----------------------------------
    student.goto(f"/gigs/{gig_id}")
    loaded(student)
    expect(student.get_by_role("heading", level=1, name=title)).to_be_visible()
    assert_accessible(student)
    with student.expect_download() as download:  # a real click must reach our route, not the client router
        student.get_by_role("link", name="Add to calendar").click()
    assert download.value.suggested_filename == f"gig-{gig_id}.ics"
    with open(download.value.path(), "rb") as file:
        summaries = _summaries(file.read())
    assert f"Apply by: {title}" in summaries and f"Due: {title}" in summaries
