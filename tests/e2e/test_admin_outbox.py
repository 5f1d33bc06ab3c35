"""The mail outbox page: career-center staff read it, students are told they may not."""

import re

from playwright.sync_api import expect

from tests.e2e.test_core_loop import sign_in

PHONE = {"width": 375, "height": 812}
PASSWORD = "demo-password-2026"


def test_staff_read_the_outbox_and_students_may_not(new_context, assert_accessible):
    staff = new_context(viewport=PHONE).new_page()
    sign_in(staff, "staff@demo.microgigs.test", PASSWORD)
    staff.goto("/admin/outbox")
    expect(staff.get_by_role("heading", name="Mail outbox", level=1)).to_be_visible()
    expect(staff.get_by_text("Loading mail…")).to_have_count(0)
    expect(staff.get_by_role("alert")).to_have_count(0)
    assert_accessible(staff)

    student = new_context(viewport=PHONE).new_page()
    sign_in(student, "student3@demo.microgigs.test", PASSWORD)
    student.goto("/admin/outbox")
    expect(student.get_by_role("alert")).to_have_text(re.compile("Only career-center staff and admins"))
    assert_accessible(student)
