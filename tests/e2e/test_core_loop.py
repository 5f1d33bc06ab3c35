"""The core loop in a real browser, as two people at once (one browser context each).

A demo manager posts a gig; a new student signs up, finds it on the board and applies;
the manager sees the applicant blind ("Applicant 1", no name anywhere in the page) and
accepts; the student submits a note, a link and a PDF; the manager downloads the file and
approves; the student sees the engagement paid. axe-core checks every page on the way.
"""

import re
import secrets
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.e2e.test_accounts import finish_sign_up, sign_in

DEMO_PASSWORD = "demo-password-2026"
PHONE = {"width": 375, "height": 812}
PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def sign_up_student(page: Page, app_server, name: str, email: str, password: str) -> None:
    page.goto("/signup")
    page.get_by_role("radio", name="a student looking for gigs").check()
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()
    finish_sign_up(page, app_server, email)


def loaded(page: Page) -> None:
    """Our pages show "Loading…" until their data arrives over the websocket."""
    expect(page.get_by_text(re.compile(r"^Loading"))).to_have_count(0)


def post_gig(page: Page, title: str) -> None:
    today = date.today()
    page.goto("/gigs/new")
    expect(page.get_by_role("heading", level=1, name="Post a gig")).to_be_visible()
    form = page.get_by_role("form", name="Post a gig")
    expect(form).to_be_visible()
    form.get_by_label("Title").fill(title)
    form.get_by_label("One-line summary").fill("Tidy a 2,000-row survey export and chart the five main findings.")
    form.get_by_label("Scope of the work").fill(
        "You get a CSV export of our 2025 member survey.\nClean it (duplicates, free-text ages), then chart the five findings that matter most."
    )
    form.get_by_role("combobox", name="Category").click()
    page.get_by_role("option", name="Data analysis").click()
    form.get_by_label("Application deadline").fill((today + timedelta(days=10)).isoformat())
    form.get_by_label("Estimated hours").fill("10")
    form.get_by_label("Due date").fill((today + timedelta(days=30)).isoformat())
    form.get_by_label("Pay per student (US dollars)").fill("450")
    form.get_by_role("button", name="Post gig").click()
    # A trusted demo employer's gig opens at once, and the page moves to the gig itself.
    expect(page).to_have_url(re.compile(r"/gigs/\d+"))
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()


def test_manager_and_student_walk_the_core_loop(new_context, app_server, assert_accessible):
    token = secrets.token_hex(3)
    title = f"Survey cleanup and charts {token}"
    student_name = f"Robin Quillfeather {token}"
    student_email = f"robin.{token}@students.example.edu"

    manager = new_context().new_page()
    student = new_context(viewport=PHONE).new_page()

    # --- the manager posts a gig ---------------------------------------------------------
    sign_in(manager, "manager1@demo.microgigs.test", DEMO_PASSWORD)
    loaded(manager)
    expect(manager.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    assert_accessible(manager)
    post_gig(manager, title)
    assert_accessible(manager)

    # --- a new student finds it on the board and applies ---------------------------------------
    sign_up_student(student, app_server, student_name, student_email, "a long walk by the river")
    loaded(student)
    expect(student.get_by_role("heading", name="My applications")).to_be_visible()
    assert_accessible(student)
    student.goto("/")
    student.get_by_label("Search gigs").fill(title)
    student.get_by_role("button", name="Search", exact=True).click()
    gig_link = student.get_by_role("link", name=title)
    expect(gig_link).to_be_visible()
    assert_accessible(student)
    gig_link.click()
    expect(student.get_by_role("heading", level=1, name=title)).to_be_visible()
    assert_accessible(student)
    student.get_by_label("Why you fit this gig").fill(
        "I cleaned survey data for our student union last term and charted it in Python; I have 10 hours a week free."
    )
    student.get_by_role("button", name="Apply").click()
    expect(student.get_by_text(re.compile("Applied — see your"))).to_be_visible()

    # --- the manager reviews blind and accepts -----------------------------------------------
    manager.goto("/dashboard")
    loaded(manager)
    manager.get_by_role("link", name=f"Manage applicants: {title}").click()
    expect(manager.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(manager.get_by_role("heading", name="Applicant 1")).to_be_visible()
    expect(manager.get_by_text("Names and schools are hidden until you shortlist")).to_be_visible()
    html = manager.content()
    assert student_name not in html and "Quillfeather" not in html, "blind review leaked the student's name"
    assert student_email not in html, "blind review leaked the student's email"
    assert_accessible(manager)
    manager.get_by_role("button", name="Accept Applicant 1").click()
    workspace_link = manager.get_by_role("link", name=re.compile("Open engagement workspace"))
    expect(workspace_link).to_be_visible()
    workspace = workspace_link.get_attribute("href")
    assert workspace and re.fullmatch(r"/engagements/\d+", workspace)
    assert_accessible(manager)

    # --- the student submits a deliverable -------------------------------------------------------
    student.goto("/dashboard")
    loaded(student)
    student.get_by_role("link", name=f"Open workspace: {title}").click()
    expect(student).to_have_url(re.compile(re.escape(workspace)))
    expect(student.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(student.get_by_role("heading", name="Submit deliverable")).to_be_visible()
    assert_accessible(student)
    student.get_by_label("What you are handing in").fill("The cleaned CSV is in the folder; the PDF has the five charts.")
    student.get_by_label("Link to the deliverable").fill("https://drive.example.com/survey-cleanup")
    student.get_by_label("Files", exact=True).set_input_files(
        files=[{"name": "findings.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    expect(student.get_by_text("findings.pdf")).to_be_visible()
    student.get_by_role("button", name="Submit", exact=True).click()
    expect(student.get_by_text("Version 1 submitted")).to_be_visible()
    expect(student.get_by_role("link", name="findings.pdf")).to_be_visible()
    assert_accessible(student)

    # --- the manager downloads the file and approves -------------------------------------------------
    manager.goto("/dashboard")
    loaded(manager)
    manager.get_by_role("link", name=f"Review submission: {title} by {student_name}").click()
    expect(manager.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(manager.get_by_role("heading", name="Version 1", exact=True)).to_be_visible()
    expect(manager.get_by_role("heading", name="Review version 1")).to_be_visible()
    file_link = manager.get_by_role("link", name="findings.pdf")
    expect(file_link).to_be_visible()
    download = manager.request.get(file_link.get_attribute("href"))  # same cookies as the page
    assert download.status == 200
    assert download.body() == PDF
    assert_accessible(manager)
    manager.get_by_role("button", name="Approve and pay").click()
    paid = f"Approved — $450.00 paid to {student_name}"
    expect(manager.get_by_text(re.compile(re.escape(paid)))).to_be_visible()
    expect(manager.get_by_text("demo payments — no money moves").first).to_be_visible()
    assert_accessible(manager)

    # --- the student sees it paid -------------------------------------------------------------------
    student.reload()
    loaded(student)
    expect(student.get_by_text(re.compile(re.escape(paid)))).to_be_visible()
    expect(student.get_by_role("heading", name="Submit deliverable")).to_have_count(0)
    assert_accessible(student)
    student.goto("/dashboard")
    loaded(student)
    engagement = (
        student.get_by_role("article")
        .filter(has=student.get_by_role("heading", name=title))
        .filter(has=student.get_by_role("link", name=f"Open workspace: {title}"))
    )
    expect(engagement.get_by_text("Paid", exact=True)).to_be_visible()
    assert_accessible(student)

    # Someone else's engagement does not exist for the student.
    student.goto("/manage/gigs/1")
    loaded(student)
    expect(student.get_by_text("This gig does not exist, or you do not manage it.")).to_be_visible()
