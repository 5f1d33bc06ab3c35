"""Phone navigation and the staff hub (issue 19 point 1), in the browser.

Below 768 px the header is one line: the center's name, the notifications bell and a "Menu"
button opening a dialog with the same places as the wide header. Wide screens show the links,
staff one "Staff" link to the hub (/staff). And no page any role can reach scrolls sideways at
320 px or breaks an axe-core rule, in the light and the dark colour scheme."""

import json
import re
import sqlite3
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.app_data import DEMO_MANAGER, DEMO_PASSWORD
from tests.e2e.conftest import ROOT, check_accessible, goto_ready, open_menu
from tests.e2e.test_accounts import sign_in
from tests.e2e.test_admin_settings import ADMIN_PASSWORD, make_admin

PHONE = {"width": 375, "height": 812}
NARROW = {"width": 320, "height": 720}
STUDENT = "student1@demo.microgigs.test"
STAFF = "staff@demo.microgigs.test"
STAFF_LINKS = ("Insights", "Money", "Moderation", "Employers", "Disputes", "Skills", "Audit", "Outbox", "Settings")
HUB_PAGES = {
    "Insights": "/staff/insights",
    "Money": "/staff/money",
    "Moderation": "/staff/gigs",
    "Prohibited content": "/staff/terms",
    "Employers": "/staff/employers",
    "Disputes": "/staff/disputes",
    "Skills": "/staff/skills",
    "Audit": "/staff/audit",
    "Outbox": "/admin/outbox",
}


def loaded(page: Page) -> None:
    expect(page.get_by_text(re.compile(r"^(Loading|Checking)"))).to_have_count(0)


def menu_button(page: Page):
    # While the dialog is open, Radix hides the rest of the page from the accessibility tree.
    return page.get_by_role("button", name="Menu", exact=True, include_hidden=True)


def test_a_phone_header_is_one_line_and_its_menu_works_by_keyboard(new_context, assert_accessible):
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, STUDENT, DEMO_PASSWORD)
    loaded(page)
    banner = page.get_by_role("banner")
    button = menu_button(page)
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    # The wide links are not drawn (nor in the accessibility tree): one navigation per width.
    expect(banner.get_by_role("link", name="Dashboard")).to_have_count(0)
    expect(banner.get_by_role("navigation")).to_have_count(0)
    # One line: the header's row is as tall as its tallest item, not two rows of links.
    row = page.locator(".site-header-bar").bounding_box()
    home = page.get_by_role("link", name="MicroGigs home").bounding_box()
    menu = button.bounding_box()
    assert row["height"] < 2 * max(home["height"], menu["height"]), row
    assert abs((home["y"] + home["height"] / 2) - (menu["y"] + menu["height"] / 2)) < 4, (home, menu)
    # The bell's name says how many are unread (student1 has unread notifications in the demo).
    bell = banner.get_by_role("link", name=re.compile(r"^Notifications(, \d+ unread)?$"))
    expect(bell).to_be_visible()
    expect(bell).to_have_attribute("href", "/notifications")
    assert_accessible(page)

    # Keyboard: Tab reaches the button, Enter opens the dialog with focus inside it.
    page.locator("body").focus()
    for _ in range(12):
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Menu")
    expect(dialog).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    assert dialog.evaluate("d => d.contains(document.activeElement)")
    for name in ("Gigs", "Dashboard", "Notifications", "Saved", "Credentials", "Portfolio", "Earnings", "Account"):
        expect(dialog.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(dialog.get_by_role("button", name="Sign out")).to_be_visible()
    expect(dialog.get_by_role("link", name="Staff")).to_have_count(0)
    # Tab never leaves the dialog while it is open (Radix's focus trap), round and round.
    for _ in range(20):
        page.keyboard.press("Tab")
        assert dialog.evaluate("d => d.contains(document.activeElement)")
    assert_accessible(page)
    # Escape closes it and gives focus back to the button.
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")

    # A link in the menu goes there and closes the menu.
    button.click()
    page.get_by_role("dialog", name="Menu").get_by_role("link", name="Earnings").click()
    expect(page).to_have_url(re.compile(r"/earnings$"))
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_visitor_menu_offers_gigs_sign_in_and_sign_up(new_context, assert_accessible):
    page = new_context(viewport=NARROW).new_page()
    goto_ready(page, "/login")
    expect(page.get_by_role("banner").get_by_role("link", name=re.compile("^Notifications"))).to_have_count(0)
    dialog = open_menu(page)
    links = dialog.get_by_role("link")
    expect(links).to_have_text(["Gigs", "Sign in", "Sign up"])
    expect(dialog.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)
    dialog.get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/signup$"))
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_the_unread_count_is_in_the_bells_name(new_context, app_server):
    with sqlite3.connect(app_server.data_dir / "microgigs.db") as db:
        unread = db.execute(
            "SELECT count(*) FROM notification n JOIN user u ON u.id = n.user_id WHERE u.email = ? AND n.read_at IS NULL", (DEMO_MANAGER,)
        ).fetchone()[0]
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, DEMO_MANAGER, DEMO_PASSWORD)
    name = f"Notifications, {unread} unread" if unread else "Notifications"
    expect(page.get_by_role("banner").get_by_role("link", name=name, exact=True)).to_be_visible()
    assert unread > 0, "the demo's manager1 should have unread notifications to show"


def test_wide_screens_show_one_staff_link_and_the_hub_lists_the_staff_pages(new_context, app_server, assert_accessible):
    staff = new_context().new_page()
    sign_in(staff, STAFF, DEMO_PASSWORD)
    nav = staff.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Staff", exact=True)).to_be_visible()
    for name in STAFF_LINKS:
        expect(nav.get_by_role("link", name=name, exact=True)).to_have_count(0)
    expect(menu_button(staff)).to_be_hidden()
    nav.get_by_role("link", name="Staff", exact=True).click()
    expect(staff).to_have_url(re.compile(r"/staff$"))
    expect(staff.get_by_role("heading", name="Staff", level=1)).to_be_visible()
    expect(staff).to_have_title("Staff · MicroGigs")
    main = staff.get_by_role("main")
    for name, href in HUB_PAGES.items():
        expect(main.get_by_role("link", name=name, exact=True)).to_have_attribute("href", href)
    expect(main.get_by_role("link", name="Settings", exact=True)).to_have_count(0)
    staff.mouse.move(0, 0)  # a clicked link stays hovered (lighter) while axe reads it
    assert_accessible(staff)
    main.get_by_role("link", name="Skills", exact=True).click()
    expect(staff.get_by_role("heading", name="Skills", level=1)).to_be_visible()

    # An admin's hub has the center's settings too; on a phone the menu leads there.
    admin = new_context(viewport=PHONE).new_page()
    sign_in(admin, make_admin(app_server), ADMIN_PASSWORD)
    open_menu(admin).get_by_role("link", name="Staff", exact=True).click()
    expect(admin).to_have_url(re.compile(r"/staff$"))
    expect(admin.get_by_role("main").get_by_role("link", name="Settings", exact=True)).to_have_attribute("href", "/admin/settings")
    assert_accessible(admin)


@pytest.mark.parametrize("email", [STUDENT, DEMO_MANAGER])
def test_the_hub_refuses_students_and_managers(new_context, email):
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, email, DEMO_PASSWORD)
    expect(open_menu(page).get_by_role("link", name="Staff")).to_have_count(0)
    page.keyboard.press("Escape")
    page.goto("/staff")
    expect(page.get_by_text("Only career-center staff can open the staff pages.")).to_be_visible()
    expect(page.get_by_role("link", name="Insights")).to_have_count(0)


def test_the_hub_sends_a_visitor_to_sign_in(new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/staff")
    expect(page).to_have_url(re.compile(r"/login"))


# --- the sweep: every page each role can reach, at 320 px, light and dark ---------------------------

# An address no page has: it shows the app's "404" page (registered as the route "404").
NO_SUCH_PAGE = "/no-such-page"

# Each of the app's routes, by who opens it in the sweep (a route may appear for several people).
# A new page fails test_every_route_is_in_the_sweep until it is placed here.
SWEEP = {
    "visitor": (
        "/",
        "/gigs/{gig}",
        "/login",
        "/signup",
        "/forgot-password",
        "/reset-password?token=nope",
        "/join?token=nope",
        "/verify",
        "/verify-email?token=nope",
        "/check-email",
        "/credentials/{credential}",
        "/evidence/{credential}",
        "/p/{handle}",
        "/help",
        "/terms",
        "/privacy",
        NO_SUCH_PAGE,
    ),
    "student": (
        "/dashboard",
        "/gigs/{gig}",
        "/saved",
        "/credentials",
        "/portfolio",
        "/earnings",
        "/notifications",
        "/profile",
        "/account",
        "/engagements/{student_engagement}",
        "/engagements/{paid_engagement}/review",
        "/engagements/{student_engagement}/dispute",
    ),
    "manager": (
        "/dashboard",
        "/gigs/new",
        "/manage/gigs/{gig}",
        "/gigs/{gig}/edit",
        "/gigs/{gig}/preview",
        "/organization",
        "/payments",
        "/payments/receipt/{paid_engagement}",
        "/engagements/{student_engagement}",
        "/profile",
    ),
    "staff": (
        "/dashboard",
        "/staff",
        "/staff/insights",
        "/staff/money",
        "/staff/gigs",
        "/staff/terms",
        "/staff/employers",
        "/staff/disputes",
        "/disputes/{dispute}",
        "/staff/skills",
        "/staff/audit",
        "/staff/students/{student}",
        "/admin/outbox",
    ),
    "admin": ("/staff", "/admin/settings"),
}


def app_routes() -> set[str]:
    """The app's page routes as it registers them ("/gigs/[gig_id]"), read in a child process
    (importing the app sets up metrics and the like, which this test process must not)."""
    code = "import json; from microgigs.microgigs import app; print(json.dumps(list(app._unevaluated_pages)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return {"/" if route == "index" else "/" + route for route in json.loads(out.strip().splitlines()[-1])}


def as_route(path: str) -> str:
    """ "/gigs/{gig}/edit?x" -> the pattern "/gigs/[]/edit" (dynamic parts compared by place)."""
    if path == NO_SUCH_PAGE:
        return "/404"
    return re.sub(r"\{[^}]+\}|\[[^]]+\]", "[]", path.split("?", 1)[0])


def test_every_route_is_in_the_sweep():
    swept = {as_route(path) for paths in SWEEP.values() for path in paths}
    routes = {as_route(route) for route in app_routes()}
    assert routes - swept == set(), "pages the sweep does not open: place them in SWEEP"
    assert swept - routes == set(), "the sweep names pages the app does not have"


def demo_ids(app_server) -> dict[str, object]:
    """Real ids from the demo data for the dynamic routes."""
    with sqlite3.connect(app_server.data_dir / "microgigs.db") as db:

        def one(sql: str, *args, default=None):
            row = db.execute(sql, args).fetchone()
            return row[0] if row else default

        manager_gigs = "SELECT g.id FROM gig g JOIN membership m ON m.organization_id = g.organization_id JOIN user u ON u.id = m.user_id WHERE u.email = ?"
        gig = one(manager_gigs + " AND g.status = 'open' ORDER BY g.id LIMIT 1", DEMO_MANAGER)
        student_engagements = (
            "SELECT e.id FROM engagement e JOIN user s ON s.id = e.student_id WHERE s.email = ? AND e.gig_id IN (" + manager_gigs + ")"
        )
        return {
            "gig": gig,
            "student": one("SELECT id FROM user WHERE email = ?", STUDENT),
            "student_engagement": one(student_engagements + " ORDER BY e.status = 'active' DESC, e.id LIMIT 1", STUDENT, DEMO_MANAGER),
            "paid_engagement": one(student_engagements + " AND e.status = 'paid' ORDER BY e.id LIMIT 1", STUDENT, DEMO_MANAGER)
            or one(
                "SELECT e.id FROM engagement e JOIN gig g ON g.id = e.gig_id WHERE e.status = 'paid' AND g.id IN ("
                + manager_gigs
                + ") LIMIT 1",
                DEMO_MANAGER,
            ),
            "credential": one("SELECT public_id FROM credential WHERE revoked_at IS NULL ORDER BY id LIMIT 1"),
            "handle": one("SELECT handle FROM portfolio ORDER BY is_public DESC LIMIT 1", default="no-such-handle"),
            "dispute": one("SELECT id FROM dispute ORDER BY id LIMIT 1", default=999999),
        }


NO_SIDEWAYS_SCROLL = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
WIDER_THAN_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' ' + (e.textContent || '').slice(0, 40))"""


CONTRAST_ONLY = {"runOnly": {"type": "rule", "values": ["color-contrast"]}, "resultTypes": ["violations"]}


def set_scheme(page: Page, scheme: str) -> None:
    """The app follows the system's scheme: switch the emulated one and wait for the page to follow."""
    page.emulate_media(color_scheme=scheme)
    page.wait_for_function("(dark) => document.documentElement.classList.contains('dark') === dark", arg=scheme == "dark")


def sweep_role(new_context, app_server, role: str, ids: dict) -> list[str]:
    page = new_context(viewport=NARROW).new_page()
    if role == "admin":
        sign_in(page, make_admin(app_server), ADMIN_PASSWORD)
    elif role != "visitor":
        sign_in(page, {"student": STUDENT, "manager": DEMO_MANAGER, "staff": STAFF}[role], DEMO_PASSWORD)
    problems = []
    for template in SWEEP[role]:
        path = template.format(**ids)
        # Not goto_ready: a page that moves on at once (e.g. to sign in) never answers its first event.
        page.goto(path)
        page.locator("main").first.wait_for(state="attached")
        loaded(page)
        for scheme in ("light", "dark"):
            set_scheme(page, scheme)
            scroll_width, client_width = page.evaluate(NO_SIDEWAYS_SCROLL)
            if scroll_width > client_width:
                problems.append(f"{role} {path} ({scheme}): {scroll_width}px wide on {client_width}px: {page.evaluate(WIDER_THAN_SCREEN)}")
            try:
                # Only colours change with the scheme: the dark pass checks contrast alone (faster).
                check_accessible(page, options=None if scheme == "light" else CONTRAST_ONLY)
            except pytest.fail.Exception as failure:
                problems.append(f"{role} {path} ({scheme}): {failure}")
        set_scheme(page, "light")
    return problems


def test_no_page_scrolls_sideways_at_320px_or_breaks_axe_in_either_scheme(new_context, app_server):
    ids = demo_ids(app_server)
    assert all(value is not None for value in ids.values()), ids
    problems = [problem for role in SWEEP for problem in sweep_role(new_context, app_server, role, ids)]
    assert problems == [], "\n".join(problems)
