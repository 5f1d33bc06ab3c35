"""Smoke: the built app serves the home page, the page talks to the backend, and axe passes."""

import re

from playwright.sync_api import expect


def test_home_page_renders_and_is_accessible(page, assert_accessible):
    page.goto("/")

    expect(page).to_have_title(re.compile("MicroGigs"))
    # One h1 per page (the site name in the header is not a heading).
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # The board arrives over the websocket from the backend: wait until it replaced the placeholder.
    expect(page.get_by_text("Loading gigs…")).to_have_count(0)

    assert_accessible(page)
