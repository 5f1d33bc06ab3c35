"""Check-in milestones: the gig's managers set them, the student checks in on each, both
sides and staff see them, and everyone else is refused. Service rules first, then the
workspace state's handlers (as the page calls them) and the live notice they cause."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from microgigs import i18n, live
from microgigs.models import AuditEvent, Milestone, Notification
from microgigs.services import changes, closing, dashboards, milestones
from microgigs.services.errors import DomainError, NotAllowed
from microgigs.services.validation import ValidationFailed
from microgigs.state.workspace import CheckInForm, EngagementState, MilestoneForm
from tests.unit.state_harness import form_of
from tests.unit.state_harness import run_handler as _run
from tests.unit.state_harness import session_token as _token
from tests.unit.state_harness import state_for as _state


def test_a_manager_sets_a_milestone_and_the_student_checks_in_twice(session, make):
    hired = make.hired()
    e, manager, student = hired.engagement, hired.employer.manager, hired.student
    when = date.today() + timedelta(days=3)
    m = milestones.add_milestone(session, manager, e.id, "  Data cleaned  ", when)
    assert (m.title, m.due_date, m.status) == ("Data cleaned", when, "open")
    told = session.exec(select(Notification).where(Notification.user_id == student.id, Notification.kind == "milestone.added")).one()
    assert "Data cleaned" in told.title and told.link == f"/engagements/{e.id}"

    milestones.check_in(session, student, e.id, m.id, False, "Waiting for the second export.")
    assert (m.status, m.checkin_note) == ("not_done", "Waiting for the second export.")
    milestones.check_in(session, student, e.id, m.id, True)
    assert (m.status, m.checkin_note) == ("done", "") and m.checked_in_at is not None
    # Every check-in is in the audit log (the milestone keeps only the latest).
    trail = session.exec(
        select(AuditEvent.action, AuditEvent.detail).where(AuditEvent.subject_id == e.id, AuditEvent.action.like("milestone.%"))
    ).all()
    assert [a for a, _ in trail] == ["milestone.added", "milestone.checked_in", "milestone.checked_in"]
    assert '"status": "done"' in trail[-1][1]
    to_manager = session.exec(
        select(Notification).where(Notification.user_id == manager.id, Notification.kind == "milestone.checked_in")
    ).all()
    assert len(to_manager) == 2 and to_manager[-1].title.endswith("Data cleaned — done")


def test_everyone_in_the_workspace_sees_the_milestones_soonest_first(session, make):
    hired = make.hired()
    e, manager = hired.engagement, hired.employer.manager
    later = milestones.add_milestone(session, manager, e.id, "Charts drafted", date.today() + timedelta(days=9))
    sooner = milestones.add_milestone(session, manager, e.id, "Data cleaned", date.today() + timedelta(days=2))
    milestones.check_in(session, hired.student, e.id, sooner.id, True, "All 1,204 rows.")
    for viewer in (hired.student, manager, make.staff()):
        view = dashboards.engagement_view(session, viewer, e.id)
        assert [(m.title, m.status, m.note) for m in view.milestones] == [
            ("Data cleaned", "done", "All 1,204 rows."),
            ("Charts drafted", "open", ""),
        ]
        assert [m.id for m in milestones.milestones_of(session, viewer, e.id)] == [sooner.id, later.id]


def test_a_passed_date_without_done_shows_as_overdue(session, make):
    hired = make.hired()
    m = milestones.add_milestone(session, hired.employer.manager, hired.engagement.id, "Kick-off call", date.today())
    m.due_date = date.today() - timedelta(days=1)  # time passes
    session.add(m)
    session.flush()
    (view,) = dashboards.engagement_view(session, hired.student, hired.engagement.id).milestones
    assert view.overdue and view.status == "open"


def test_bad_milestone_input_gets_a_message_per_field_and_writes_nothing(session, make):
    hired = make.hired()
    e, manager = hired.engagement, hired.employer.manager
    with pytest.raises(ValidationFailed) as empty:
        milestones.add_milestone(session, manager, e.id, "   ", None)
    assert set(empty.value.errors) == {"title", "due_date"}
    with pytest.raises(ValidationFailed) as past:
        milestones.add_milestone(session, manager, e.id, "Too late", date.today() - timedelta(days=1))
    assert past.value.errors == {"due_date": "Choose today or a later date."}
    with pytest.raises(ValidationFailed) as beyond:
        milestones.add_milestone(session, manager, e.id, "After the end", e.due_date + timedelta(days=1))
    assert "on or before the engagement's due date" in beyond.value.errors["due_date"]
    with pytest.raises(ValidationFailed) as long:
        milestones.add_milestone(session, manager, e.id, "x" * 121, date.today())
    assert "at most 120" in long.value.errors["title"]
    assert session.exec(select(Milestone)).all() == []

    m = milestones.add_milestone(session, manager, e.id, "Data cleaned", date.today())
    with pytest.raises(ValidationFailed) as why:
        milestones.check_in(session, hired.student, e.id, m.id, False, "  ")
    assert why.value.errors == {"note": "Enter what is holding it up."}
    with pytest.raises(ValidationFailed):
        milestones.check_in(session, hired.student, e.id, m.id, True, "n" * 501)
    assert m.status == "open"


def test_the_service_reads_the_forms_date_and_done_choice(session, make):
    """What the page's form sends (text) is checked by the service, with the field it belongs to."""
    hired = make.hired()
    e, manager = hired.engagement, hired.employer.manager
    for text in ("", "   ", "someday", "2026-02-30", "31/12/2026"):
        with pytest.raises(ValidationFailed) as bad:
            milestones.add_milestone(session, manager, e.id, "Data cleaned", text)
        assert bad.value.errors == {"due_date": "Enter the date of this check-in."}, text
    assert session.exec(select(Milestone)).all() == []
    when = date.today() + timedelta(days=3)
    m = milestones.add_milestone(session, manager, e.id, "Data cleaned", f" {when.isoformat()} ")
    assert m.due_date == when

    for choice in ("", "maybe", None, "done"):
        with pytest.raises(DomainError) as neither:
            milestones.check_in(session, hired.student, e.id, m.id, choice, "A note.")
        assert (neither.value.field, neither.value.message) == ("done", "Choose done or not done yet."), choice
    assert m.status == "open" and m.checked_in_at is None
    milestones.check_in(session, hired.student, e.id, m.id, "no", "Waiting for the export.")
    assert m.status == "not_done"
    milestones.check_in(session, hired.student, e.id, m.id, "yes")
    assert m.status == "done"


def test_the_choice_is_checked_after_who_is_acting(session, make):
    """A stranger sending no choice at all learns nothing but "not found"."""
    hired = make.hired()
    m = milestones.add_milestone(session, hired.employer.manager, hired.engagement.id, "Data cleaned", date.today())
    with pytest.raises(DomainError, match="not found"):
        milestones.check_in(session, make.student(), hired.engagement.id, m.id, "")
    with pytest.raises(NotAllowed):
        milestones.check_in(session, hired.employer.manager, hired.engagement.id, m.id, "")


def test_parse_helpers():
    assert milestones.parse_date(date(2026, 12, 1)) == date(2026, 12, 1)
    assert milestones.parse_date("2026-12-01") == date(2026, 12, 1)
    assert milestones.parse_date("tomorrow") is None and milestones.parse_date(None) is None
    assert (milestones.parse_done("yes"), milestones.parse_done(" NO "), milestones.parse_done(True)) == (True, False, True)
    assert milestones.parse_done("") is None and milestones.parse_done("1") is None


def test_at_most_twenty_milestones(session, make):
    hired = make.hired()
    for i in range(milestones.MAX_MILESTONES):
        milestones.add_milestone(session, hired.employer.manager, hired.engagement.id, f"Step {i}", date.today())
    with pytest.raises(DomainError, match="at most 20"):
        milestones.add_milestone(session, hired.employer.manager, hired.engagement.id, "One more", date.today())


def test_only_the_gigs_managers_set_and_only_the_student_checks_in(session, make):
    hired = make.hired()
    e = hired.engagement
    m = milestones.add_milestone(session, hired.employer.manager, e.id, "Data cleaned", date.today())
    staff = make.staff()
    # The student and staff may see the workspace but not set milestones.
    for viewer in (hired.student, staff):
        with pytest.raises(NotAllowed, match="Only the gig's managers"):
            milestones.add_milestone(session, viewer, e.id, "Mine", date.today())
    # Managers and staff may see it but not check in for the student.
    for viewer in (hired.employer.manager, staff):
        with pytest.raises(NotAllowed, match="Only the student"):
            milestones.check_in(session, viewer, e.id, m.id, True)
    # Outsiders: another student, another employer's manager, a signed-out visitor: it does not exist.
    for outsider in (make.student(), make.employer().manager, None):
        with pytest.raises(DomainError, match="not found"):
            milestones.add_milestone(session, outsider, e.id, "Let me in", date.today())
        with pytest.raises(DomainError, match="not found"):
            milestones.check_in(session, outsider, e.id, m.id, True)
        with pytest.raises(DomainError, match="not found"):
            milestones.milestones_of(session, outsider, e.id)
    assert m.status == "open"


def test_a_milestone_of_another_engagement_is_not_found(session, make):
    first, second = make.hired(), make.hired()
    theirs = milestones.add_milestone(session, second.employer.manager, second.engagement.id, "Theirs", date.today())
    with pytest.raises(DomainError, match="That milestone was not found"):
        milestones.check_in(session, first.student, first.engagement.id, theirs.id, True)
    assert theirs.status == "open"


def test_finished_work_takes_no_new_milestones_or_check_ins(session, make):
    hired = make.hired()
    e = hired.engagement
    m = milestones.add_milestone(session, hired.employer.manager, e.id, "Data cleaned", date.today())
    closing.cancel_one_engagement(session, hired.employer.manager, e.id, "Budget frozen.")
    with pytest.raises(DomainError, match="approved or cancelled"):
        milestones.add_milestone(session, hired.employer.manager, e.id, "More", date.today())
    with pytest.raises(DomainError, match="Check-ins are closed"):
        milestones.check_in(session, hired.student, e.id, m.id, True)


def test_a_milestone_write_names_the_engagement_topic(session, make):
    hired = make.hired()
    session.commit()
    seen: list[frozenset[str]] = []
    changes.add_listener(seen.append)
    try:
        milestones.add_milestone(session, hired.employer.manager, hired.engagement.id, "Data cleaned", date.today())
        session.commit()
    finally:
        changes.remove_listener(seen.append)
    assert any(f"engagement:{hired.engagement.id}" in topics for topics in seen)


def test_the_workspace_state_adds_and_checks_in_and_the_other_side_reloads(app_db, make):
    hired = make.hired()
    app_db.commit()
    url = f"/engagements/{hired.engagement.id}"
    live.reset()
    manager = _state(EngagementState, url, _token(app_db, hired.employer.manager), client_token="tab-manager")
    student = _state(EngagementState, url, _token(app_db, hired.student), client_token="tab-student")
    _run("load_engagement", manager)
    _run("load_engagement", student)
    assert manager.can_plan_milestones and not manager.can_check_in
    assert student.can_check_in and not student.can_plan_milestones

    adding = form_of(manager, MilestoneForm)
    _run("add_milestone", adding, {"milestone_title": "", "milestone_due_date": "someday"})
    assert set(adding.errors) == {"milestone_title", "milestone_due_date"}
    when = (date.today() + timedelta(days=2)).isoformat()
    _run("add_milestone", adding, {"milestone_title": "Data cleaned", "milestone_due_date": when})
    assert adding.errors == {} and manager.notice.startswith("Milestone added")
    assert [(m.title, m.due_date) for m in manager.view.milestones] == [("Data cleaned", i18n.format_date(date.fromisoformat(when), "en"))]

    student._live_reload()  # what the push does on the student's open page
    (shown,) = student.view.milestones
    assert shown.title == "Data cleaned"
    checking = form_of(student, CheckInForm)
    _run("check_in", checking, {"milestone_id": str(shown.id), "note": "Half the rows."})  # neither done nor not done chosen
    assert checking.errors == {str(shown.id): "Choose done or not done yet."}
    _run("check_in", checking, {"milestone_id": str(shown.id), "done": "no", "note": ""})
    assert checking.errors == {str(shown.id): "Enter what is holding it up."}
    _run("check_in", checking, {"milestone_id": str(shown.id), "done": "no", "note": "Half the rows."})
    assert checking.errors == {} and student.view.milestones[0].status == "not_done"

    manager._live_reload()
    assert (manager.view.milestones[0].status, manager.view.milestones[0].note) == ("not_done", "Half the rows.")
    managers_check_in = form_of(manager, CheckInForm)
    _run("check_in", managers_check_in, {"milestone_id": str(shown.id), "done": "yes"})  # not the manager's to do
    assert "Only the student" in managers_check_in.errors[str(shown.id)]
    students_adding = form_of(student, MilestoneForm)
    _run("add_milestone", students_adding, {"milestone_title": "Mine", "milestone_due_date": when})
    assert "Only the gig's managers" in students_adding.errors["form"]
    _run("check_in", checking, {"milestone_id": "<script>", "done": "yes"})  # a tampered form
    assert checking.errors == {"form": "Reload the page and try again."}
    live.reset()


def test_outsiders_states_cannot_add_or_check_in(app_db, make):
    hired = make.hired()
    m = milestones.add_milestone(app_db, hired.employer.manager, hired.engagement.id, "Data cleaned", date.today())
    app_db.commit()
    url = f"/engagements/{hired.engagement.id}"
    for person in (make.student(), make.employer().manager):
        app_db.commit()
        state = _state(EngagementState, url, _token(app_db, person))
        _run("load_engagement", state)
        assert not state.found
        _run(
            "add_milestone", form_of(state, MilestoneForm), {"milestone_title": "Let me in", "milestone_due_date": date.today().isoformat()}
        )
        checking = form_of(state, CheckInForm)
        _run("check_in", checking, {"milestone_id": str(m.id), "done": "yes"})
        assert "not found" in checking.errors[str(m.id)]
    visitor = form_of(_state(EngagementState, url), CheckInForm)
    assert "/login" in str(_run("check_in", visitor, {"milestone_id": str(m.id), "done": "yes"}))
    app_db.expire_all()
    assert app_db.get(type(m), m.id).status == "open"
    assert len(app_db.exec(select(Milestone)).all()) == 1
