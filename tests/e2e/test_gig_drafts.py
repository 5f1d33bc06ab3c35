"""Drafts in a real browser: a manager fills the posting form and previews it (the card as the
board shows it and the gig's own page), edits the draft, posts it for review, then reuses it
as a template for a new gig from the manage page. On a 375 px wide phone; axe on every page."""

import re
import secrets
import sqlite3
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.e2e.test_moderation_flow import PHONE, loaded, sign_up


def test_preview_edit_post_and_reuse_as_a_template(new_context, app_server, assert_accessible):
    token = secrets.token_hex(3)
    org_name = f"Tidewater Survey Co {token}"
    title = f"Tide pool count {token}"
    manager = new_context(viewport=PHONE).new_page()
    sign_up(
        manager,
        app_server,
        "hiring for an employer",
        f"Mara {token}",
        f"mara.{token}@tidewater.example.org",
        "a long walk by the river",
        org_name,
    )
    with sqlite3.connect(app_server.data_dir / "microgigs.db") as db:
        db.execute("UPDATE organization SET status = 'approved', trusted = 0 WHERE name = ?", (org_name,))

    today = date.today()
    manager.goto("/gigs/new")
    form = manager.get_by_role("form", name="Post a gig")
    expect(form).to_be_visible()
    form.get_by_label("Title").fill(title)
    form.get_by_label("One-line summary").fill("Count the creatures in four tide pools at low tide.")
    form.get_by_label("Scope of the work").fill("Visit **four pools** twice and log what you see.")
    form.get_by_role("combobox", name="Category").click()
    manager.get_by_role("option", name="Research").click()
    form.get_by_label("Application deadline").fill((today + timedelta(days=10)).isoformat())
    form.get_by_label("Estimated hours").fill("12")
    form.get_by_label("Due date").fill((today + timedelta(days=30)).isoformat())
    form.get_by_label("Pay per student (US dollars)").fill("600")
    form.get_by_label("Questions for applicants").fill("Can you be at the shore at dawn?")
    form.get_by_role("button", name="Preview").click()

    # The preview: a draft nobody else sees, as the board and its page will show it.
    manager.wait_for_url(re.compile(r"/gigs/\d+/preview/?$"))
    gig_id = int(re.search(r"/gigs/(\d+)/preview", manager.url).group(1))
    expect(manager.get_by_role("heading", level=1, name=f"Preview: {title}")).to_be_visible()
    board_card = manager.get_by_role("article").filter(has=manager.get_by_role("link", name=title))
    expect(board_card).to_be_visible()
    expect(board_card.get_by_text("$600.00")).to_be_visible()
    expect(manager.get_by_text("four pools")).to_be_visible()  # the scope's markdown, rendered
    expect(manager.get_by_text("This is how students will see your gig.", exact=False)).to_be_visible()
    assert manager.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(manager)

    # Back to the form, filled in with the draft; change the title and preview again.
    manager.get_by_role("link", name="Edit the draft").click()
    manager.wait_for_url(re.compile(rf"/gigs/{gig_id}/edit/?$"))
    form = manager.get_by_role("form", name="Edit your draft")
    expect(form.get_by_label("Title")).to_have_value(title)
    expect(form.get_by_label("Pay per student (US dollars)")).to_have_value("600")
    expect(form.get_by_label("Questions for applicants")).to_have_value("Can you be at the shore at dawn?")
    assert_accessible(manager)
    form.get_by_label("Title").fill(f"{title} at dawn")
    form.get_by_label("Pay per student (US dollars)").fill("12")  # below the fair-pay floor
    form.get_by_role("button", name="Preview").click()
    expect(form.get_by_text(re.compile("at least .* an hour", re.I)).first).to_be_visible()
    form.get_by_label("Pay per student (US dollars)").fill("650")
    form.get_by_role("button", name="Preview").click()
    manager.wait_for_url(re.compile(rf"/gigs/{gig_id}/preview/?$"))
    expect(manager.get_by_role("heading", level=1, name=f"Preview: {title} at dawn")).to_be_visible()

    # Post it: an untrusted employer's gig goes to the career center first.
    manager.get_by_role("button", name="Post gig").click()
    expect(manager.get_by_role("status").filter(has_text=f"Submitted for review: “{title} at dawn”")).to_be_visible()
    expect(manager.get_by_role("button", name="Post gig")).to_have_count(0)
    assert_accessible(manager)

    # Reuse it: the manage page's template button opens a new, filled-in form without dates.
    manager.goto(f"/manage/gigs/{gig_id}")
    loaded(manager)
    assert_accessible(manager)
    manager.get_by_role("link", name="Use as a template").click()
    manager.wait_for_url(re.compile(rf"/gigs/new/?\?from={gig_id}$"))
    form = manager.get_by_role("form", name="Post a gig")
    expect(form.get_by_label("Title")).to_have_value(f"{title} at dawn")
    expect(form.get_by_label("Due date")).to_have_value("")
    expect(manager.get_by_text(f"Started from “{title} at dawn”", exact=False)).to_be_visible()
    assert_accessible(manager)
    form.get_by_label("Title").fill(f"{title} again")
    form.get_by_label("Application deadline").fill((today + timedelta(days=12)).isoformat())
    form.get_by_label("Due date").fill((today + timedelta(days=40)).isoformat())
    form.get_by_role("button", name="Post gig").click()
    expect(manager.get_by_role("status").filter(has_text=f"Submitted for review: “{title} again”")).to_be_visible()
    with sqlite3.connect(app_server.data_dir / "microgigs.db") as db:
        rows = db.execute("SELECT id, status FROM gig WHERE title LIKE ? ORDER BY id", (f"{title}%",)).fetchall()
    assert [status for _, status in rows] == ["in_review", "in_review"] and rows[0][0] == gig_id
