"""Who viewed what: opening an applicant list, a workspace, a student's photo or an export
writes one view event per open (not per live reload, not for one's own data), repeats within
the window are not written again, and staff find them by kind, actor and subject."""

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from microgigs.models import AuditEvent, User
from microgigs.services import audit_log, profiles, view_log
from microgigs.services.errors import NotAllowed
from microgigs.services.validation import ValidationFailed
from microgigs.state.manage_gig import ManageGigState
from microgigs.state.staff import StaffAuditState, StaffStudentState, audit_url
from microgigs.state.workspace import EngagementState
from tests.unit.state_harness import redirect_path, run_handler, session_token, state_for

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def views(session, kind: str = "") -> list[tuple[str, int | None, int, dict]]:
    session.expire_all()
    query = select(AuditEvent).where(AuditEvent.action.startswith("viewed.")).order_by(AuditEvent.id)
    if kind:
        query = query.where(AuditEvent.action == f"viewed.{kind}")
    return [(e.action, e.actor_id, e.subject_id, json.loads(e.detail) if e.detail else {}) for e in session.exec(query)]


def test_a_view_is_written_once_per_window_and_never_for_ones_own_data(session, make):
    staff, student = make.staff(), make.student()
    assert view_log.record_view(session, staff, "photo", "user", student.id) == 1
    assert view_log.record_view(session, staff, "photo", "user", student.id) == 0  # a refresh
    assert view_log.record_view(session, student, "photo", "user", student.id) == 0  # their own
    assert view_log.record_view(session, None, "photo", "user", student.id) == 0  # nobody signed in
    # Another detail is another view (e.g. the same student on another gig).
    assert view_log.record_view(session, staff, "workspace", "user", student.id, engagement_id=1) == 1
    assert view_log.record_view(session, staff, "workspace", "user", student.id, engagement_id=2) == 1
    assert view_log.record_view(session, staff, "workspace", "user", student.id, engagement_id=2) == 0
    assert len(views(session)) == 3
    # Once the window has passed, opening it again is a new view.
    for event in session.exec(select(AuditEvent)):
        event.created_at -= view_log.DEDUPE_WINDOW + timedelta(seconds=1)
        session.add(event)
    session.flush()
    assert view_log.record_view(session, staff, "photo", "user", student.id) == 1
    with pytest.raises(ValueError):
        view_log.record_view(session, staff, "gossip", "user", student.id)


def test_opening_the_applicant_list_records_each_applicant_once_blind_or_revealed(app_db, make):
    employer = make.employer()
    gig = make.gig(employer, slots=2)
    ada, bob = make.student("Ada"), make.student("Bob")
    first, second = make.apply(ada, gig), make.apply(bob, gig)
    app_db.commit()
    manager = employer.manager

    state = state_for(ManageGigState, f"/manage/gigs/{gig.id}", session_token(app_db, manager))
    run_handler("load_gig", state)
    assert state.blind_review
    assert views(app_db) == [
        ("viewed.applicant", manager.id, ada.id, {"application_id": first.id, "gig_id": gig.id, "revealed": False}),
        ("viewed.applicant", manager.id, bob.id, {"application_id": second.id, "gig_id": gig.id, "revealed": False}),
    ]
    # A live push re-reads the page and acting reloads it: neither is a new open.
    state._live_reload()
    run_handler("shortlist", state, first.id)
    assert len(views(app_db)) == 2
    # Opening the page again within the window: only what changed (Ada is now revealed) is new.
    run_handler("load_gig", state)
    assert views(app_db)[2:] == [("viewed.applicant", manager.id, ada.id, {"application_id": first.id, "gig_id": gig.id, "revealed": True})]

    # Someone who may not see the list leaves no view behind.
    outsider = make.employer().manager
    app_db.commit()
    other = state_for(ManageGigState, f"/manage/gigs/{gig.id}", session_token(app_db, outsider))
    run_handler("load_gig", other)
    assert not other.found and [v for v in views(app_db) if v[1] == outsider.id] == []


def test_opening_a_workspace_is_a_view_for_managers_and_staff_not_the_student(app_db, make):
    hired = make.hired()
    staff = make.staff()
    app_db.commit()
    url = f"/engagements/{hired.engagement.id}"
    for person in (hired.student, hired.employer.manager, staff):
        state = state_for(EngagementState, url, session_token(app_db, person))
        run_handler("load_engagement", state)
        assert state.found
        state._live_reload()
    detail = {"engagement_id": hired.engagement.id}
    assert views(app_db, "workspace") == [
        ("viewed.workspace", hired.employer.manager.id, hired.student.id, detail),
        ("viewed.workspace", staff.id, hired.student.id, detail),
    ]


def test_staff_seeing_a_students_photo_is_a_view(session, make):
    staff, student = make.staff(), make.student()
    profiles.set_photo(session, student, "me.png", PNG)
    profiles.photo_for(session, student, student.id)
    assert views(session) == []
    profiles.photo_for(session, staff, student.id)
    profiles.photo_for(session, staff, student.id)
    assert views(session) == [("viewed.photo", staff.id, student.id, {})]


def test_staff_filter_the_log_by_kind_actor_and_whose_data(session, make):
    employer = make.employer()
    staff, ada, bob = make.staff(), make.student("Ada"), make.student("Bob")
    view_log.record_view(session, employer.manager, "workspace", "user", ada.id, engagement_id=7)
    view_log.record_view(session, staff, "photo", "user", ada.id)
    view_log.record_view(session, staff, "photo", "user", bob.id)
    view_log.record_view(session, staff, "export", "report", 0, table="gigs_over_time")

    def actions(**filters) -> list[tuple[str, str]]:
        return [(row.action, row.subject) for row in audit_log.search(session, staff, **filters)]

    everything = actions()
    assert ("user.signed_up", f"user {ada.id} (Ada <{ada.email}>)") in everything  # not only views
    assert set(actions(kind="views")) == {
        ("viewed.workspace", f"user {ada.id} (Ada <{ada.email}>)"),
        ("viewed.photo", f"user {ada.id} (Ada <{ada.email}>)"),
        ("viewed.photo", f"user {bob.id} (Bob <{bob.email}>)"),
        ("viewed.export", "report 0"),
    }
    # "Who viewed Ada?" — by her email, in any case.
    who = audit_log.search(session, staff, kind="views", subject_email=ada.email.upper())
    assert {(row.action, row.actor) for row in who} == {
        ("viewed.workspace", f"{employer.manager.display_name} <{employer.manager.email}>"),
        ("viewed.photo", f"{staff.display_name} <{staff.email}>"),
    }
    assert actions(kind="viewed.photo", actor_email=staff.email) == [
        ("viewed.photo", f"user {bob.id} (Bob <{bob.email}>)"),
        ("viewed.photo", f"user {ada.id} (Ada <{ada.email}>)"),
    ]
    assert actions(kind="views", actor_email=employer.manager.email, subject_email=bob.email) == []
    assert actions(kind="viewed.export") == [("viewed.export", "report 0")]

    with pytest.raises(ValidationFailed) as bad:
        audit_log.search(session, staff, kind="viewed.minds", subject_id="twelve", subject_email="not-an-email", actor_email="x@")
    assert set(bad.value.errors) == {"kind", "subject_id", "subject_email", "actor_email"}
    with pytest.raises(NotAllowed):
        audit_log.search(session, employer.manager, kind="views")


def test_audit_page_filters_come_from_and_go_to_the_url(app_db, make):
    staff, ada = make.staff(), make.student("Ada")
    manager = make.employer().manager
    view_log.record_view(app_db, manager, "applicant", "user", ada.id, application_id=1, gig_id=1, revealed=False)
    app_db.commit()

    url = audit_url({"kind": "views", "subject_email": ada.email, "actor_email": "", "subject_type": "", "subject_id": ""})
    assert url == "/staff/audit/?kind=views&subject_email=" + ada.email.replace("@", "%40")
    assert audit_url({"kind": "all"}) == "/staff/audit/"

    state = state_for(StaffAuditState, url, session_token(app_db, staff))
    run_handler("load_audit", state)
    assert (state.kind, state.subject_email) == ("views", ada.email)
    assert [(row.action, row.actor) for row in state.rows] == [("viewed.applicant", f"{manager.display_name} <{manager.email}>")]
    assert state.results_text == "1 event"

    spec = run_handler("search", state, {"kind": "viewed.photo", "subject_email": ada.email, "actor_email": " "})
    assert redirect_path(spec) == "/staff/audit/?kind=viewed.photo&subject_email=" + ada.email.replace("@", "%40")

    bad = state_for(StaffAuditState, "/staff/audit/?subject_email=nobody&kind=views", session_token(app_db, staff))
    run_handler("load_audit", bad)
    assert bad.field_errors["subject_email"] == "Enter an email address like name@example.edu." and bad.rows == []

    student_state = state_for(StaffAuditState, "/staff/audit/?kind=views", session_token(app_db, ada))
    run_handler("load_audit", student_state)
    assert not student_state.allowed and student_state.rows == []


def test_a_subject_without_an_account_row_shows_just_its_number(session, make):
    staff = make.staff()
    view_log.record_view(session, staff, "photo", "user", 999_999)
    assert audit_log.search(session, staff, kind="viewed.photo")[0].subject == "user 999999"
    assert session.get(User, 999_999) is None


def test_staff_opening_a_students_profile_is_a_view_and_only_staff_may(app_db, make):
    staff = make.staff()
    ada = make.student("Ada", school="Hidden University", major="Maths", graduation_year=2027)
    manager = make.employer().manager
    app_db.commit()

    state = state_for(StaffStudentState, f"/staff/students/{ada.id}", session_token(app_db, staff))
    run_handler("load_student", state)
    assert state.found and (state.student.email, state.student.school, state.student.graduation_year) == (
        ada.email,
        "Hidden University",
        "2027",
    )
    run_handler("load_student", state)  # a refresh within the window
    assert views(app_db, "profile") == [("viewed.profile", staff.id, ada.id, {})]
    # The audit row links back to the profile it is about.
    [row] = audit_log.search(app_db, staff, kind="viewed.profile")
    assert row.subject_href == f"/staff/students/{ada.id}"

    for person, message in ((manager, "Only career-center staff"), (ada, "Only career-center staff")):
        refused = state_for(StaffStudentState, f"/staff/students/{ada.id}", session_token(app_db, person))
        run_handler("load_student", refused)
        assert not refused.found and message in refused.message and refused.student.email == ""
    for url in (f"/staff/students/{manager.id}", "/staff/students/999999", "/staff/students/abc"):
        missing = state_for(StaffStudentState, url, session_token(app_db, staff))
        run_handler("load_student", missing)
        assert not missing.found and "not" in missing.message.lower()
    assert len(views(app_db, "profile")) == 1
    signed_out = state_for(StaffStudentState, f"/staff/students/{ada.id}")
    assert redirect_path(run_handler("load_student", signed_out)) == f"/login?next=/staff/students/{ada.id}"
