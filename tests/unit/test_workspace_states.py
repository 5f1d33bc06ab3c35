"""Dashboard, manage-applicants and engagement-workspace states, without a browser.

Each state is instantiated under pytest (rx.State + get_substate) with a router that
carries the page URL and the session cookie, against this test's own database; the
handlers' functions are called the way Reflex calls them for an event.
"""

import io
from pathlib import Path

import reflex as rx
from sqlmodel import select

from microgigs.models import Application, Engagement, Submission
from microgigs.services import credentials
from microgigs.services.errors import DomainError
from microgigs.services.validation import ValidationFailed
from microgigs.state.dashboard import DashboardState
from microgigs.state.manage_gig import ManageGigState
from microgigs.state.session import field_errors
from microgigs.state.workspace import EngagementState, ReviewForm, SubmitForm
from tests.unit.state_harness import form_of
from tests.unit.state_harness import redirect_path as _redirect_path
from tests.unit.state_harness import run_handler as _run
from tests.unit.state_harness import session_token as _token
from tests.unit.state_harness import state_for as _state

PDF = b"%PDF-1.4\n%%EOF\n"


def _upload(name: str, data: bytes) -> rx.UploadFile:
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


# --- helpers ------------------------------------------------------------------------


def test_field_errors():
    assert field_errors(ValidationFailed({"note": "Enter a note.", "link": "Bad link."})) == {"note": "Enter a note.", "link": "Bad link."}
    assert field_errors(DomainError("Say what should change.", "comment")) == {"comment": "Say what should change."}
    assert field_errors(DomainError("Already approved.")) == {"form": "Already approved."}


# --- dashboard --------------------------------------------------------------------------


def test_dashboard_sends_a_signed_out_visitor_to_sign_in(app_db):
    state = _state(DashboardState, "/dashboard")
    assert _redirect_path(_run("load_dashboard", state)) == "/login?next=/dashboard"
    assert not state.loaded


def test_student_dashboard_lists_applications_and_engagements_and_withdraws(app_db, make):
    employer = make.employer("Northwind")
    student = make.student("Ada Student")
    hired = make.hired(employer=employer, student=student, title="Paid work")
    open_gig = make.gig(employer, title="Still open")
    waiting = make.apply(student, open_gig)
    app_db.commit()

    state = _state(DashboardState, "/dashboard", _token(app_db, student))
    assert _run("load_dashboard", state) is None
    assert state.view == "student"
    assert {a.gig_title: a.status for a in state.applications} == {"Paid work": "accepted", "Still open": "submitted"}
    assert [(e.id, e.gig_title, e.employer) for e in state.engagements] == [(hired.engagement.id, "Paid work", "Northwind")]
    assert state.payment_label == "demo payments — no money moves"

    _run("withdraw", state, waiting.id)
    assert state.notice == "Application withdrawn."
    assert state.row_errors == {}
    assert {a.gig_title: a.status for a in state.applications}["Still open"] == "withdrawn"

    # Withdrawing again (or an accepted one) is refused by the service, next to that row.
    _run("withdraw", state, hired.engagement.application_id)
    assert "cannot be withdrawn" in state.row_errors[str(hired.engagement.application_id)]


def test_a_student_cannot_withdraw_someone_elses_application(app_db, make):
    employer = make.employer()
    gig = make.gig(employer)
    owner, other = make.student(), make.student()
    application = make.apply(owner, gig)
    app_db.commit()

    state = _state(DashboardState, "/dashboard", _token(app_db, other))
    _run("withdraw", state, application.id)
    assert state.row_errors[str(application.id)] == "You can only withdraw your own applications."
    app_db.expire_all()
    assert app_db.get(Application, application.id).status == "submitted"


def test_manager_dashboard_shows_gigs_reviews_and_a_pending_organization(app_db, make):
    employer = make.employer("Greenleaf")
    hired = make.hired(employer=employer, title="Write the report")
    make.submit(hired)
    pending = make.employer("New Co", status="pending")
    app_db.commit()

    state = _state(DashboardState, "/dashboard", _token(app_db, employer.manager))
    _run("load_dashboard", state)
    assert (state.view, state.organization, state.organization_pending) == ("manager", "Greenleaf", False)
    assert [(g.title, g.filled_slots, g.slots, g.applicants) for g in state.gigs] == [("Write the report", 1, 1, 1)]
    assert [r.id for r in state.to_review] == [hired.engagement.id]

    state = _state(DashboardState, "/dashboard", _token(app_db, pending.manager))
    _run("load_dashboard", state)
    assert (state.view, state.organization_pending, state.gigs) == ("manager", True, [])


def test_staff_get_the_staff_view(app_db, make):
    staff = make.staff()
    app_db.commit()
    state = _state(DashboardState, "/dashboard", _token(app_db, staff))
    _run("load_dashboard", state)
    assert state.view == "staff"


# --- manage applicants ----------------------------------------------------------------------


def test_manage_gig_is_blind_until_shortlist_and_accept_links_the_workspace(app_db, make):
    employer = make.employer()
    gig = make.gig(employer, slots=2)
    ada = make.student("Ada Lovelace", school="Hidden University", major="Maths", graduation_year=2027)
    bob = make.student("Bob Hidden")
    first = make.apply(ada, gig)
    second = make.apply(bob, gig)
    app_db.commit()

    state = _state(ManageGigState, f"/manage/gigs/{gig.id}", _token(app_db, employer.manager))
    _run("load_gig", state)
    assert state.found and state.blind_review
    assert [(a.label, a.email, a.school) for a in state.applicants] == [("Applicant 1", "", ""), ("Applicant 2", "", "")]
    assert "Ada" not in repr(state.dict()) and "Hidden University" not in repr(state.dict())

    _run("shortlist", state, first.id)
    shown = {a.application_id: a for a in state.applicants}[first.id]
    assert (shown.label, shown.school, shown.graduation_year) == ("Ada Lovelace", "Hidden University", "2027")

    _run("accept", state, first.id)
    engagement = app_db.exec(select(Engagement).where(Engagement.application_id == first.id)).one()
    accepted = {a.application_id: a for a in state.applicants}[first.id]
    assert (accepted.status, accepted.engagement_id) == ("accepted", engagement.id)
    assert state.filled_text == "1 of 2 filled"

    _run("decline", state, {"application_id": str(second.id), "feedback": "x" * 201})
    assert state.card_errors[str(second.id)] == "Keep feedback to one line (200 characters)."
    _run("decline", state, {"application_id": str(second.id), "feedback": "We chose someone with more SQL."})
    assert str(second.id) not in state.card_errors
    app_db.expire_all()
    declined = app_db.get(Application, second.id)
    assert (declined.status, declined.feedback) == ("declined", "We chose someone with more SQL.")

    _run("accept", state, second.id)
    assert state.card_errors[str(second.id)] == "This application is already declined."
    _run("decline", state, {"application_id": "not a number"})
    assert state.card_errors["not a number"] == "That application was not found."


def test_manage_gig_is_not_found_for_other_managers_and_students(app_db, make):
    gig = make.gig(make.employer())
    other = make.employer()
    student = make.student()
    application = make.apply(student, gig)
    app_db.commit()

    for person in (other.manager, student):
        state = _state(ManageGigState, f"/manage/gigs/{gig.id}", _token(app_db, person))
        _run("load_gig", state)
        assert state.loaded and not state.found and state.applicants == []
        # Acting anyway (any client can send any event) is refused by the service.
        _run("accept", state, application.id)
        assert state.card_errors[str(application.id)] == "Only the gig's managers can choose applicants."
    app_db.expire_all()
    assert app_db.get(Application, application.id).status == "submitted"

    state = _state(ManageGigState, f"/manage/gigs/{gig.id}")
    assert _redirect_path(_run("load_gig", state)) == f"/login?next=/manage/gigs/{gig.id}"


# --- engagement workspace ------------------------------------------------------------------------


def test_student_submits_files_and_sees_each_fields_error(app_db, make):
    hired = make.hired()
    app_db.commit()
    url = f"/engagements/{hired.engagement.id}"
    page = _state(EngagementState, url, _token(app_db, hired.student))
    _run("load_engagement", page)
    assert page.found and page.can_submit and not page.can_review

    state = form_of(page, SubmitForm)
    _run("submit_deliverable", state, [_upload("run.exe", b"MZ")], {"note": "", "link": "not a link"})
    assert set(state.errors) == {"note", "link", "files"}
    assert "run.exe" in state.errors["files"]
    assert app_db.exec(select(Submission)).all() == []

    _run(
        "submit_deliverable", state, [_upload("findings.pdf", PDF)], {"note": "The charts are in the PDF.", "link": "https://example.com/x"}
    )
    assert state.errors == {}
    assert state.notice == "Version 1 submitted. The manager has been told."
    assert state.view.status == "submitted" and not state.can_submit
    [version] = state.view.submissions
    assert (version.version, version.link, [f.name for f in version.files]) == (1, "https://example.com/x", ["findings.pdf"])

    # A second click on a stale page gets the service's reason, not a second version.
    _run("submit_deliverable", state, [], {"note": "again, with more words than twenty"})
    assert state.errors == {"form": "Your last version is waiting for the manager's review."}


def test_manager_approves_the_version_shown_and_the_student_sees_it_paid(app_db, make):
    hired = make.hired(pay_cents=45_000)
    make.submit(hired)
    app_db.commit()
    url = f"/engagements/{hired.engagement.id}"
    page = _state(EngagementState, url, _token(app_db, hired.employer.manager))
    _run("load_engagement", page)
    assert page.can_review and page.latest_version == 1

    manager = form_of(page, ReviewForm)
    _run("request_changes", manager, 1, {"comment": "   "})
    assert manager.errors == {"comment": "Say what should change."}

    _run("approve", manager, "not a version")
    assert manager.errors == {"form": "Reload the page and try again."}

    _run("approve", manager, 2)  # a page showing a version that is not the latest
    assert manager.errors == {"form": "A newer version (v1) has arrived; review that one."}

    _run("approve", manager, 1)
    assert manager.errors == {}
    assert manager.view.status == "paid" and not manager.can_review
    assert manager.paid_text == f"Approved — $450.00 paid to {hired.student.display_name} (demo payments — no money moves)"

    student = _state(EngagementState, url, _token(app_db, hired.student))
    _run("load_engagement", student)
    assert student.view.status == "paid" and not student.can_submit
    # The credential is signed after the approval's commit, within the same click.
    app_db.expire_all()
    assert credentials.engagement_credential(app_db, hired.engagement.id) is not None


def test_request_changes_reopens_the_form_for_the_student(app_db, make):
    hired = make.hired()
    make.submit(hired)
    app_db.commit()
    url = f"/engagements/{hired.engagement.id}"
    manager = form_of(_state(EngagementState, url, _token(app_db, hired.employer.manager)), ReviewForm)
    _run("load_engagement", manager.parent_state)
    _run("request_changes", manager, 1, {"comment": "Add a chart per region."})
    assert manager.notice == "Changes requested. The student has been told."
    assert manager.rounds_text == "1 of 2 used"

    student = _state(EngagementState, url, _token(app_db, hired.student))
    _run("load_engagement", student)
    assert student.view.status == "changes_requested" and student.can_submit
    assert student.view.submissions[0].decision_comment == "Add a chart per region."


def test_engagement_is_not_found_for_outsiders_and_they_cannot_act(app_db, make):
    hired = make.hired()
    make.submit(hired)
    outsider = make.student()
    other_manager = make.employer().manager
    app_db.commit()
    url = f"/engagements/{hired.engagement.id}"
    for person in (outsider, other_manager):
        state = _state(EngagementState, url, _token(app_db, person))
        _run("load_engagement", state)
        assert state.loaded and not state.found and state.view.id == 0
        review = form_of(state, ReviewForm)
        _run("approve", review, 1)
        assert review.errors == {"form": "That engagement was not found."}
    app_db.expire_all()
    assert app_db.get(Engagement, hired.engagement.id).status == "submitted"

    state = _state(EngagementState, url)
    assert _redirect_path(_run("load_engagement", state)) == f"/login?next={url}"
