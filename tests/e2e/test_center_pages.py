"""The center's help, terms and privacy pages in the browser: opened from every page's footer by
their link names, on a phone-sized screen (no sideways scrolling), each showing the general text
while the center has written none; the header names the center ("MicroGigs", the demo's default);
the sign-up form links the terms and the privacy notice. Axe passes, in dark mode too.

This test changes no settings (the app server is shared by the whole browser session)."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import goto_ready

PHONE = {"width": 375, "height": 812}
PAGES = (
    ("Help", "/help", "Help", "For students"),
    ("Terms", "/terms", "Terms of use", "Pay is fixed before the work starts."),
    ("Privacy", "/privacy", "Privacy", "What is kept"),
)


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"{page.url} scrolls sideways at 375 px: {width[0]} px wide"


def footer(page: Page):
    return page.get_by_role("contentinfo")


def test_the_footer_leads_to_help_terms_and_privacy_on_a_phone(new_context, assert_accessible):
    page = new_context(viewport=PHONE).new_page()
    goto_ready(page, "/")
    home = page.get_by_role("link", name="MicroGigs home")
    expect(home).to_be_visible()
    expect(home).to_have_text("MicroGigs")
    for link, path, heading, words in PAGES:
        footer(page).get_by_role("link", name=link, exact=True).click()
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        expect(page.get_by_text(words, exact=False).first).to_be_visible()
        expect(page.get_by_role("link", name="MicroGigs home")).to_be_visible()
        no_sideways_scroll(page)
        assert_accessible(page)


def test_the_pages_open_directly_and_sign_up_links_the_terms_and_privacy(new_context, assert_accessible):
    page = new_context(viewport=PHONE, color_scheme="dark").new_page()
    goto_ready(page, "/privacy")
    expect(page.get_by_role("heading", name="Privacy", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Your choices")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)

    goto_ready(page, "/signup")
    expect(page.get_by_text("By creating an account you agree to the")).to_be_visible()
    page.get_by_role("link", name="terms of use").click()
    expect(page.get_by_role("heading", name="Terms of use", level=1)).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="privacy notice").click()
    expect(page.get_by_role("heading", name="Privacy", level=1)).to_be_visible()
    expect(page.get_by_text("What is kept")).to_be_visible()
