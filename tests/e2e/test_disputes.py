"""A dispute end to end: the student opens one, staff mediate in the thread and decide."""

import re
import sqlite3

from playwright.sync_api import expect

from tests.e2e.test_core_loop import DEMO_PASSWORD, PHONE, loaded, sign_in


def _active_engagement_of(data_dir, email: str) -> int:
    with sqlite3.connect(data_dir / "microgigs.db") as db:
        return db.execute(
            "SELECT e.id FROM engagement e JOIN user u ON u.id = e.student_id WHERE u.email = ? AND e.status = 'active' ORDER BY e.id",
            (email,),
        ).fetchone()[0]


def test_student_disputes_and_staff_decide_a_refund(new_context, app_server, assert_accessible):
    email = "student1@demo.microgigs.test"
    engagement_id = _active_engagement_of(app_server.data_dir, email)
    student = new_context(viewport=PHONE).new_page()
    sign_in(student, email, DEMO_PASSWORD)
    student.goto(f"/engagements/{engagement_id}")
    student.get_by_role("link", name="Something wrong? Open a dispute").click()
    expect(student).to_have_url(re.compile(rf"/engagements/{engagement_id}/dispute"))
    form = student.get_by_role("form", name="Open a dispute")
    form.get_by_role("button", name="Open dispute").click()
    expect(student.get_by_text("Enter what went wrong.")).to_be_visible()
    assert_accessible(student)
    form.get_by_label("What went wrong").fill("The manager has not answered for two weeks.")
    form.get_by_role("button", name="Open dispute").click()
    expect(student).to_have_url(re.compile(r"/disputes/\d+"))
    loaded(student)
    expect(student.get_by_text("The manager has not answered for two weeks.")).to_be_visible()
    assert_accessible(student)
    dispute_url = student.url

    staff = new_context().new_page()
    sign_in(staff, "staff@demo.microgigs.test", DEMO_PASSWORD)
    staff.goto("/staff/disputes")
    loaded(staff)
    assert_accessible(staff)
    staff.goto(dispute_url)
    loaded(staff)
    staff.get_by_label("Your message").fill("I will look at the history today.")
    staff.get_by_role("button", name="Send message").click()
    expect(staff.get_by_text("I will look at the history today.")).to_be_visible()
    decision = staff.get_by_role("form", name="Decide the dispute")
    decision.get_by_role("combobox", name="Decision").click()
    staff.get_by_role("option", name="Refund the employer").click()
    decision.get_by_label("Reasons for the decision").fill("No work was delivered.")
    decision.get_by_role("button", name="Record decision").click()
    expect(staff.get_by_role("heading", name="Decision")).to_be_visible()
    assert_accessible(staff)

    student.reload()
    loaded(student)
    expect(student.get_by_text("Refund the employer")).to_be_visible()
    expect(student.get_by_text("I will look at the history today.")).to_be_visible()
