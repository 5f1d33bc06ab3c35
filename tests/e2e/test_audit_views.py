"""Staff see who viewed whom: a manager opens a gig's applicants, then staff find that view on
/staff/audit by kind and by whose data, the filter survives in the URL, and staff open the
student's profile from the event (a view recorded in its turn)."""

import re
import sqlite3
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.e2e.test_accounts import DEMO_PASSWORD, PHONE, STAFF, loaded, sign_in

MANAGER = "manager1@demo.microgigs.test"


def _applicant_of_a_manager1_gig(app_server) -> tuple[int, str]:
    """A demo gig of manager1's employer that has applicants, and one applicant's email."""
    with sqlite3.connect(app_server.data_dir / "microgigs.db") as db:
        row = db.execute(
            """SELECT gig.id, student.email FROM application
               JOIN gig ON gig.id = application.gig_id
               JOIN membership ON membership.organization_id = gig.organization_id
               JOIN user AS manager ON manager.id = membership.user_id
               JOIN user AS student ON student.id = application.student_id
               WHERE manager.email = ? ORDER BY gig.id LIMIT 1""",
            (MANAGER,),
        ).fetchone()
    assert row is not None, "the demo data has no applicant for manager1"
    return row


def test_staff_find_who_viewed_a_student_and_the_filter_lives_in_the_url(new_context, app_server, assert_accessible):
    gig_id, student_email = _applicant_of_a_manager1_gig(app_server)
    manager = new_context().new_page()
    sign_in(manager, MANAGER, DEMO_PASSWORD)
    manager.goto(f"/manage/gigs/{gig_id}")
    loaded(manager)
    expect(manager.get_by_role("heading", level=1)).to_be_visible()

    staff = new_context(viewport=PHONE).new_page()
    sign_in(staff, STAFF, DEMO_PASSWORD)
    staff.goto("/staff/audit")
    loaded(staff)
    staff.get_by_role("combobox", name="Kind of event").click()
    staff.get_by_role("option", name="Views of an application (list of applicants)").click()
    staff.get_by_label("Whose data (their email)").fill(student_email)
    staff.get_by_role("button", name="Search the log").click()

    expect(staff).to_have_url(re.compile(r"/staff/audit/?\?"))
    query = parse_qs(urlsplit(staff.url).query)
    assert query == {"kind": ["viewed.applicant"], "subject_email": [student_email]}
    loaded(staff)
    event = staff.get_by_role("article").filter(has_text="viewed.applicant")
    expect(event.first).to_be_visible()
    expect(event.first).to_contain_text(MANAGER)
    expect(event.first).to_contain_text(student_email)
    # Only views of that student's applications are listed.
    expect(staff.get_by_role("article").filter(has_not_text="viewed.applicant")).to_have_count(0)

    # The same URL opened afresh (a bookmark, a link sent to a colleague) shows the same search.
    staff.goto(staff.url)
    loaded(staff)
    expect(staff.get_by_label("Whose data (their email)")).to_have_value(student_email)
    expect(staff.get_by_role("combobox", name="Kind of event")).to_have_text(re.compile("application"))
    expect(event.first).to_be_visible()
    assert_accessible(staff)

    # From the event to the student's whole profile; opening it is itself a view in the log.
    event.first.get_by_role("link", name="Open this student's profile").click()
    expect(staff).to_have_url(re.compile(r"/staff/students/\d+"))
    loaded(staff)
    expect(staff.get_by_text(student_email)).to_be_visible()
    expect(staff.get_by_role("heading", name="School details")).to_be_visible()
    staff.goto(staff.url)  # axe after a fresh load, not right after a client-side click
    loaded(staff)
    assert_accessible(staff)
    staff.get_by_role("link", name="Who else viewed this student").click()
    loaded(staff)
    profile_view = staff.get_by_role("article").filter(has_text="viewed.profile")
    expect(profile_view).to_have_count(1)
    expect(profile_view).to_contain_text(STAFF)

    # A mistyped email gets its message next to the field, and no rows.
    staff.goto("/staff/audit/?kind=views&subject_email=not-an-email")
    loaded(staff)
    expect(staff.get_by_label("Whose data (their email)")).to_have_accessible_description(re.compile("Enter an email address"))
    expect(staff.get_by_text("No events match.")).to_be_visible()
    assert_accessible(staff)

    # The audit log is staff-only.
    manager.goto(f"/staff/audit/?kind=views&subject_email={student_email}")
    loaded(manager)
    expect(manager.get_by_text("Only career-center staff can read the audit log.")).to_be_visible()
