"""dashboards: blind review of applicants, and what each person's dashboard shows."""

import json

import pytest
from sqlmodel import select

from microgigs.models import AuditEvent, ScreeningQuestion, Skill, StudentSkill
from microgigs.services import applications, dashboards, engagements
from microgigs.services.errors import NotAllowed, NotFound

NAME = "Zelda Quartermaine"
EMAIL = "zelda.quartermaine@ivy-elite.example.edu"
SCHOOL = "Ivy Elite University"
MAJOR = "Astrophysics"
YEAR = 2031


@pytest.fixture
def blind(session, make):
    employer = make.employer()
    gig = make.gig(employer, blind_review=True, questions=["Which tools do you use?"], slots=2)
    question = session.exec(select(ScreeningQuestion).where(ScreeningQuestion.gig_id == gig.id)).one()
    other = make.student("Bob Plain")
    make.apply(other, gig, note="Happy to help.", answers={question.id: "Excel"})
    student = make.student(NAME, EMAIL, school=SCHOOL, major=MAJOR, graduation_year=YEAR)
    sql = session.exec(select(Skill).where(Skill.name == "SQL")).one()
    session.add(StudentSkill(user_id=student.id, skill_id=sql.id))
    application = make.apply(
        student,
        gig,
        note="I cleaned census data for a class project.",
        sample_links=["https://portfolio.example.com"],
        answers={question.id: "pandas and dbt"},
    )
    return employer, gig, student, application


def view_of(result, application_id):
    return next(a for a in result.applicants if a.application_id == application_id)


def test_blind_gig_hides_name_email_and_pedigree_of_new_applicants(session, blind):
    employer, gig, _student, application = blind
    result = dashboards.gig_applicants(session, employer.manager, gig.id)
    assert result.blind_review is True
    view = view_of(result, application.id)
    assert view.label == "Applicant 2"
    assert view.revealed is False
    assert (view.email, view.school, view.major, view.graduation_year) == ("", "", "", "")
    # What the manager needs to judge the work is still there.
    assert view.note == "I cleaned census data for a class project."
    assert view.sample_links == ["https://portfolio.example.com"]
    assert view.skills == ["SQL"]
    assert [(a.question, a.answer) for a in view.answers] == [("Which tools do you use?", "pandas and dbt")]
    # Nothing hidden is anywhere in what reaches the manager's page.
    text = repr(result)
    for secret in (NAME, "Zelda", "Quartermaine", EMAIL, "ivy-elite", SCHOOL, MAJOR, str(YEAR), "Bob Plain"):
        assert secret not in text, secret
    assert [a.label for a in result.applicants] == ["Applicant 1", "Applicant 2"]


def test_shortlisting_reveals_the_applicant_and_records_the_reveal(session, blind):
    employer, gig, student, application = blind
    applications.shortlist(session, employer.manager, application.id)
    view = view_of(dashboards.gig_applicants(session, employer.manager, gig.id), application.id)
    assert view.revealed is True
    assert (view.label, view.email, view.school, view.major, view.graduation_year) == (NAME, EMAIL, SCHOOL, MAJOR, str(YEAR))
    reveal = session.exec(select(AuditEvent).where(AuditEvent.action == "pedigree.revealed")).one()
    assert (reveal.actor_id, reveal.subject_type, reveal.subject_id) == (employer.manager.id, "user", student.id)
    assert json.loads(reveal.detail) == {"application_id": application.id}


def test_accepting_reveals_and_records_the_reveal(session, blind):
    employer, gig, student, application = blind
    applications.accept(session, employer.manager, application.id)
    view = view_of(dashboards.gig_applicants(session, employer.manager, gig.id), application.id)
    assert view.revealed and view.label == NAME
    reveals = session.exec(select(AuditEvent).where(AuditEvent.action == "pedigree.revealed")).all()
    assert [(r.actor_id, r.subject_id) for r in reveals] == [(employer.manager.id, student.id)]


def test_declined_and_withdrawn_applicants_stay_hidden(session, blind):
    employer, gig, student, application = blind
    other_view = dashboards.gig_applicants(session, employer.manager, gig.id).applicants[0]
    applications.decline(session, employer.manager, other_view.application_id)
    applications.withdraw(session, student, application.id)
    result = dashboards.gig_applicants(session, employer.manager, gig.id)
    assert all(not a.revealed and a.email == "" for a in result.applicants)
    assert NAME not in repr(result) and "Bob Plain" not in repr(result)
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "pedigree.revealed")).first() is None


def test_non_blind_gig_shows_names_without_a_reveal_event(session, make):
    employer = make.employer()
    gig = make.gig(employer, blind_review=False)
    student = make.student(NAME, EMAIL, school=SCHOOL, major=MAJOR, graduation_year=YEAR)
    application = make.apply(student, gig)
    result = dashboards.gig_applicants(session, employer.manager, gig.id)
    view = view_of(result, application.id)
    assert (view.label, view.revealed, view.email, view.school) == (NAME, True, EMAIL, SCHOOL)
    applications.shortlist(session, employer.manager, application.id)
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "pedigree.revealed")).first() is None


def test_applicants_are_not_found_for_anyone_but_the_gigs_managers(session, make, blind):
    _, gig, student, _ = blind
    for actor in (make.employer().manager, student, make.staff()):
        with pytest.raises(NotFound, match="That gig was not found."):
            dashboards.gig_applicants(session, actor, gig.id)
    with pytest.raises(NotFound):
        dashboards.gig_applicants(session, make.employer().manager, 98765)


# --- dashboards ------------------------------------------------------------------------


def test_student_dashboard_shows_own_applications_and_engagements(session, make):
    hired = make.hired(make.employer("Northwind"))
    other_gig = make.gig(hired.employer, title="Second gig")
    make.apply(hired.student, other_gig)
    make.apply(make.student(), other_gig)  # someone else's
    board = dashboards.student_dashboard(session, hired.student)
    assert sorted((a.gig_title, a.status) for a in board.applications) == [
        ("Clean a survey data set", "accepted"),
        ("Second gig", "submitted"),
    ]
    assert all(a.employer == "Northwind" for a in board.applications)
    [row] = board.engagements
    assert (row.id, row.status, row.pay, row.employer) == (hired.engagement.id, "active", "$300.00", "Northwind")


def test_student_dashboard_is_for_students_only(session, make):
    for actor in (make.employer().manager, make.staff()):
        with pytest.raises(NotAllowed, match="This dashboard is for students."):
            dashboards.student_dashboard(session, actor)


def test_manager_dashboard_shows_own_gigs_counts_and_work_to_review(session, make):
    employer = make.employer("Northwind")
    hired = make.hired(employer)
    make.submit(hired)
    waiting = make.gig(employer, title="Waiting gig", slots=2)
    make.apply(make.student(), waiting)
    make.apply(make.student(), waiting)
    make.hired(make.employer("Elsewhere"))  # another employer's gig and engagement
    board = dashboards.manager_dashboard(session, employer.manager)
    assert (board.organization, board.organization_status) == ("Northwind", "approved")
    rows = {g.title: g for g in board.gigs}
    assert set(rows) == {"Clean a survey data set", "Waiting gig"}
    assert (rows["Waiting gig"].applicants, rows["Waiting gig"].slots, rows["Waiting gig"].filled_slots) == (2, 2, 0)
    assert (rows["Clean a survey data set"].status, rows["Clean a survey data set"].filled_slots) == ("in_progress", 1)
    assert [(r.id, r.student_name) for r in board.to_review] == [(hired.engagement.id, hired.student.display_name)]


def test_manager_dashboard_is_for_managers_only(session, make):
    for actor in (make.student(), make.staff()):
        with pytest.raises(NotAllowed, match="This dashboard is for employer managers."):
            dashboards.manager_dashboard(session, actor)


def test_pending_manager_sees_their_pending_organization(session, make):
    employer = make.employer(status="pending")
    board = dashboards.manager_dashboard(session, employer.manager)
    assert (board.organization_status, board.gigs, board.to_review) == ("pending", [], [])


def test_engagement_view_for_each_party(session, make):
    from microgigs.services.engagements import UploadedFile

    hired = make.hired()
    make.submit(hired, files=[UploadedFile("report.pdf", b"x" * 3000)])
    student_view = dashboards.engagement_view(session, hired.student, hired.engagement.id)
    assert (student_view.viewer_is_student, student_view.viewer_manages) == (True, False)
    assert student_view.payment_label == "demo payments — no money moves"
    assert (student_view.pay, student_view.fee) == ("$300.00", "$30.00")
    [submission] = student_view.submissions
    assert submission.version == 1 and [(f.name, f.size) for f in submission.files] == [("report.pdf", "2 KB")]
    manager_view = dashboards.engagement_view(session, hired.employer.manager, hired.engagement.id)
    assert (manager_view.viewer_is_student, manager_view.viewer_manages) == (False, True)
    assert manager_view.student_name == hired.student.display_name
    for outsider in (make.student(), make.employer().manager):
        with pytest.raises(NotFound):
            dashboards.engagement_view(session, outsider, hired.engagement.id)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    assert dashboards.engagement_view(session, hired.student, hired.engagement.id).status == "paid"
