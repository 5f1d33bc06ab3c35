"""Saved searches in a real browser (issue 19 point 5).

A student on a 375 px phone searches the board, saves the search with instant alerts; a
manager's gig that matches is posted and approved through the app's services (as other browser
tests set up their data); the student sees the alert in their notifications, gets the mail with
its one-click unsubscribe link, and on /saved finds the search, changes how often it alerts,
turns the weekly digest on with one click, and deletes the search. A visitor is asked to sign
in instead. axe-core checks each page changed.
"""

import re
import secrets

from playwright.sync_api import Page, expect
from sqlmodel import select

from microgigs.demo import builders
from microgigs.models import User
from microgigs.services import accounts, gigs
from microgigs.services.statuses import GigStatus
from tests.e2e.app_data import DEMO_PASSWORD, app_session, demo_manager, survey_gig
from tests.e2e.conftest import mail_link
from tests.e2e.test_accounts import sign_in

PHONE = {"width": 375, "height": 812}


def new_student(app_server, email: str, name: str) -> None:
    with app_session(app_server.data_dir) as session:
        builders.signed_up(session, accounts.SignUp(email=email, password=DEMO_PASSWORD, display_name=name))
        session.commit()


def open_matching_gig(app_server, title: str) -> None:
    """Manager1 posts the gig; staff approve it if it waits for review (its employer may be trusted)."""
    with app_session(app_server.data_dir) as session:
        gig = gigs.create_gig(session, demo_manager(session), survey_gig(title))
        if gig.status == GigStatus.IN_REVIEW:
            staff = session.exec(select(User).where(User.role == "staff")).first()
            gigs.approve_gig(session, staff, gig.id)
        assert gig.status == GigStatus.OPEN
        session.commit()


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_student_saves_a_search_and_hears_of_a_new_matching_gig(new_context, app_server, assert_accessible):
    word = f"kestrel{secrets.token_hex(3)}"
    email = f"rowan.{word}@uni.example.edu"
    new_student(app_server, email, f"Rowan {word}")

    visitor = new_context().new_page()
    visitor.goto(f"/?q={word}")
    expect(visitor.get_by_text("to save this search and get alerts of new gigs")).to_be_visible()
    expect(visitor.get_by_role("button", name="Save this search")).to_have_count(0)

    student = new_context(viewport=PHONE).new_page()
    sign_in(student, email, DEMO_PASSWORD)
    # The search box is drawn once the board's first event has answered: from then on a click counts.
    student.goto("/")
    expect(student.get_by_label("Search gigs")).to_be_visible(timeout=60_000)
    student.get_by_label("Search gigs").fill(word)
    student.get_by_role("button", name="Search", exact=True).click()
    expect(student).to_have_url(re.compile(rf"\?q={word}$"))
    expect(student.get_by_text("No open gigs match your search.")).to_be_visible()

    student.get_by_role("button", name="Save this search").click()
    form = student.get_by_role("form", name="Save this search")
    expect(form.get_by_label("Name of this search")).to_have_value(word)  # prefilled from the words
    expect(form.get_by_role("radio", name="Instantly")).to_be_checked()
    assert_accessible(student)
    no_sideways_scroll(student)
    form.get_by_label("Name of this search").fill(f"Kestrel gigs {word}")
    form.get_by_role("button", name="Save search").click()
    expect(student.get_by_role("status").filter(has_text=f"Saved “Kestrel gigs {word}”")).to_be_visible()

    title = f"Count kestrels {word}"
    open_matching_gig(app_server, title)

    student.goto("/notifications")
    expect(student.get_by_text(f"New gig for “Kestrel gigs {word}”: {title}")).to_be_visible()

    # The alert mail carries its one-click unsubscribe; its page says what it turns off.
    # Queued by this test's own transaction, so the app's mail worker finds it on its next poll.
    link = mail_link(app_server, email, r"https?://\S+/unsubscribe/[\w-]+", timeout=90)
    assert app_server.inbox.to(email)[-1]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    student.goto("/saved")
    searches = student.locator("#saved-searches")
    expect(searches.get_by_role("link", name=f"Kestrel gigs {word}")).to_have_attribute("href", f"/?q={word}")
    assert_accessible(student)
    no_sideways_scroll(student)
    searches.get_by_label(f"Alert frequency for Kestrel gigs {word}").select_option("daily")
    expect(student.get_by_role("status").filter(has_text="Alert frequency changed.")).to_be_visible()
    expect(searches.get_by_label(f"Alert frequency for Kestrel gigs {word}")).to_have_value("daily")

    student.get_by_role("button", name="Turn on the weekly digest").click()
    expect(student.get_by_role("status").filter(has_text="The weekly digest is on.")).to_be_visible()
    expect(student.get_by_role("button", name="Turn off the weekly digest")).to_be_visible()

    searches.get_by_role("button", name=f"Delete saved search Kestrel gigs {word}").click()
    expect(student.get_by_role("status").filter(has_text="Saved search deleted.")).to_be_visible()
    expect(searches.get_by_role("link", name=f"Kestrel gigs {word}")).to_have_count(0)

    student.goto(link)
    expect(student.get_by_text("Stop emails about new gigs matching your saved searches?")).to_be_visible()
    student.get_by_role("button", name="Unsubscribe").click()
    expect(student.get_by_role("status")).to_have_text(re.compile("you will no longer get emails about new gigs"))

    # /account shows it off (and turns it on again); the digest is on from /saved.
    student.goto("/account")
    alert_mail = student.get_by_role("checkbox", name="Email me about new gigs matching my saved searches")
    expect(alert_mail).not_to_be_checked()
    expect(student.get_by_role("checkbox", name="Weekly email of gigs recommended for my skills")).to_be_checked()
    assert_accessible(student)
    alert_mail.click()
    expect(student.get_by_role("status").filter(has_text="Your email choices are saved.")).to_be_visible()
    expect(alert_mail).to_be_checked()
