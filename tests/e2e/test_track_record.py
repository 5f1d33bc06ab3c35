"""Issue 7, point 5 in the browser: a student on a phone reads an employer's track record on
one of its open gigs, in plain words, with the same count of paid students as the database."""

import re
import sqlite3

from playwright.sync_api import expect

from tests.e2e.test_core_loop import DEMO_PASSWORD, PHONE, loaded, sign_in


def test_a_student_reads_the_employers_track_record_on_a_gig_page(new_context, app_server, assert_accessible):
    with sqlite3.connect(app_server.data_dir / "microgigs.db") as db:
        gig_id, org_id = db.execute(
            "SELECT g.id, o.id FROM gig g JOIN organization o ON o.id = g.organization_id "
            "WHERE o.name = 'Northwind Analytics' AND g.status = 'open' ORDER BY g.id LIMIT 1"
        ).fetchone()
        paid = db.execute(
            "SELECT count(*) FROM engagement e JOIN gig g ON g.id = e.gig_id "
            "WHERE g.organization_id = ? AND e.status = 'paid' AND e.approved_at IS NOT NULL",
            (org_id,),
        ).fetchone()[0]
    assert paid > 0  # the demo data has paid work at Northwind

    student = new_context(viewport=PHONE).new_page()
    sign_in(student, "student2@demo.microgigs.test", DEMO_PASSWORD)
    student.goto(f"/gigs/{gig_id}")
    loaded(student)
    expect(student.get_by_role("heading", name="This employer's track record")).to_be_visible()
    record = student.get_by_role("heading", name="This employer's track record").locator("xpath=following-sibling::ul[1]")
    expect(record.get_by_role("listitem")).to_have_count(4)
    expect(record.get_by_text(re.compile(r"^Reviews submissions in .+ \(median\)$"))).to_be_visible()
    expect(record.get_by_text(re.compile(rf"^Paid \d+% of students on time \({paid} paid\)$"))).to_be_visible()
    expect(record.get_by_text(re.compile(r"^(Rated [\d.]+ of 5 by students \(\d+ reviews\)|Not rated yet)$"))).to_be_visible()
    expect(record.get_by_text(re.compile(r"^Left \d+% of applicants or submissions unanswered for over a week$"))).to_be_visible()
    assert_accessible(student)
