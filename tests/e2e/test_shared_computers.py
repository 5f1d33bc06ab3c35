"""Shared computers, in a real browser (issue 14, point 4).

1. A manager has a gig's applicants open (names, emails, schools shown), in two tabs. Then a
   student signs in in the same tab (after signing the manager out, or without): every
   websocket frame either tab receives from then on, and every page it draws, holds none of
   the manager's page data. The other tab stops showing the applicants by itself. Even a tab
   that kept its old Reflex token (the page's own script is bypassed) gets a clean state.
2. A page that shows one object picked by its URL never draws another object, not for one
   frame: every DOM state (each mutation) and every animation frame is recorded from before
   the navigation until the new object is drawn, for a client-side navigation between two
   gigs and for a full page load of a gig's applicants after another gig's.
"""

import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from microgigs.services import gigs
from tests.e2e.app_data import app_session, demo_manager, survey_gig
from tests.e2e.test_accounts import sign_in
from tests.e2e.test_blind_review_frames import _student

DEMO_PASSWORD = "demo-password-2026"
MANAGER = "manager1@demo.microgigs.test"

# Installed in every document of a page before its own scripts: what <main> and the title
# showed, at every DOM change (before it can be painted) and at every animation frame.
RECORD_EVERY_DRAWN_STATE = """
(() => {
  const samples = [];
  const snap = () => {
    const main = document.querySelector("main");
    samples.push({ path: location.pathname, title: document.title, text: main ? main.innerText : "" });
  };
  new MutationObserver(snap).observe(document, { subtree: true, childList: true, characterData: true });
  const frame = () => { snap(); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  window.__drawn = samples;
})();
"""


def _gig(data_dir, title: str) -> int:
    with app_session(data_dir) as session:
        gig = gigs.create_gig(session, demo_manager(session), survey_gig(title, blind_review=False, slots=2))
        session.commit()
        return gig.id


def _text(payload) -> str:
    return payload if isinstance(payload, str) else payload.decode("utf-8", "replace")


class Frames:
    """Every websocket frame a tab receives, by socket (each page load opens its own)."""

    def __init__(self, page: Page) -> None:
        self.sockets: list[list[str]] = []
        page.on("websocket", self._opened)

    def _opened(self, ws) -> None:
        received: list[str] = []
        self.sockets.append(received)
        ws.on("framereceived", lambda payload: received.append(_text(payload)))

    def mark(self) -> int:
        """Where the page loads from now on begin."""
        return len(self.sockets)

    def since(self, mark: int = 0) -> list[str]:
        """The frames of every socket opened since `mark`."""
        return [frame for socket in self.sockets[mark:] for frame in socket]


def _leaked(texts: list[str], secrets_: list[str]) -> list[str]:
    return [s for s in secrets_ if any(s in text for text in texts)]


@pytest.mark.parametrize("signs_out_first", [True, False], ids=["after-sign-out", "no-sign-out"])
def test_a_student_signing_in_where_a_manager_was_gets_none_of_the_managers_page_data(
    new_context, app_server, assert_accessible, signs_out_first
):
    token = secrets.token_hex(3)
    title = f"Shared lab survey {token}"
    gig_id = _gig(app_server.data_dir, title)
    applicant = {
        "name": f"Octavia Vandermeer {token}",
        "email": f"octavia.{token}@ivy-elite.example.edu",
        "school": f"Ivy Elite University {token}",
        "major": f"Astrophysics {token}",
        "year": 2029,
    }
    _student(app_server.data_dir, gig_id, **applicant)
    secrets_ = [
        applicant["name"],
        applicant["email"],
        applicant["school"],
        applicant["major"],
        "I cleaned survey exports for our student union.",
    ]
    student = "student3@demo.microgigs.test" if signs_out_first else "student4@demo.microgigs.test"

    browser = new_context()  # one lab computer: one browser, two tabs
    tab = browser.new_page()
    frames = Frames(tab)
    sign_in(tab, MANAGER, DEMO_PASSWORD)
    tab.goto(f"/manage/gigs/{gig_id}")
    expect(tab.get_by_role("heading", name=applicant["name"])).to_be_visible()
    managers_token = tab.evaluate("() => sessionStorage.getItem('token')")
    other_tab = browser.new_page()
    other_frames = Frames(other_tab)
    other_tab.goto(f"/manage/gigs/{gig_id}")
    expect(other_tab.get_by_role("heading", name=applicant["name"])).to_be_visible()
    other_token = other_tab.evaluate("() => sessionStorage.getItem('token')")
    # What must not leak did reach the manager's tabs (so the checks below would see it).
    assert _leaked(frames.since(), secrets_) == secrets_
    assert _leaked(other_frames.since(), secrets_) == secrets_

    # From the sign-out (or the student's sign-in) on, every page load belongs to the student.
    if signs_out_first:
        seen, other_seen = frames.mark(), other_frames.mark()
        tab.get_by_role("button", name="Sign out").click()
        expect(tab.get_by_role("link", name="Sign in")).to_be_visible()
        tab.goto("/login")
    else:
        with tab.expect_websocket():  # still the manager's page load, with the manager's own data
            tab.goto("/login")
        seen, other_seen = frames.mark(), other_frames.mark()
    tab.get_by_label("Email address").fill(student)
    tab.get_by_label("Password").fill(DEMO_PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    expect(tab).to_have_url(re.compile(r"/dashboard"))
    expect(tab.get_by_role("heading", level=1)).not_to_have_text(re.compile("Loading"))
    # The student opens the very address the manager had open.
    tab.goto(f"/manage/gigs/{gig_id}")
    expect(tab.get_by_role("heading", level=1, name="Gig not found")).to_be_visible()
    assert_accessible(tab)

    assert frames.since(seen), "no frames were captured after the switch"
    assert _leaked(frames.since(seen), secrets_) == [], "the student's tab received the manager's page data"
    assert _leaked([tab.content()], secrets_) == []
    assert tab.evaluate("() => sessionStorage.getItem('token')") != managers_token, "the tab kept its Reflex token"

    # The manager's other tab stopped showing the applicants by itself (it reloaded: now the
    # student's, or the sign-in page), and nothing it received since holds them.
    expect(other_tab.get_by_role("heading", name=applicant["name"])).to_have_count(0)
    expect(other_tab.get_by_role("heading", level=1)).not_to_have_text(re.compile("Loading"))
    assert other_tab.evaluate("() => sessionStorage.getItem('token')") != other_token, "the other tab kept its Reflex token"
    assert _leaked([other_tab.content()], secrets_) == []
    assert _leaked(other_frames.since(other_seen), secrets_) == [], "the other tab received the manager's page data"

    # A tab that kept the manager's Reflex token (as if the page's script had not run) still
    # gets a clean state: the server checks who is behind the cookie on every event.
    seen = frames.mark()
    tab.evaluate("t => sessionStorage.setItem('token', t)", managers_token)
    tab.reload()
    expect(tab.get_by_role("heading", level=1, name="Gig not found")).to_be_visible()
    assert tab.evaluate("() => sessionStorage.getItem('token')") == managers_token
    assert frames.since(seen)
    assert _leaked(frames.since(seen), secrets_) == [], "the old token's state reached the student"


def _drawn_since(page: Page, start: int) -> list[dict]:
    return page.evaluate("start => window.__drawn.slice(start)", start)


def test_going_from_one_gigs_page_to_anothers_never_draws_the_first_one_there(new_context, app_server, assert_accessible):
    token = secrets.token_hex(3)
    title_a, title_b = f"Alpha charts {token}", f"Bravo{token} charts"
    gig_a, gig_b = _gig(app_server.data_dir, title_a), _gig(app_server.data_dir, title_b)
    page = new_context().new_page()
    page.add_init_script(RECORD_EVERY_DRAWN_STATE)

    page.goto(f"/gigs/{gig_a}")
    expect(page.get_by_role("heading", level=1, name=title_a)).to_be_visible()
    # The board, searched so that only gig B is listed; the tab's state still holds gig A.
    page.goto(f"/?q=Bravo{token}")
    link_b = page.locator("main").get_by_role("link", name=title_b)
    expect(link_b).to_be_visible()
    start = page.evaluate("() => window.__drawn.length")

    link_b.click()  # client-side: React Router draws gig B's page at once, its data come later
    expect(page.get_by_role("heading", level=1, name=title_b)).to_be_visible()
    assert page.url.endswith(f"/gigs/{gig_b}")
    drawn = _drawn_since(page, start)

    on_b = [d for d in drawn if d["path"] == f"/gigs/{gig_b}"]
    assert on_b, "nothing was recorded on gig B's page"
    assert [d for d in on_b if title_a in d["text"] or title_a in d["title"]] == [], "gig A was drawn on gig B's page"
    assert title_b in on_b[-1]["text"]
    assert_accessible(page)


def test_opening_a_gigs_applicants_after_anothers_never_draws_the_other_ones(new_context, app_server, assert_accessible):
    token = secrets.token_hex(3)
    title_a, title_b = f"Alpha applicants {token}", f"Bravo applicants {token}"
    gig_a, gig_b = _gig(app_server.data_dir, title_a), _gig(app_server.data_dir, title_b)
    name_a = f"Amelia Applicant {token}"
    _student(
        app_server.data_dir, gig_a, name=name_a, email=f"amelia.{token}@example.edu", school=f"School {token}", major="History", year=2028
    )
    page = new_context().new_page()
    sign_in(page, MANAGER, DEMO_PASSWORD)
    page.add_init_script(RECORD_EVERY_DRAWN_STATE)

    page.goto(f"/manage/gigs/{gig_a}")
    expect(page.get_by_role("heading", name=name_a)).to_be_visible()
    page.goto(f"/gigs/{gig_b}")
    expect(page.get_by_role("heading", level=1, name=title_b)).to_be_visible()

    # A full page load this time: its first frame carries the tab's state, which holds gig A's applicants.
    page.get_by_role("link", name="Manage applicants").click()
    expect(page).to_have_url(re.compile(rf"/manage/gigs/{gig_b}$"))
    expect(page.get_by_role("heading", level=1, name=title_b)).to_be_visible()
    expect(page.get_by_text("No applications yet.")).to_be_visible()
    drawn = page.evaluate("() => window.__drawn")

    assert drawn, "nothing was recorded on the applicants page"
    assert [d for d in drawn if title_a in d["text"] or name_a in d["text"] or title_a in d["title"]] == [], (
        "gig A's applicants were drawn on gig B's"
    )
    assert title_b in drawn[-1]["text"]
    page.mouse.move(0, 0)  # the click's pointer now rests on a link of this page (its hover colour is not the test)
    assert_accessible(page)
