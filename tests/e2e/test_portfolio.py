"""After the gig, in the browser: the manager invites the student to interview and allows the
deliverables to be shown; the student sees it, shows them, picks a handle (a reserved one is
refused next to the field) and publishes a portfolio; a visitor on a phone reads it and its
evidence page; an unknown handle is "not found"; staff see conversion on their dashboard."""

import re
import sqlite3

from playwright.sync_api import expect

from tests.e2e.test_core_loop import DEMO_PASSWORD, PHONE, loaded, sign_in

STUDENT = "student1@demo.microgigs.test"
MANAGER = "manager1@demo.microgigs.test"


def _paid_work(data_dir) -> tuple[int, str, str, str]:
    """(engagement id, gig title, credential public id, student name) of student1's paid gig with Northwind."""
    with sqlite3.connect(data_dir / "microgigs.db") as db:
        return db.execute(
            """SELECT e.id, g.title, c.public_id, u.display_name FROM engagement e
               JOIN gig g ON g.id = e.gig_id JOIN user u ON u.id = e.student_id
               JOIN credential c ON c.engagement_id = e.id
               JOIN membership m ON m.organization_id = g.organization_id JOIN user mu ON mu.id = m.user_id
               WHERE u.email = ? AND mu.email = ? AND e.status = 'paid' ORDER BY e.id LIMIT 1""",
            (STUDENT, MANAGER),
        ).fetchone()


def _fits(page) -> None:
    """Nothing wider than the phone: no sideways scrolling."""
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_from_interview_invitation_to_a_public_portfolio(new_context, app_server, assert_accessible):
    engagement_id, title, public_id, student_name = _paid_work(app_server.data_dir)

    # --- the manager: invite to interview, allow the deliverables to be shown -------------
    manager = new_context().new_page()
    sign_in(manager, MANAGER, DEMO_PASSWORD)
    manager.goto(f"/engagements/{engagement_id}")
    loaded(manager)
    expect(manager.get_by_role("heading", name="Try before you hire")).to_be_visible()
    expect(manager.get_by_role("button", name="Record offer made")).to_have_count(0)
    manager.get_by_role("button", name="Invite to interview").click()
    expect(manager.get_by_text(re.compile(r"invited .* to interview on [A-Z][a-z]{2} \d{1,2}, \d{4}"))).to_be_visible()
    manager.get_by_role("button", name="Allow showing the deliverables publicly").click()
    expect(manager.get_by_role("button", name="Stop showing the deliverables publicly")).to_be_visible()
    expect(manager.get_by_text("The deliverables are private.")).to_be_visible()  # the student has not chosen yet
    assert_accessible(manager)

    # --- the student, on a phone: sees the invitation, shows the deliverables ------------
    student = new_context(viewport=PHONE).new_page()
    sign_in(student, STUDENT, DEMO_PASSWORD)
    loaded(student)
    expect(student.get_by_text("Invited to interview", exact=True)).to_be_visible()
    student.goto(f"/engagements/{engagement_id}")
    loaded(student)
    expect(student.get_by_text(re.compile(r"invited .* to interview on"))).to_be_visible()
    student.get_by_role("button", name="Show my deliverables publicly").click()
    expect(student.get_by_text("The deliverables are public.")).to_be_visible()
    assert_accessible(student)

    # --- the student picks a handle and publishes the portfolio -------------------------
    student.goto("/portfolio")
    expect(student.get_by_role("heading", level=1, name="My portfolio")).to_be_visible()
    loaded(student)
    assert_accessible(student)
    handle = student.get_by_label("Handle")
    handle.fill("admin")
    student.get_by_role("checkbox", name="Show my portfolio publicly").click()
    student.get_by_role("button", name="Save portfolio settings").click()
    expect(student.get_by_text("“admin” is reserved; choose another handle.")).to_be_visible()
    expect(handle).to_have_attribute("aria-invalid", "true")
    assert_accessible(student)
    handle.fill("student-one")
    student.get_by_role("button", name="Save portfolio settings").click()
    expect(student.get_by_text("Your portfolio is public: share the link below.")).to_be_visible()
    share = student.get_by_label("Your portfolio's address")
    expect(share).to_have_value(re.compile(r"^http://localhost:\d+/p/student-one$"))
    student.get_by_role("button", name="Copy share link").click()
    expect(student.get_by_text("Share link copied.")).to_be_visible()
    expect(student.get_by_role("article", name=title).get_by_text("shown publicly")).to_be_visible()
    _fits(student)

    # --- a visitor on a phone reads the portfolio and its evidence ----------------------
    visitor = new_context(viewport=PHONE).new_page()
    visitor.goto("/p/student-one")
    expect(visitor.get_by_role("heading", level=1, name=student_name)).to_be_visible()
    loaded(visitor)
    card = visitor.get_by_role("article", name=title)
    expect(card.get_by_role("heading", name=title)).to_be_visible()
    expect(card.get_by_text("Deliverables (shown with the employer's permission)")).to_be_visible()
    expect(card.get_by_role("link", name=f"Verify credential: {title}")).to_have_attribute("href", f"/verify?id={public_id}")
    text = visitor.locator("main").inner_text()
    assert "@" not in text  # no email address anywhere on the page
    assert_accessible(visitor)
    _fits(visitor)

    card.get_by_role("link", name=f"Evidence: {title}").click()
    expect(visitor.get_by_role("heading", level=1, name=f"Evidence: {title}")).to_be_visible()
    expect(visitor.get_by_role("heading", name="Approved deliverables")).to_be_visible()
    visitor.goto(f"/evidence/{public_id}")
    expect(visitor.get_by_role("heading", name="Approved deliverables")).to_be_visible()
    assert_accessible(visitor)
    _fits(visitor)

    # A handle no one published looks exactly like one that does not exist.
    visitor.goto("/p/nobody-has-this")
    expect(visitor.get_by_text("There is no public portfolio at this address.")).to_be_visible()
    assert_accessible(visitor)

    # --- the manager records the offer; staff see conversion per employer ---------------
    manager.get_by_role("button", name="Record offer made").click()
    expect(manager.get_by_text(re.compile(r"made an offer on [A-Z][a-z]{2} \d{1,2}, \d{4}"))).to_be_visible()
    staff = new_context(viewport=PHONE).new_page()
    sign_in(staff, "staff@demo.microgigs.test", DEMO_PASSWORD)
    staff.goto("/staff/insights?start=2000-01-01")
    loaded(staff)
    expect(staff.get_by_role("heading", name="Try before you hire: interviews and offers per employer")).to_be_visible()
    table = staff.get_by_role("region", name="Table: Try before you hire: interviews and offers per employer")
    expect(table.get_by_role("row", name=re.compile(r"^Northwind Analytics \d+ [1-9]\d* [1-9]\d*"))).to_be_visible()
    assert_accessible(staff)
    with staff.expect_download() as download:
        staff.get_by_role("link", name="Download CSV: Try before you hire: interviews and offers per employer").click()
    assert open(download.value.path(), encoding="utf-8").read().startswith("employer,finished,interviews,offers")
