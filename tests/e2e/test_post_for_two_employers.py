"""A manager of two employers (as an accepted invitation from a second one leaves them) picks
on the posting form which one posts the gig, and the dashboard shows both employers' gigs."""

import re
import secrets
import sqlite3
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.e2e.test_moderation_flow import PHONE, loaded, sign_up


def test_a_manager_of_two_employers_chooses_who_posts_and_sees_both(new_context, app_server, assert_accessible):
    token = secrets.token_hex(3)
    own, other = f"Harbor Maps {token}", f"Dune Survey {token}"
    manager_email = f"lea.{token}@harbor.example.org"
    manager = new_context(viewport=PHONE).new_page()
    sign_up(manager, app_server, "hiring for an employer", f"Lea {token}", manager_email, "a long walk by the river", own)
    sign_up(
        new_context().new_page(),
        app_server,
        "hiring for an employer",
        f"Ola {token}",
        f"ola.{token}@dune.example.org",
        "a long walk by the river",
        other,
    )
    with sqlite3.connect(app_server.data_dir / "microgigs.db") as db:
        db.execute("UPDATE organization SET status = 'approved', trusted = 1 WHERE name IN (?, ?)", (own, other))
        (user_id,) = db.execute("SELECT id FROM user WHERE email = ?", (manager_email,)).fetchone()
        (other_id,) = db.execute("SELECT id FROM organization WHERE name = ?", (other,)).fetchone()
        db.execute(
            "INSERT INTO membership (user_id, organization_id, role, created_at) VALUES (?, ?, 'manager', CURRENT_TIMESTAMP)",
            (user_id, other_id),
        )

    title = f"Chart the dunes {token}"
    today = date.today()
    manager.goto("/gigs/new")
    form = manager.get_by_role("form", name="Post a gig")
    expect(form).to_be_visible()
    form.get_by_label("Title").fill(title)
    form.get_by_label("One-line summary").fill("Walk the dunes and chart their height.")
    form.get_by_label("Scope of the work").fill("Measure ten dunes twice and chart the results.")
    form.get_by_role("combobox", name="Category").click()
    manager.get_by_role("option", name="Research").click()
    form.get_by_label("Application deadline").fill((today + timedelta(days=10)).isoformat())
    form.get_by_label("Estimated hours").fill("12")
    form.get_by_label("Due date").fill((today + timedelta(days=30)).isoformat())
    form.get_by_label("Pay per student (US dollars)").fill("600")
    # Without a choice the service asks for one, next to the field.
    form.get_by_role("button", name="Post gig").click()
    chooser = form.get_by_role("combobox", name="Posting for")
    expect(chooser).to_have_accessible_description(re.compile("Choose which of your organizations"))
    assert_accessible(manager)
    chooser.click()
    manager.get_by_role("option", name=other).click()
    form.get_by_role("button", name="Post gig").click()
    manager.wait_for_url(re.compile(r"/gigs/\d+/?$"))
    expect(manager.get_by_text(other).first).to_be_visible()

    manager.goto("/dashboard")
    loaded(manager)
    card = manager.get_by_role("article").filter(has=manager.get_by_role("link", name=title))
    expect(card.get_by_text(f"Employer: {other}")).to_be_visible()
    expect(manager.get_by_text(f"{own}, {other}")).to_be_visible()
    assert_accessible(manager)
