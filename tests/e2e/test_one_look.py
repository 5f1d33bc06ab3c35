"""One look (issue 19 point 6) in the browser: page titles are "<what> · <center name>" for a
visitor, a student, a manager and staff (and at an address with no page); a page about one gig is
titled by the gig; and a scope
written as a markdown list shows its bullets on the gig page, in the workspace, on the
manage-applicants page and in a draft's preview, each page axe-clean.

The center keeps the environment's name ("MicroGigs") here: the app server is shared by the whole
browser session, and renaming the center would change what other tests see."""

import re
import secrets

from playwright.sync_api import Page, expect

from microgigs.demo import builders
from microgigs.services import accounts, applications, gigs
from microgigs.services.applications import ApplicationInput
from tests.e2e.app_data import DEMO_PASSWORD, app_session, demo_manager, survey_gig
from tests.e2e.test_accounts import sign_in

CENTER = "MicroGigs"
STAFF = "staff@demo.microgigs.test"
MANAGER = "manager1@demo.microgigs.test"
PHONE = {"width": 375, "height": 812}
LIST_SCOPE = "Three steps:\n\n- clean the *CSV export*\n- chart the five findings\n- write a [short README](https://example.com/readme)"


def title_of(what: str) -> str:
    return f"{what} · {CENTER}"


def loaded(page: Page) -> None:
    expect(page.get_by_text(re.compile(r"^Loading"))).to_have_count(0)


def gigs_with_a_listed_scope(data_dir, token: str) -> dict:
    """An open gig of manager1's with a new student hired on it, and a draft with the same scope."""
    with app_session(data_dir) as session:
        manager = demo_manager(session)
        email = f"lou.{token}@students.example.edu"
        student = builders.signed_up(session, accounts.SignUp(email=email, password=DEMO_PASSWORD, display_name=f"Lou Look {token}"))
        gig = gigs.create_gig(session, manager, survey_gig(f"Listed survey {token}", scope=LIST_SCOPE))
        application = applications.apply(session, student, gig.id, ApplicationInput(note="I can:\n\n- clean\n- chart"))
        engagement = applications.accept(session, manager, application.id)
        draft = gigs.create_gig(session, manager, survey_gig(f"Draft survey {token}", scope=LIST_SCOPE), publish=False)
        session.commit()
        return {
            "email": email,
            "gig": gig.id,
            "title": gig.title,
            "engagement": engagement.id,
            "draft": draft.id,
            "draft_title": draft.title,
        }


def assert_bullets(page: Page, item_text: str) -> None:
    """The scope's list item is drawn as a list item with a marker (Radix's reset takes it away)."""
    item = page.locator(".prose li", has_text=item_text).first
    expect(item).to_be_visible()
    style = item.evaluate("li => { const s = getComputedStyle(li); return [s.display, s.listStyleType] }")
    assert style[0] == "list-item" and style[1] not in ("none", ""), style
    padding = item.evaluate("li => parseFloat(getComputedStyle(li.parentElement).paddingLeft)")
    assert padding > 0, "the bullets must sit inside the page, not in the margin"
    link = page.locator(".prose a", has_text="short README").first
    expect(link).to_have_attribute("rel", "nofollow noopener noreferrer")
    assert link.evaluate("a => getComputedStyle(a).textDecorationLine") == "underline"


def test_titles_name_the_page_then_the_center_for_every_role(new_context):
    visitor = new_context(viewport=PHONE).new_page()
    for path, what in (("/", "Find a gig"), ("/login", "Sign in"), ("/help", "Help"), ("/verify", "Verify a credential")):
        visitor.goto(path)
        expect(visitor).to_have_title(title_of(what))

    staff = new_context().new_page()
    sign_in(staff, STAFF, DEMO_PASSWORD)
    expect(staff).to_have_title(title_of("Dashboard"))
    for path, what in (("/staff/insights", "Insights"), ("/staff/audit", "Audit log"), ("/staff/disputes", "Disputes")):
        staff.goto(path)
        expect(staff).to_have_title(title_of(what))

    manager = new_context().new_page()
    sign_in(manager, MANAGER, DEMO_PASSWORD)
    for path, what in (("/organization", "Your organization"), ("/gigs/new", "Post a gig")):
        manager.goto(path)
        expect(manager).to_have_title(title_of(what))


def test_an_address_with_no_page_says_so_in_the_readers_language(new_context, assert_accessible):
    visitor = new_context(viewport=PHONE).new_page()
    visitor.goto("/no-such-page/at-all")
    expect(visitor.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
    expect(visitor).to_have_title(title_of("Page not found"))
    expect(visitor.get_by_role("link", name="Find a gig on the board")).to_have_attribute("href", "/")
    assert_accessible(visitor)
    # Opened straight in a fresh tab, it still speaks the visitor's language.
    spanish = new_context(viewport=PHONE, locale="es-ES").new_page()
    spanish.goto("/gigz")
    expect(spanish.get_by_role("heading", name="Página no encontrada", level=1)).to_be_visible()
    expect(spanish).to_have_title(title_of("Página no encontrada"))
    assert_accessible(spanish)


def test_a_listed_scope_has_bullets_wherever_it_is_shown(new_context, app_server, assert_accessible):
    token = secrets.token_hex(3)
    made = gigs_with_a_listed_scope(app_server.data_dir, token)

    student = new_context(viewport=PHONE).new_page()
    sign_in(student, made["email"], DEMO_PASSWORD)
    student.goto("/credentials")
    expect(student).to_have_title(title_of("My credentials"))

    student.goto(f"/gigs/{made['gig']}")
    loaded(student)
    expect(student).to_have_title(title_of(made["title"]))
    assert_bullets(student, "chart the five findings")
    expect(student.locator(".prose em", has_text="CSV export")).to_be_visible()
    assert_accessible(student)

    student.goto(f"/engagements/{made['engagement']}")
    loaded(student)
    expect(student).to_have_title(title_of(made["title"]))
    assert_bullets(student, "chart the five findings")
    assert_accessible(student)

    manager = new_context().new_page()
    sign_in(manager, MANAGER, DEMO_PASSWORD)
    manager.goto(f"/manage/gigs/{made['gig']}")
    loaded(manager)
    expect(manager).to_have_title(title_of(f"Applicants for {made['title']}"))
    expect(manager.locator(".prose li", has_text=re.compile(r"^chart$")).first).to_be_visible()  # the applicant's note, a list too
    manager.get_by_text("Scope of the work").click()
    assert_bullets(manager, "chart the five findings")
    assert_accessible(manager)

    manager.goto(f"/gigs/{made['draft']}/preview")
    loaded(manager)
    expect(manager).to_have_title(title_of(f"Preview: {made['draft_title']}"))
    assert_bullets(manager, "chart the five findings")
    assert_accessible(manager)
