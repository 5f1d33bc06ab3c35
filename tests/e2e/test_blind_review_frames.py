"""Blind review, checked on the wire: every websocket frame the manager's page receives while
it shows blind applicants is captured (Playwright's `framereceived`), and none may hold the
applicant's name, email, photo URL, school, major or graduation year: not only what is drawn,
but everything the state sends, including a live push when a second student applies while the
page is open. After the manager shortlists an applicant, that applicant's details do arrive;
declining the other one reveals nothing and shows on that student's open dashboard without a
reload (within every expect's generous wait; benchmarks/live_push.py measures how fast).
"""

import re
import secrets

from playwright.sync_api import expect
from sqlmodel import Session

from microgigs.db import make_engine
from microgigs.demo import builders
from microgigs.services import accounts, applications, gigs, profiles
from microgigs.services.applications import ApplicationInput
from microgigs.services.profiles import StudentProfileInput
from tests.e2e.app_data import app_session, demo_manager, survey_gig
from tests.e2e.test_accounts import sign_in

DEMO_PASSWORD = "demo-password-2026"


def _engine(data_dir):
    return make_engine(f"sqlite:///{data_dir / 'microgigs.db'}")


def _blind_gig(data_dir, title: str) -> int:
    with app_session(data_dir) as session:
        gig = gigs.create_gig(session, demo_manager(session), survey_gig(title, blind_review=True, slots=2))
        session.commit()
        return gig.id


def _student(data_dir, gig_id: int, name: str, email: str, school: str, major: str, year: int, apply: bool = True) -> int:
    """A student with a full pedigree and a photo, who applies unless told not to; returns their user id."""
    engine = _engine(data_dir)
    try:
        with Session(engine, expire_on_commit=False) as session:
            student = builders.signed_up(session, accounts.SignUp(email=email, password=DEMO_PASSWORD, display_name=name))
            profiles.update_student_profile(
                session, student, StudentProfileInput(school=school, major=major, graduation_year=str(year), hours_per_week="12")
            )
            student.photo_name = f"photo-{student.id}.png"  # as set_photo names it; the file itself does not matter here
            session.add(student)
            if apply:
                applications.apply(session, student, gig_id, ApplicationInput(note="I cleaned survey exports for our student union."))
            session.commit()
            return student.id
    finally:
        engine.dispose()


def _hidden(frames: list[str], secrets_: list[str]) -> list[str]:
    """The secrets that appear in any frame (empty = nothing leaked)."""
    return [s for s in secrets_ if any(s.lower() in f.lower() for f in frames)]


def test_no_hidden_field_reaches_the_managers_browser_until_shortlisting(new_context, app_server, assert_accessible):
    token = secrets.token_hex(3)
    title = f"Blind survey charts {token}"
    gig_id = _blind_gig(app_server.data_dir, title)
    first = {
        "name": f"Octavia Vandermeer {token}",
        "email": f"octavia.{token}@ivy-elite.example.edu",
        "school": f"Ivy Elite University {token}",
        "major": f"Astrophysics {token}",
        "year": 2029,
    }
    first_id = _student(app_server.data_dir, gig_id, **first)

    manager = new_context().new_page()
    frames: list[str] = []
    manager.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived", lambda payload: frames.append(payload if isinstance(payload, str) else payload.decode("utf-8", "replace"))
        ),
    )
    sign_in(manager, "manager1@demo.microgigs.test", DEMO_PASSWORD)
    manager.goto(f"/manage/gigs/{gig_id}")
    expect(manager.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(manager.get_by_role("heading", name="Applicant 1")).to_be_visible()
    assert_accessible(manager)

    # A second student applies in their own browser while the page is open: the live push
    # brings "Applicant 2" to the manager.
    second = {
        "name": f"Bartholomew Quince {token}",
        "email": f"bart.{token}@old-money.example.edu",
        "school": f"Old Money College {token}",
        "major": f"Classics {token}",
        "year": 2030,
    }
    second_id = _student(app_server.data_dir, gig_id, **second, apply=False)
    applicant = new_context().new_page()
    sign_in(applicant, second["email"], DEMO_PASSWORD)
    applicant.goto(f"/gigs/{gig_id}")
    applicant.get_by_label("Why you fit this gig").fill("I charted survey results for a student newspaper last year.")
    applicant.get_by_role("button", name="Apply").click()
    expect(applicant.get_by_text(re.compile("Applied — see your"))).to_be_visible()
    expect(manager.get_by_role("heading", name="Applicant 2")).to_be_visible()

    def secrets_of(person: dict, user_id: int) -> list[str]:
        return [
            person["name"],
            person["name"].split()[1],  # the surname alone
            person["email"],
            person["email"].split("@")[1],  # the school's mail domain
            person["school"],
            person["major"],
            f"/photos/{user_id}",
            f"photo-{user_id}.png",
        ]

    assert frames, "no websocket frames were captured"
    assert any("Applicant 2" in f for f in frames), "the live push was not among the captured frames"
    assert _hidden(frames, secrets_of(first, first_id) + secrets_of(second, second_id)) == []
    # The years are bare numbers: look for them as whole numbers, not inside ids or dates.
    assert not any(re.search(r"(?<![\d-])(2029|2030)(?![\d-])", f) for f in frames), "a graduation year reached the browser"

    # Shortlisting reveals the first applicant (and only them), on the wire and on the page.
    before = len(frames)
    manager.get_by_role("button", name="Shortlist Applicant 1").click()
    expect(manager.get_by_role("heading", name=first["name"])).to_be_visible()
    after = frames[before:]
    for shown in (first["name"], first["email"], first["school"], first["major"]):
        assert any(shown in f for f in after), f"{shown!r} did not arrive after shortlisting"
    assert any(re.search(r"(?<![\d-])2029(?![\d-])", f) for f in after), "the graduation year did not arrive after shortlisting"
    assert _hidden(frames, secrets_of(second, second_id)) == [], "shortlisting one applicant revealed another"
    # Photos of students never go to managers, shortlisted or not.
    assert _hidden(frames, [f"/photos/{first_id}", f"photo-{first_id}.png"]) == []
    assert_accessible(manager)

    # The second student watches their dashboard; the manager's decision shows up there live,
    # and declining a blind applicant reveals nothing either.
    applicant.goto("/dashboard")
    expect(applicant.get_by_role("button", name=f"Withdraw application: {title}")).to_be_visible()
    manager.get_by_role("button", name="Decline Applicant 2").click()
    expect(applicant.get_by_text("Declined", exact=True)).to_be_visible()
    expect(applicant.get_by_role("button", name=f"Withdraw application: {title}")).to_have_count(0)
    assert _hidden(frames, secrets_of(second, second_id)) == [], "declining revealed the applicant"
