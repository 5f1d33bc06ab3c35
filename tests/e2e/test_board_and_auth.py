"""Sign-in, sign-up and the board in a real browser, found by role and accessible name.

Runs against the demo data (`app_server` seeds it). Each test uses its own browser
context, so cookies never leak between them.
"""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

DEMO_STUDENT = "student1@demo.microgigs.test"
DEMO_PASSWORD = "demo-password-2026"
PHONE = {"width": 375, "height": 812}


def _session_cookies(context) -> list[dict]:
    return [c for c in context.cookies() if "session" in c["name"]]


def _board_loaded(page) -> None:
    expect(page.get_by_text("Loading gigs…")).to_have_count(0)


def test_wrong_password_shows_the_error_by_the_form_and_sets_no_cookie(new_context, assert_accessible):
    context = new_context(viewport=PHONE)
    page = context.new_page()
    page.goto("/login?next=/dashboard")

    page.get_by_label("Email address").fill(DEMO_STUDENT)
    page.get_by_label("Password").fill("not-the-password-1")
    page.get_by_role("button", name="Sign in").click()

    form = page.get_by_role("form", name="Sign in")
    expect(form.get_by_role("alert")).to_have_text(re.compile("do not match an account"))
    expect(page.get_by_label("Email address")).to_have_value(DEMO_STUDENT)
    expect(page.get_by_label("Password")).to_have_value("")
    assert urlsplit(page.url).path.rstrip("/") == "/login"
    assert _session_cookies(context) == []
    assert_accessible(page)

    # The right password then signs in and goes where the visitor was heading.
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/dashboard/?$"))
    cookie = _session_cookies(context)
    assert len(cookie) == 1 and cookie[0]["httpOnly"]


def test_sign_up_refusals_are_shown_next_to_each_field_with_values_kept(new_context, assert_accessible):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/signup")

    page.get_by_label("Your name").fill("Second Account")
    page.get_by_label("Email address").fill(DEMO_STUDENT)
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create account").click()

    email, password = page.get_by_label("Email address"), page.get_by_label("Password")
    expect(password).to_have_accessible_description(re.compile("Use at least 10 characters"))
    expect(password).to_have_attribute("aria-invalid", "true")
    # A registered address is never a field error: that would tell who has an account.
    expect(email).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Your name")).to_have_value("Second Account")
    expect(email).to_have_value(DEMO_STUDENT)
    expect(page.get_by_role("alert")).to_have_text(re.compile("a problem with 1 field"))
    assert "password" not in parse_qs(urlsplit(page.url).query)  # a password never travels in a URL
    assert_accessible(page)

    # Employers name their organization; the choice and the fields survive a refusal too.
    page.get_by_role("radio", name="hiring for an employer").check()
    expect(page.get_by_label("Organization name")).to_be_visible()
    page.get_by_label("Email address").fill("new.employer@localhost")
    page.get_by_label("Password").fill("a long enough passphrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_label("Organization name")).to_have_accessible_description(re.compile("Enter your organization's name"))
    expect(page.get_by_label("Email address")).to_have_accessible_description(re.compile("Enter an email address like"))
    expect(page.get_by_role("radio", name="hiring for an employer")).to_be_checked()
    expect(page.get_by_label("Email address")).to_have_value("new.employer@localhost")


def test_board_search_and_category_live_in_the_url_and_survive_reload(page, assert_accessible):
    page.goto("/")
    _board_loaded(page)
    count = page.get_by_role("status").filter(has_text="open gig")
    everything = count.inner_text()
    first = page.get_by_role("article").first
    title = first.get_by_role("heading", level=2).inner_text()
    category = first.get_by_text(
        re.compile(r"^(Marketing|Research|Data analysis|Software|Design|Writing|Operations|Finance)$")
    ).inner_text()
    word = max(re.findall(r"[A-Za-z]{4,}", title), key=len)

    page.get_by_label("Search gigs").fill(word)
    page.get_by_text("Filters and sort").click()
    page.get_by_label("Category").select_option(label=category)
    page.get_by_role("button", name="Search", exact=True).click()

    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("category") == [category])
    assert parse_qs(urlsplit(page.url).query)["q"] == [word]
    expect(count).not_to_have_text(everything)  # the filtered results have arrived
    expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()
    shown = count.inner_text()

    page.reload()
    _board_loaded(page)
    expect(page.get_by_label("Search gigs")).to_have_value(word)
    expect(page.get_by_label("Category")).to_have_value(category)
    expect(page.get_by_role("status").filter(has_text="open gig")).to_have_text(shown)
    expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()
    assert_accessible(page)

    # Nothing matches: a plain message instead of an empty list.
    page.goto("/?q=zzzz-no-such-gig")
    expect(page.get_by_text("No open gigs match your search.")).to_be_visible()


def test_board_employer_filter_fills_when_opened_and_keeps_its_choice(page, new_context):
    """The employer options are not sent with a plain visit; opening the panel brings them, a URL
    naming an employer shows that choice (and only its gigs) on a fresh load, and a URL that opens
    the panel fills it by itself."""
    page.goto("/")
    _board_loaded(page)
    employer = page.get_by_role("article").first.get_by_role("paragraph").first.inner_text()
    expect(page.get_by_label("Employer").get_by_role("option")).to_have_count(1)  # "All employers"

    page.get_by_text("Filters and sort").click()
    page.get_by_label("Employer").select_option(label=employer)  # waits for the options to arrive
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(lambda url: "employer" in parse_qs(urlsplit(url).query))

    page.reload()
    _board_loaded(page)
    expect(page.get_by_label("Employer").locator("option:checked")).to_have_text(employer)
    cards = page.get_by_role("article")
    expect(cards.first).to_contain_text(employer)
    for card in cards.all():
        expect(card.get_by_role("paragraph").first).to_have_text(employer)

    # A sort or another filter opens the panel: its employers arrive without a click (a new
    # browser context, so its page state has no employers from the visits above).
    fresh = new_context().new_page()
    fresh.goto("/?sort=pay")
    _board_loaded(fresh)
    expect(fresh.get_by_label("Employer").get_by_role("option", name=employer)).to_be_attached()


def test_board_and_gig_detail_at_phone_width_are_accessible(new_context, assert_accessible):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/")
    _board_loaded(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a gig")
    assert_accessible(page)

    link = page.get_by_role("article").first.get_by_role("heading", level=2).get_by_role("link")
    title = link.inner_text()
    link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("heading", name="Scope of the work")).to_be_visible()
    sign_in = page.get_by_role("link", name="Sign in to apply")
    expect(sign_in).to_have_attribute("href", re.compile(r"^/login\?next=/gigs/\d+$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing overflows sideways
    assert_accessible(page)


def test_unknown_gig_is_a_friendly_not_found(page, assert_accessible):
    page.goto("/gigs/999999")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gig not found")
    expect(page.get_by_role("link", name="Browse open gigs")).to_be_visible()
    assert_accessible(page)


def test_the_board_first_page_comes_in_the_html_and_gives_way_to_the_app(new_context, assert_accessible):
    # Before (or without) the app's scripts: the URL's first page of gigs is on the page, links
    # and all. (The scripts are refused rather than JavaScript turned off, so axe can still run.)
    no_app = new_context(viewport=PHONE)
    no_app.route(re.compile(r"/assets/.+\.js$"), lambda route: route.abort())
    bare = no_app.new_page()
    bare.goto("/?sort=pay")
    static_status = bare.get_by_role("status").filter(has_text="open gig")
    expect(static_status).to_be_visible()
    static_titles = bare.get_by_role("article").get_by_role("heading", level=2)
    expect(static_titles.first).to_be_visible()
    titles = static_titles.all_inner_texts()
    assert 0 < len(titles) <= 20
    href = bare.get_by_role("article").first.get_by_role("link").get_attribute("href")
    assert re.fullmatch(r"/gigs/\d+", href)
    expect(bare.get_by_text("Loading gigs…")).to_be_hidden()  # the gigs are there: nothing is loading
    assert_accessible(bare)

    # With scripts: the app draws the same gigs and the HTML's copy is gone (no duplicates),
    # also after going to a gig and back within the app.
    page = new_context(viewport=PHONE).new_page()
    page.goto("/?sort=pay")
    _board_loaded(page)
    expect(page.locator("#board-first-page")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="open gig")).to_have_text(static_status.inner_text())
    assert page.get_by_role("article").get_by_role("heading", level=2).all_inner_texts() == titles
    assert_accessible(page)
    page.get_by_role("article").first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/gigs/\d+$"))
    page.go_back()
    _board_loaded(page)
    expect(page.get_by_role("article").first).to_be_visible()
    expect(page.locator("#board-first-page")).to_have_count(0)
