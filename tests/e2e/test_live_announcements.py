"""What arrives live is heard: every page's polite live region (role=status, aria-live=polite)
says one sentence about what someone else just did, once, and the focus stays where it was.

Two browser contexts, one person each; the data is put in through the services (app_data).
Each page records every text its region takes (a MutationObserver), so "once" is checked
against all of them: no second push, no re-render, no reload may say the same thing again.
"""

import re
import secrets

from playwright.sync_api import Page, expect

from microgigs.demo import builders
from microgigs.services import accounts, applications, gigs
from microgigs.services.applications import ApplicationInput
from tests.e2e.app_data import DEMO_PASSWORD, app_session, demo_manager, survey_gig
from tests.e2e.test_accounts import sign_in
from tests.e2e.test_live_workspace import both_on_the_workspace, loaded

PHONE = {"width": 375, "height": 812}

LISTEN = """() => {
  const region = document.getElementById('live-announcer');
  window.__heard = [];
  new MutationObserver(() => window.__heard.push(region.textContent)).observe(region, {childList: true, characterData: true, subtree: true});
}"""


def announcer(page: Page):
    """The page's live region, found by its role (the one the layout puts in <main> for every page)."""
    return page.locator("main").get_by_role("status").and_(page.locator("#live-announcer"))


def listen(page: Page) -> None:
    """Record from now on each text the page's region takes."""
    expect(announcer(page)).to_have_attribute("aria-live", "polite")
    page.evaluate(LISTEN)


def heard(page: Page) -> list[str]:
    """What the region said since `listen`: each non-empty text it took, in order."""
    return [text for text in page.evaluate("window.__heard") if text]


def hold_focus(page: Page, locator) -> None:
    """Put the keyboard focus somewhere and mark it, to find out later whether it moved."""
    locator.focus()
    page.evaluate("document.activeElement.dataset.focusProbe = 'here'")


def focus_stayed(page: Page) -> bool:
    return page.evaluate("document.activeElement && document.activeElement.dataset.focusProbe === 'here'")


def test_a_submission_a_message_and_an_approval_are_heard_once_without_moving_focus(new_context, app_server, assert_accessible):
    token = secrets.token_hex(3)
    title = f"Heard charts {token}"
    student_name = f"Lia Listener {token}"
    student_email = f"lia.{token}@students.example.edu"
    manager, student = both_on_the_workspace(new_context, app_server, title, student_name, student_email)
    for page in (manager, student):
        # There, empty, before anything happens: a live region must exist before its text changes.
        expect(announcer(page)).to_have_text("")
        listen(page)
    hold_focus(manager, manager.get_by_label("Your message"))

    # The student submits: the manager hears it, and their focus stays in the message box.
    student.get_by_label("What you are handing in").fill("First cut: the cleaned CSV and five charts are in the shared folder.")
    student.get_by_role("button", name="Submit", exact=True).click()
    submitted = f"New submission (v1) from {student_name} on {title}"
    expect(announcer(manager)).to_have_text(submitted)
    expect(manager.get_by_role("heading", name="Review version 1")).to_be_visible()
    assert focus_stayed(manager), "the announcement moved the manager's focus"
    # The student's own tab says nothing about the student's own submission.
    expect(student.get_by_text("Version 1 submitted")).to_be_visible()
    expect(announcer(student)).to_have_text("")
    assert_accessible(manager)

    # A message: heard in its own words; the submission is not said again.
    student.get_by_label("Your message").fill("The charts use the brand colours; tell me if that is wrong.")
    student.get_by_role("button", name="Send message").click()
    message = f"New message from {student_name} on {title}"
    expect(announcer(manager)).to_have_text(message)
    expect(manager.get_by_text("The charts use the brand colours; tell me if that is wrong.")).to_be_visible()
    assert focus_stayed(manager)
    assert heard(manager) == [submitted, message]

    # The manager approves (and the demo gateway pays): the student hears it; the manager's own
    # tab announces nothing about the manager's own action.
    hold_focus(student, student.get_by_label("Your message"))
    manager.get_by_role("button", name="Approve and pay").click()
    expect(announcer(student)).to_have_text(re.compile(re.escape(f"Approved and paid: {title}")))
    expect(student.get_by_text(re.compile(re.escape(f"paid to {student_name}")))).to_be_visible()
    assert focus_stayed(student), "the announcement moved the student's focus"
    expect(manager.get_by_text(re.compile(re.escape(f"paid to {student_name}")))).to_be_visible()
    assert heard(manager) == [submitted, message]
    [approval] = heard(student)
    assert f"Approved and paid: {title}" in approval

    # The manager's reply reaches the student as one new sentence, after the approval, once.
    manager.get_by_label("Your message").fill("Thanks, great work!")
    manager.get_by_role("button", name="Send message").click()
    expect(student.get_by_text("Thanks, great work!")).to_be_visible()
    expect(announcer(student)).to_have_text(re.compile(r"^New message from .+ on " + re.escape(title) + "$"))
    assert heard(student)[:1] == [approval] and len(heard(student)) == 2

    # A reload of the tab says nothing new: the region comes back empty and stays so.
    manager.reload()
    loaded(manager)
    listen(manager)
    expect(manager.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(announcer(manager)).to_have_text("")
    manager.wait_for_timeout(500)
    assert heard(manager) == []
    assert_accessible(student)


def test_a_decision_on_an_application_is_heard_on_the_dashboard(new_context, app_server):
    token = secrets.token_hex(3)
    title = f"Heard decision {token}"
    student_email = f"noor.{token}@students.example.edu"
    with app_session(app_server.data_dir) as session:
        student = builders.signed_up(session, accounts.SignUp(email=student_email, password=DEMO_PASSWORD, display_name=f"Noor {token}"))
        gig = gigs.create_gig(session, demo_manager(session), survey_gig(title))
        applications.apply(session, student, gig.id, ApplicationInput(note="I have charted survey data before."))
        session.commit()
        gig_id = gig.id

    manager = new_context().new_page()
    student_page = new_context(viewport=PHONE).new_page()
    sign_in(manager, "manager1@demo.microgigs.test", DEMO_PASSWORD)
    sign_in(student_page, student_email, DEMO_PASSWORD)
    loaded(student_page)
    expect(student_page.get_by_role("heading", name="My applications")).to_be_visible()
    listen(student_page)
    hold_focus(student_page, student_page.get_by_role("button", name="Menu"))  # a phone: the header's one button
    manager.goto(f"/manage/gigs/{gig_id}")
    loaded(manager)
    manager.get_by_role("button", name=re.compile(r"^Accept ")).click()
    expect(manager.get_by_role("link", name=re.compile("Open engagement workspace"))).to_be_visible()

    expect(announcer(student_page)).to_have_text(re.compile(re.escape(f"You are accepted for {title}")))
    assert focus_stayed(student_page), "the announcement moved the student's focus"
    assert len(heard(student_page)) == 1
    expect(announcer(manager)).to_have_text("")
