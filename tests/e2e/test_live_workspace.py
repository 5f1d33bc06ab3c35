"""Live, without reload: two people on the same engagement workspace, each seeing the other act.

The engagement is set up through the services straight into the served app's database
(a demo manager, a new student, a funded engagement); everything after that happens in two
browser contexts whose pages are never reloaded: the student's submission, the manager's
change request, a message each way, the second version, the approval, and the student's
unread counter in the header. Then the notification center, and axe-core on every page.
Each change must arrive at all, within every expect's generous wait (conftest); how fast it
arrives is measured by benchmarks/live_push.py, never asserted here.
"""

import re
import secrets
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from microgigs import i18n
from tests.e2e.app_data import funded_engagement
from tests.e2e.test_accounts import sign_in

DEMO_PASSWORD = "demo-password-2026"
PHONE = {"width": 375, "height": 812}


def loaded(page: Page) -> None:
    expect(page.get_by_text(re.compile(r"^Loading"))).to_have_count(0)


def _badge(page: Page):
    return page.get_by_role("link", name=re.compile(r"^Notifications"))


def both_on_the_workspace(new_context, app_server, title: str, student_name: str, student_email: str) -> tuple[Page, Page]:
    """A funded engagement for a new student and the demo manager, both signed in and on its
    workspace (the manager wide, the student on a phone): (manager, student)."""
    engagement_id = funded_engagement(app_server.data_dir, student_email, student_name, title)
    workspace = f"/engagements/{engagement_id}"
    manager = new_context().new_page()
    student = new_context(viewport=PHONE).new_page()
    sign_in(manager, "manager1@demo.microgigs.test", DEMO_PASSWORD)
    sign_in(student, student_email, DEMO_PASSWORD)
    for page in (manager, student):
        page.goto(workspace)
        loaded(page)
        expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    return manager, student


def test_each_side_sees_the_other_act_without_reload(new_context, app_server, assert_accessible):
    token = secrets.token_hex(3)
    title = f"Live survey charts {token}"
    student_name = f"Ada Livewire {token}"
    student_email = f"ada.{token}@students.example.edu"
    manager, student = both_on_the_workspace(new_context, app_server, title, student_name, student_email)
    expect(manager.get_by_text("The student has not submitted anything yet.")).to_be_visible()
    # Both pages stay open from here on: no goto, no reload.

    # The student submits; the manager's open page grows a review box.
    student.get_by_label("What you are handing in").fill("First cut: the cleaned CSV and five charts are in the shared folder.")
    student.get_by_role("button", name="Submit", exact=True).click()
    expect(student.get_by_text("Version 1 submitted")).to_be_visible()
    expect(manager.get_by_role("heading", name="Review version 1")).to_be_visible()
    assert_accessible(manager)

    # The manager asks for changes; the student's page shows the comment and the form again.
    manager.get_by_label("What should change").fill("Label the axes and add the sample size to each chart.")
    manager.get_by_role("button", name="Request changes").click()
    expect(student.get_by_text("Label the axes and add the sample size to each chart.")).to_be_visible()
    expect(student.get_by_text(re.compile("The manager asked for changes"))).to_be_visible()
    expect(student.get_by_text("1 of 2 used")).to_be_visible()

    # A message each way.
    student.get_by_label("Your message").fill("Should the sample size go in the title or a footnote?")
    student.get_by_role("button", name="Send message").click()
    expect(manager.get_by_text("Should the sample size go in the title or a footnote?")).to_be_visible()
    manager.get_by_label("Your message").fill("A footnote is fine.")
    manager.get_by_role("button", name="Send message").click()
    expect(student.get_by_text("A footnote is fine.")).to_be_visible()
    assert_accessible(student)

    # The student's header counter follows what arrived (acceptance, change request, message).
    expect(_badge(student)).to_have_accessible_name(re.compile(r"Notifications, [1-9]\d* unread"))

    # The student proposes a later due date; the manager sees it live and accepts it.
    new_due_day = date.today() + timedelta(days=40)  # the gig was due in 30 days
    new_due = new_due_day.isoformat()
    student.get_by_label("Proposed new due date").fill(new_due)
    student.get_by_label("Why it should move").fill("The second export needs a day of cleaning.")
    student.get_by_role("button", name="Propose new due date").click()
    expect(student.get_by_text(re.compile("New due date proposed"))).to_be_visible()
    accept = manager.get_by_role("button", name="Accept new due date")
    expect(accept).to_be_visible()
    accept.click()
    expect(student.get_by_text(f"Currently due {i18n.format_date(new_due_day, 'en')}.")).to_be_visible()

    # Version 2, then the approval, each seen on the other side.
    student.get_by_label("What you are handing in").fill("Second cut: axes labelled, sample sizes in footnotes.")
    student.get_by_role("button", name="Submit", exact=True).click()
    expect(manager.get_by_role("heading", name="Review version 2")).to_be_visible()
    manager.get_by_role("button", name="Approve and pay").click()
    expect(student.get_by_text(re.compile(re.escape(f"paid to {student_name}")))).to_be_visible()
    expect(student.get_by_role("heading", name="Submit deliverable")).to_have_count(0)
    assert_accessible(student)

    # The notification center: the approval is there; marking all read empties the counter.
    student.goto("/notifications")
    loaded(student)
    expect(student.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    expect(student.get_by_role("link", name=f"Approved and paid: {title}")).to_be_visible()
    assert_accessible(student)
    student.get_by_role("button", name="Mark all read").click()
    expect(_badge(student)).to_have_accessible_name("Notifications")
    # A new message while the center is open shows up there, and on the counter.
    message_links = student.get_by_role("link", name=re.compile(f"New message from .* on {re.escape(title)}"))
    before = message_links.count()  # the earlier message's notification may already be listed
    manager.get_by_label("Your message").fill("Thanks, great work!")
    manager.get_by_role("button", name="Send message").click()
    expect(message_links).to_have_count(before + 1)
    expect(_badge(student)).to_have_accessible_name("Notifications, 1 unread")


def test_the_employer_cancels_from_the_workspace_and_the_student_sees_it_live(new_context, app_server, assert_accessible):
    token = secrets.token_hex(3)
    title = f"Cancelled charts {token}"
    student_email = f"cy.{token}@students.example.edu"
    manager, student = both_on_the_workspace(new_context, app_server, title, f"Cy Cancel {token}", student_email)
    expect(student.get_by_role("heading", name="Submit deliverable")).to_be_visible()
    expect(student.get_by_role("button", name="Cancel engagement")).to_have_count(0)  # not the student's to do

    manager.get_by_label("Reason for the student").fill("Our budget was frozen this quarter.")
    manager.get_by_role("button", name="Cancel engagement").click()
    dialog = manager.get_by_role("alertdialog", name="Cancel this engagement?")
    expect(dialog).to_be_visible()
    assert_accessible(manager)
    dialog.get_by_role("button", name="Yes, cancel it").click()
    expect(manager.get_by_text("Engagement cancelled. The student has been told.")).to_be_visible()
    expect(student.get_by_text("Cancelled", exact=True).first).to_be_visible()
    expect(student.get_by_role("heading", name="Submit deliverable")).to_have_count(0)
    assert_accessible(student)


def test_milestones_set_by_the_manager_and_checked_in_by_the_student_show_live(new_context, app_server, assert_accessible):
    token = secrets.token_hex(3)
    title = f"Milestone charts {token}"
    student_email = f"mo.{token}@students.example.edu"
    engagement_id = funded_engagement(app_server.data_dir, student_email, f"Mo Milestone {token}", title)
    workspace = f"/engagements/{engagement_id}"
    manager = new_context().new_page()
    student = new_context(viewport=PHONE).new_page()
    sign_in(manager, "manager1@demo.microgigs.test", DEMO_PASSWORD)
    sign_in(student, student_email, DEMO_PASSWORD)
    for page in (manager, student):
        page.goto(workspace)
        loaded(page)
    expect(student.get_by_text("No milestones set.")).to_be_visible()
    expect(student.get_by_role("button", name="Add milestone")).to_have_count(0)  # the managers' to set

    # A date in the past: the message sits next to the date field; nothing is added.
    manager.get_by_label("Milestone", exact=True).fill("Data cleaned")
    manager.get_by_label("Check-in date").fill((date.today() - timedelta(days=1)).isoformat())
    manager.get_by_role("button", name="Add milestone").click()
    expect(manager.get_by_text("Choose today or a later date.")).to_be_visible()
    manager.get_by_label("Check-in date").fill((date.today() + timedelta(days=3)).isoformat())
    manager.get_by_role("button", name="Add milestone").click()
    expect(manager.get_by_text("Milestone added. The student has been told.")).to_be_visible()
    assert_accessible(manager)

    # The student's open page shows it without reload, and checks in: not done yet, with a note.
    card = student.get_by_role("article", name="Data cleaned")
    expect(card).to_be_visible()
    expect(card.get_by_text("No check-in yet")).to_be_visible()
    card.get_by_label("Not done yet").check()
    card.get_by_role("button", name="Check in").click()
    expect(card.get_by_text("Enter what is holding it up.")).to_be_visible()
    card.get_by_label("Check-in note").fill("The second export is still missing.")
    card.get_by_role("button", name="Check in").click()
    expect(student.get_by_text("Check-in saved. The manager has been told.")).to_be_visible()
    assert_accessible(student)

    # The manager sees the check-in arrive; then the student marks it done.
    on_manager = manager.get_by_role("article", name="Data cleaned")
    expect(on_manager.get_by_text("Not done yet")).to_be_visible()
    expect(on_manager.get_by_text(re.compile("The second export is still missing."))).to_be_visible()
    expect(on_manager.get_by_role("button", name="Check in")).to_have_count(0)  # the student's to do
    card.get_by_label("Done", exact=True).check()
    card.get_by_label("Check-in note").fill("Both exports cleaned: 1,204 rows.")
    card.get_by_role("button", name="Check in").click()
    expect(on_manager.get_by_text("Done", exact=True)).to_be_visible()
    expect(on_manager.get_by_text(re.compile("Both exports cleaned"))).to_be_visible()
