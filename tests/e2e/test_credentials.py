"""From approval to a verified credential: the manager approves, the student finds the
signed credential and its certificate, and anyone verifies it on the public page."""

import re
import sqlite3
import time

from playwright.sync_api import expect

from tests.e2e.conftest import open_menu
from tests.e2e.test_core_loop import DEMO_PASSWORD, PHONE, loaded, sign_in


def _credential_of(data_dir, engagement_id: int) -> tuple[str, str, str]:
    """(student email, public id, jwt) straight from the server's database. The approval signs the
    credential after the manager's page shows "Approved" (so neither page waits for it): wait
    for the row itself."""
    deadline = time.monotonic() + 30
    while True:
        with sqlite3.connect(data_dir / "microgigs.db") as db:
            row = db.execute(
                "SELECT u.email, c.public_id, c.jwt FROM credential c JOIN user u ON u.id = c.student_id WHERE c.engagement_id = ?",
                (engagement_id,),
            ).fetchone()
        if row is not None:
            return row
        assert time.monotonic() < deadline, f"no credential for engagement {engagement_id}"
        time.sleep(0.05)


def test_approval_leads_to_a_credential_anyone_can_verify(new_context, app_server, assert_accessible):
    manager = new_context().new_page()
    sign_in(manager, "manager1@demo.microgigs.test", DEMO_PASSWORD)
    loaded(manager)
    manager.get_by_role("link", name=re.compile(r"^Review submission: ")).first.click()
    expect(manager).to_have_url(re.compile(r"/engagements/\d+"))
    engagement_id = int(re.search(r"/engagements/(\d+)", manager.url).group(1))
    manager.get_by_role("button", name="Approve and pay").click()
    expect(manager.get_by_text(re.compile(r"^Approved — "))).to_be_visible()

    email, public_id, token = _credential_of(app_server.data_dir, engagement_id)

    # The student finds it under "Credentials" and opens the printable certificate.
    student = new_context(viewport=PHONE).new_page()
    sign_in(student, email, DEMO_PASSWORD)
    nav_link = open_menu(student).get_by_role("link", name="Credentials")
    expect(nav_link).to_have_attribute("href", "/credentials")
    student.goto("/credentials")  # (a clicked link stays hovered, in a lighter color, while axe reads it)
    expect(student.get_by_role("heading", level=1, name="My credentials")).to_be_visible()
    loaded(student)
    assert_accessible(student)
    student.locator(f'a[href="/credentials/{public_id}"]').click()
    expect(student.get_by_role("heading", name="Valid credential")).to_be_visible()
    expect(student.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    expect(student.get_by_role("link", name="Download credential (JSON)")).to_be_visible()
    assert_accessible(student)
    download = student.request.get(f"/credentials/{public_id}/download.json")
    assert download.json()["jwt"] == token

    # Anyone (signed out) follows the printed link, then pastes the credential itself.
    visitor = new_context().new_page()
    visitor.goto(f"/verify?id={public_id}")
    expect(visitor.get_by_role("heading", name="Valid credential")).to_be_visible()
    expect(visitor.get_by_text(re.compile(r"signed by this career center and not revoked"))).to_be_visible()
    assert_accessible(visitor)

    visitor.goto("/verify")
    visitor.get_by_label("Credential", exact=True).fill(token)
    visitor.get_by_role("button", name="Verify pasted credential").click()
    expect(visitor.get_by_role("heading", name="Valid credential")).to_be_visible()

    tampered = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    visitor.get_by_label("Credential", exact=True).fill(tampered)
    visitor.get_by_role("button", name="Verify pasted credential").click()
    expect(visitor.get_by_role("heading", name="Not a valid credential")).to_be_visible()
    assert_accessible(visitor)

    # --- both sides review; neither sees the other's until both are in ------------------------
    def rate(page, labels: list[str]) -> None:
        for label in labels:
            page.get_by_role("combobox", name=label).click()
            page.get_by_role("option", name="5 of 5").click()

    manager.goto(f"/engagements/{engagement_id}")
    manager.get_by_role("link", name="Reviews: rate each other").click()
    expect(manager).to_have_url(re.compile(rf"/engagements/{engagement_id}/review"))
    form = manager.get_by_role("form", name="Write your review")
    expect(form).to_be_visible()
    assert_accessible(manager)
    rate(manager, ["Quality of the work", "Timeliness", "Communication"])
    form.get_by_label("Your review").fill("Thorough, on time, and clear in every update.")
    form.get_by_label("A private note to the career center").fill("Strong hire candidate")
    form.get_by_role("button", name="Submit review").click()
    expect(manager.get_by_text("Thank you: your review is in.", exact=False)).to_be_visible()

    student.goto(f"/engagements/{engagement_id}/review")
    expect(student.get_by_text("It is in, and shown once yours is in too")).to_be_visible()
    expect(student.get_by_text("Thorough, on time")).to_have_count(0)
    assert_accessible(student)
    rate(student, ["Clarity of the scope", "Communication", "Fairness", "Paid on time"])
    student.get_by_role("button", name="Submit review").click()
    expect(student.get_by_text("Thorough, on time, and clear in every update.")).to_be_visible()
    expect(student.get_by_text("Strong hire candidate")).to_have_count(0)  # private notes stay private
    assert_accessible(student)


def test_staff_dashboard_shows_figures_with_tables_and_csv(new_context, app_server, assert_accessible):
    staff = new_context(viewport=PHONE).new_page()
    sign_in(staff, "staff@demo.microgigs.test", DEMO_PASSWORD)
    staff.goto("/staff/insights")
    expect(staff.get_by_role("heading", level=1, name="Career-center dashboard")).to_be_visible()
    loaded(staff)
    expect(staff.get_by_role("heading", name="Applications per gig", exact=True)).to_be_visible()
    expect(staff.get_by_text("Groups of fewer than 5 students are not shown", exact=False)).to_be_visible()
    assert_accessible(staff)
    link = staff.get_by_role("link", name="Download CSV: Applications per gig")
    with staff.expect_download() as download:  # a real click must reach our route, not the client router
        link.click()
    assert download.value.suggested_filename == "applications_per_gig.csv"
    assert open(download.value.path(), encoding="utf-8").read().startswith("gig_id,gig,employer,applications")
    # A student is not staff.
    student = new_context().new_page()
    sign_in(student, "student2@demo.microgigs.test", DEMO_PASSWORD)
    student.goto("/staff/insights")
    expect(student.get_by_text("This page is for career-center staff.")).to_be_visible()
