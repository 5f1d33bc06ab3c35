"""gigs: posting, validation, moderation, the lifecycle and who may move it."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from microgigs.models import AuditEvent, Gig, GigSkill, ScreeningQuestion
from microgigs.services import center, closing, gigs
from microgigs.services.errors import DomainError, NotAllowed, NotFound
from microgigs.services.validation import ValidationFailed


def errors_for(session, make, today=None, **overrides) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as info:
        gigs.create_gig(session, make.employer().manager, make.gig_input(**overrides), today=today)
    return info.value.errors


def gig_count(session) -> int:
    return len(session.exec(select(Gig.id)).all())


# --- posting -------------------------------------------------------------------------


def test_trusted_employer_gig_goes_straight_to_open(session, make):
    employer = make.employer(trusted=True)
    gig = make.gig(employer, skills=["python", "SQL"], questions=["Which tools do you use?", "  ", "When can you start?"])
    assert gig.status == "open"
    assert gig.published_at is not None
    assert gig.organization_id == employer.org.id and gig.created_by_id == employer.manager.id
    assert gig.max_revision_rounds == 2
    skill_ids = set(session.exec(select(GigSkill.skill_id).where(GigSkill.gig_id == gig.id)).all())
    assert skill_ids == {s.id for s in make.skills if s.name in ("Python", "SQL")}
    questions = session.exec(select(ScreeningQuestion).where(ScreeningQuestion.gig_id == gig.id).order_by(ScreeningQuestion.position)).all()
    assert [q.text for q in questions] == ["Which tools do you use?", "When can you start?"]


def test_untrusted_employer_gig_waits_for_review(session, make):
    gig = make.gig(make.employer(trusted=False))
    assert gig.status == "in_review"
    assert gig.published_at is None


def test_gig_can_be_saved_as_draft_and_submitted_later(session, make):
    employer = make.employer(trusted=True)
    gig = make.gig(employer, publish=False)
    assert gig.status == "draft"
    assert gigs.submit_gig(session, employer.manager, gig.id).status == "open"


def test_a_draft_full_of_angle_brackets_saves_again_as_it_was_accepted(session, make):
    # Each "<" is stored as "&lt;" (made inert); the length limit counts what the author wrote.
    employer = make.employer()
    scope = "<" * 10_000
    gig = gigs.create_gig(session, employer.manager, make.gig_input(scope=scope, deliverables="<" * 4_000), publish=False)
    again = gigs.update_gig(session, employer.manager, gig.id, gigs.draft_for_edit(session, employer.manager, gig.id))
    assert again.scope == gig.scope == "&lt;" * 10_000
    assert errors_for(session, make, scope="<" * 20_001)["scope"].startswith("Use at most 20,000 characters")


def test_text_fields_are_cleaned(session, make):
    gig = make.gig(make.employer(), title="  Survey\x00 cleanup \x07 ", summary=" Short\x1b summary ")
    assert gig.title == "Survey cleanup"
    assert gig.summary == "Short summary"


def test_staff_approve_a_gig_in_review(session, make):
    gig = make.gig(make.employer(trusted=False))
    staff = make.staff()
    assert gigs.approve_gig(session, staff, gig.id).status == "open"
    assert gig.published_at is not None


def test_staff_reject_needs_a_reason(session, make):
    gig = make.gig(make.employer(trusted=False))
    staff = make.staff()
    with pytest.raises(DomainError) as info:
        gigs.reject_gig(session, staff, gig.id, "   ")
    assert (info.value.message, info.value.field) == ("Say why the gig is rejected.", "reason")
    assert gig.status == "in_review"
    rejected = gigs.reject_gig(session, staff, gig.id, "Pay is unclear.")
    assert (rejected.status, rejected.status_reason) == ("rejected", "Pay is unclear.")


def test_only_staff_approve_or_reject(session, make):
    employer = make.employer(trusted=False)
    gig = make.gig(employer)
    student = make.student()
    for actor in (employer.manager, student):
        with pytest.raises(NotAllowed, match="Only career-center staff can approve gigs."):
            gigs.approve_gig(session, actor, gig.id)
        with pytest.raises(NotAllowed, match="Only career-center staff can reject gigs."):
            gigs.reject_gig(session, actor, gig.id, "no")
    assert gig.status == "in_review"


def test_pending_organization_cannot_post(session, make):
    employer = make.employer(status="pending")
    with pytest.raises(NotAllowed) as info:
        gigs.create_gig(session, employer.manager, make.gig_input())
    assert "must be approved by the career center" in info.value.message
    assert gig_count(session) == 0


@pytest.mark.parametrize("status", ["rejected", "suspended"])
def test_rejected_or_suspended_organization_cannot_post(session, make, status):
    with pytest.raises(NotAllowed):
        gigs.create_gig(session, make.employer(status=status).manager, make.gig_input())
    assert gig_count(session) == 0


def test_student_and_staff_cannot_post(session, make):
    for actor in (make.student(), make.staff()):
        with pytest.raises(NotAllowed, match="Only managers of an employer can post gigs."):
            gigs.create_gig(session, actor, make.gig_input())
    assert gig_count(session) == 0


def test_suspended_organization_cannot_submit_its_draft(session, make):
    employer = make.employer()
    gig = make.gig(employer, publish=False)
    employer.org.status = "suspended"
    session.add(employer.org)
    with pytest.raises(NotAllowed, match="not approved to publish"):
        gigs.submit_gig(session, employer.manager, gig.id)
    assert gig.status == "draft"


def test_other_organizations_manager_cannot_submit_or_cancel(session, make):
    gig = make.gig(make.employer(), publish=False)
    intruder = make.employer().manager
    with pytest.raises(NotAllowed, match="Only the gig's own managers can submit it."):
        gigs.submit_gig(session, intruder, gig.id)
    with pytest.raises(NotAllowed, match="Only the gig's managers or career-center staff can cancel it."):
        closing.cancel_gig(session, intruder, gig.id)
    with pytest.raises(NotAllowed):
        closing.cancel_gig(session, make.student(), gig.id)
    assert gig.status == "draft"


def test_manager_and_staff_can_cancel(session, make):
    employer = make.employer()
    mine = make.gig(employer)
    assert closing.cancel_gig(session, employer.manager, mine.id, "Budget cut").status == "cancelled"
    assert mine.status_reason == "Budget cut"
    other = make.gig(employer)
    assert closing.cancel_gig(session, make.staff(), other.id).status == "cancelled"


def test_co_manager_of_the_same_organization_can_act(session, make):
    employer = make.employer()
    co = make.second_manager(employer)
    gig = make.gig(employer, publish=False)
    assert gigs.submit_gig(session, co, gig.id).status == "open"


def test_unknown_gig_is_not_found(session, make):
    with pytest.raises(NotFound, match="That gig was not found."):
        gigs.submit_gig(session, make.employer().manager, 9999)
    with pytest.raises(NotFound):
        gigs.approve_gig(session, make.staff(), 9999)


# --- validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "   "}, "title", "Enter a title."),
        ({"title": "t" * 121}, "title", "Use at most 120 characters (you have 121)."),
        ({"summary": ""}, "summary", "Enter a one-line summary."),
        ({"summary": "s" * 301}, "summary", "Use at most 300 characters (you have 301)."),
        ({"scope": ""}, "scope", "Enter the scope of the work."),
        ({"scope": "s" * 20_001}, "scope", "Use at most 20,000 characters (you have 20,001)."),
        ({"deliverables": "d" * 5_001}, "deliverables", "Use at most 5,000 characters (you have 5,001)."),
        ({"category": "Astrology"}, "category", "Choose a category from the list."),
        ({"category": ""}, "category", "Choose a category from the list."),
        ({"location_mode": "moon"}, "location_mode", "Choose remote, on-site or hybrid."),
        ({"location_mode": "onsite", "location": " "}, "location", "Say where the work happens."),
        ({"location": "l" * 121}, "location", "Use at most 120 characters (you have 121)."),
        ({"estimated_hours": 0}, "estimated_hours", "Estimate between 1 and 400 hours."),
        ({"estimated_hours": 401, "pay_cents": 10_000_000}, "estimated_hours", "Estimate between 1 and 400 hours."),
        ({"slots": 0}, "slots", "Take between 1 and 50 students."),
        ({"slots": 51}, "slots", "Take between 1 and 50 students."),
        ({"pay_cents": 0}, "pay_cents", "Enter the pay per student, more than zero."),
        ({"pay_cents": -500}, "pay_cents", "Enter the pay per student, more than zero."),
        ({"pay_cents": 10_000_001}, "pay_cents", "Enter the pay per student, more than zero."),
        ({"pay_cents": 19_999, "estimated_hours": 10}, "pay_cents", "Pay at least $20.00 an hour: $200.00 for 10 hours."),
        ({"due_date": None}, "due_date", "Enter the due date."),
        ({"application_deadline": None}, "application_deadline", "Enter the application deadline."),
        ({"skills": ["Python", "Basket weaving", "Alchemy"]}, "skills", "Not in the skills list: Alchemy, Basket weaving."),
        (
            {"skills": ["Python", "SQL", "Excel", "Copywriting", "Figma", "Statistics", "Research", "Marketing", "Tableau"]},
            "skills",
            "Choose at most 8 skills.",
        ),
        ({"questions": [f"Question {n}?" for n in range(6)]}, "questions", "Ask at most 5 screening questions."),
        ({"questions": ["q" * 301]}, "questions", "Keep each question under 300 characters."),
    ],
)
def test_each_field_is_validated_with_a_readable_message(session, make, overrides, field, message):
    assert errors_for(session, make, **overrides)[field] == message
    assert gig_count(session) == 0


def test_pay_exactly_at_the_floor_is_accepted(session, make):
    assert make.gig(make.employer(), estimated_hours=10, pay_cents=20_000).status == "open"


def test_pay_floor_follows_settings(session, make, set_setting):
    set_setting("pay_floor_cents_per_hour", 1500)
    assert make.gig(make.employer(), estimated_hours=10, pay_cents=15_000).status == "open"
    assert (
        errors_for(session, make, estimated_hours=10, pay_cents=14_999)["pay_cents"] == "Pay at least $15.00 an hour: $150.00 for 10 hours."
    )


def test_pay_floor_message_uses_the_gig_currency(session, make):
    center.row_for_update(session).currency = "eur"  # an admin's save (services/center_settings.py)
    session.commit()
    message = errors_for(session, make, estimated_hours=2, pay_cents=100)["pay_cents"]
    assert message == "Pay at least €20.00 an hour: €40.00 for 2 hours."


def test_dates_must_be_in_order_and_in_the_future(session, make):
    today = date(2030, 6, 15)
    e = errors_for(session, make, today=today, due_date=today, application_deadline=today - timedelta(days=1))
    assert e["due_date"] == "The due date must be in the future."
    assert e["application_deadline"] == "The application deadline cannot be in the past."

    e = errors_for(session, make, today=today, due_date=today - timedelta(days=3), application_deadline=today)
    assert e["due_date"] == "The due date must be in the future."

    e = errors_for(session, make, today=today, due_date=today + timedelta(days=5), application_deadline=today + timedelta(days=6))
    assert e == {"application_deadline": "The application deadline must come before the due date."}

    e = errors_for(session, make, today=today, due_date=today + timedelta(days=5), application_deadline=today + timedelta(days=5))
    assert e == {"application_deadline": "The application deadline must come before the due date."}

    e = errors_for(
        session,
        make,
        today=today,
        due_date=today + timedelta(days=5),
        application_deadline=today + timedelta(days=1),
        start_date=today + timedelta(days=6),
    )
    assert e == {"start_date": "The start date must not be after the due date."}


def test_deadline_today_and_due_tomorrow_are_accepted(session, make):
    today = date.today()
    employer = make.employer()
    gig = gigs.create_gig(
        session, employer.manager, make.gig_input(application_deadline=today, due_date=today + timedelta(days=1)), today=today
    )
    assert gig.status == "open"


def test_all_field_errors_are_reported_together(session, make):
    e = errors_for(session, make, title="", summary="", category="nope", pay_cents=0, skills=["Nope"])
    assert {"title", "summary", "category", "pay_cents", "skills"} <= set(e)


def test_validate_gig_input_returns_the_matched_skills(session, make):
    errors, skills = gigs.validate_gig_input(session, make.gig_input(skills=[" python ", "sql", ""]), date.today())
    assert errors == {}
    assert sorted(s.name for s in skills) == ["Python", "SQL"]


def test_eight_skills_and_five_questions_are_accepted(session, make):
    gig = make.gig(
        make.employer(),
        skills=["Python", "SQL", "Excel", "Copywriting", "Figma", "Statistics", "Research", "Marketing"],
        questions=[f"Question {n}?" for n in range(5)],
    )
    assert len(session.exec(select(GigSkill).where(GigSkill.gig_id == gig.id)).all()) == 8
    assert len(session.exec(select(ScreeningQuestion).where(ScreeningQuestion.gig_id == gig.id)).all()) == 5


# --- lifecycle --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "target", "message"),
    [
        ("completed", "open", "A gig that is completed cannot become open."),
        ("cancelled", "open", "A gig that is cancelled cannot become open."),
        ("expired", "open", "A gig that is expired cannot become open."),
        ("open", "completed", "A gig that is open cannot become completed."),
        ("open", "in_progress", "A gig that is open cannot become in progress."),
        ("in_progress", "open", "A gig that is in progress cannot become open."),
        ("draft", "filled", "A gig that is draft cannot become filled."),
        ("rejected", "open", "A gig that is rejected cannot become open."),
        ("filled", "open", "A gig that is filled cannot become open."),
    ],
)
def test_illegal_transitions_are_refused_with_a_readable_message(session, make, start, target, message):
    gig = make.gig(make.employer(), publish=False)
    gig.status = start
    session.add(gig)
    with pytest.raises(DomainError) as info:
        gigs.move_gig(session, None, gig, target)
    assert info.value.message == message
    assert gig.status == start


def test_terminal_gigs_cannot_be_cancelled_or_approved_again(session, make):
    employer = make.employer()
    gig = make.gig(employer)
    gig.status = "completed"
    session.add(gig)
    with pytest.raises(DomainError, match="A gig that is completed cannot become cancelled."):
        closing.cancel_gig(session, employer.manager, gig.id)
    open_gig = make.gig(employer)
    with pytest.raises(DomainError, match="A gig that is open cannot become open."):
        gigs.approve_gig(session, make.staff(), open_gig.id)
    with pytest.raises(DomainError, match="A gig that is open cannot become in review."):
        gigs.submit_gig(session, employer.manager, open_gig.id)


def test_rejected_gig_can_go_back_to_draft(session, make):
    gig = make.gig(make.employer(trusted=False))
    gigs.reject_gig(session, make.staff(), gig.id, "Too vague")
    assert gigs.move_gig(session, None, gig, "draft").status == "draft"


def test_transitions_are_audited_with_their_actor(session, make):
    employer = make.employer(trusted=False)
    staff = make.staff()
    gig = make.gig(employer)
    gigs.approve_gig(session, staff, gig.id)
    closing.cancel_gig(session, employer.manager, gig.id, "Changed plans")
    events = session.exec(
        select(AuditEvent).where(AuditEvent.subject_type == "gig", AuditEvent.subject_id == gig.id).order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.actor_id) for e in events] == [
        ("gig.created", employer.manager.id),
        ("gig.in_review", employer.manager.id),
        ("gig.open", staff.id),
        ("gig.cancelled", employer.manager.id),
    ]
    assert '"previous": "open"' in events[-1].detail and "Changed plans" in events[-1].detail


def test_a_refused_gig_move_writes_nothing_and_an_allowed_one_stamps_its_reason_and_times(session, make):
    gig = make.gig(make.employer(trusted=False))  # in review
    session.flush()
    before = (gig.status, gig.status_reason, gig.updated_at, gig.published_at, len(session.exec(select(AuditEvent)).all()))
    with pytest.raises(DomainError, match="A gig that is in review cannot become filled."):
        gigs.move_gig(session, None, gig, "filled")
    assert (gig.status, gig.status_reason, gig.updated_at, gig.published_at, len(session.exec(select(AuditEvent)).all())) == before
    gigs.move_gig(session, None, gig, "open", reason="looks fine")
    assert (gig.status, gig.status_reason) == ("open", "looks fine")
    assert gig.updated_at > before[2] and gig.published_at == gig.updated_at
    opened = session.exec(select(AuditEvent).where(AuditEvent.action == "gig.open", AuditEvent.subject_id == gig.id)).one()
    assert '"previous": "in_review"' in opened.detail and '"reason": "looks fine"' in opened.detail


def test_trusted_auto_publication_is_audited_as_the_system(session, make):
    gig = make.gig(make.employer(trusted=True))
    opened = session.exec(select(AuditEvent).where(AuditEvent.action == "gig.open", AuditEvent.subject_id == gig.id)).one()
    assert opened.actor_id is None
    assert "trusted employer" in opened.detail


# --- the detail page --------------------------------------------------------------------


@pytest.mark.parametrize("publish_trusted", [(False, True), (True, False)], ids=["draft", "in_review"])
def test_unpublished_gig_is_hidden_from_students_and_strangers(session, make, publish_trusted):
    publish, trusted = publish_trusted
    employer = make.employer(trusted=trusted)
    gig = make.gig(employer, publish=publish)
    assert gig.status in ("draft", "in_review")
    for viewer in (make.student(), None, make.employer().manager):
        with pytest.raises(NotFound):
            gigs.gig_detail(session, viewer, gig.id)
    detail = gigs.gig_detail(session, employer.manager, gig.id)
    assert detail.viewer_manages is True and detail.card.status == gig.status
    staff_view = gigs.gig_detail(session, make.staff(), gig.id)
    assert staff_view.viewer_manages is False


def test_open_gig_detail_for_a_student(session, make):
    employer = make.employer("Northwind")
    gig = make.gig(employer, slots=3, questions=["Why you?"], skills=["SQL", "Python"], pay_cents=123_456, blind_review=False)
    detail = gigs.gig_detail(session, make.student(), gig.id)
    assert detail.card.employer == "Northwind"
    assert detail.card.pay == "$1,234.56"
    assert detail.card.skills == ["Python", "SQL"]
    assert (detail.slots, detail.slots_left, detail.blind_review, detail.viewer_manages) == (3, 3, False, False)
    assert [q.text for q in detail.questions] == ["Why you?"]
    assert gigs.gig_detail(session, None, gig.id).card.id == gig.id


def test_cancelled_or_rejected_gig_is_hidden_from_students(session, make):
    employer = make.employer()
    gig = make.gig(employer)
    closing.cancel_gig(session, employer.manager, gig.id)
    with pytest.raises(NotFound):
        gigs.gig_detail(session, make.student(), gig.id)


def test_missing_gig_detail_is_not_found(session, make):
    with pytest.raises(NotFound):
        gigs.gig_detail(session, None, 424242)


def test_format_money():
    assert gigs.format_money(0) == "$0.00"
    assert gigs.format_money(123456789) == "$1,234,567.89"
    assert gigs.format_money(500, "gbp") == "£5.00"
    assert gigs.format_money(500, "chf") == "CHF5.00"  # as CLDR writes it for English (i18n.format_money)
    assert gigs.format_money(123456, "usd", "es") == "1.234,56\u00a0US$"
