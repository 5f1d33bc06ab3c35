"""applications: applying, withdrawing, shortlisting, declining and accepting
(slots taken atomically, funding by the demo gateway, everyone gets a decision)."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, func, select

from microgigs.models import (
    Application,
    ApplicationAnswer,
    AuditEvent,
    Engagement,
    Gig,
    LedgerEntry,
    Notification,
    OutboxMail,
    ScreeningQuestion,
    User,
)
from microgigs.services import applications, closing, payments
from microgigs.services.applications import ApplicationInput
from microgigs.services.errors import DomainError, NotAllowed, NotFound
from microgigs.services.payments import gateway as payment_gateway
from microgigs.services.validation import ValidationFailed


def count(session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def notifications_for(session, user, kind: str) -> list[Notification]:
    return session.exec(select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)).all()


# --- applying ---------------------------------------------------------------------------


def test_apply_happy_path_notifies_every_manager(session, make):
    employer = make.employer()
    co_manager = make.second_manager(employer)
    gig = make.gig(employer, questions=["Which tools?"])
    question = session.exec(select(ScreeningQuestion).where(ScreeningQuestion.gig_id == gig.id)).one()
    student = make.student()
    application = applications.apply(
        session,
        student,
        gig.id,
        ApplicationInput(note="  I love tidy data. ", sample_links=["https://github.com/me", " "], answers={question.id: "pandas"}),
    )
    assert (application.status, application.note, application.sample_links) == ("submitted", "I love tidy data.", "https://github.com/me")
    assert application.anonymous_number == 1
    answer = session.exec(select(ApplicationAnswer).where(ApplicationAnswer.application_id == application.id)).one()
    assert (answer.question_id, answer.answer) == (question.id, "pandas")
    for manager in (employer.manager, co_manager):
        [note] = notifications_for(session, manager, "application.new")
        assert note.title == f"New applicant for {gig.title}" and note.link == f"/manage/gigs/{gig.id}"
        assert count(session, OutboxMail, OutboxMail.to_address == manager.email) == 1
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "application.submitted")).one()
    assert (event.actor_id, event.subject_id) == (student.id, application.id)


def test_applicants_are_numbered_in_order(session, make):
    gig = make.gig(make.employer(), slots=3)
    numbers = [make.apply(make.student(), gig).anonymous_number for _ in range(3)]
    assert numbers == [1, 2, 3]


def test_only_students_can_apply(session, make):
    employer = make.employer()
    gig = make.gig(employer)
    for actor in (employer.manager, make.employer().manager, make.staff()):
        with pytest.raises(NotAllowed, match="Only students can apply to gigs."):
            make.apply(actor, gig)
    assert count(session, Application) == 0


def test_deactivated_student_cannot_apply(session, make):
    gig = make.gig(make.employer())
    student = make.student()
    student.is_active = False
    with pytest.raises(NotAllowed):
        make.apply(student, gig)


@pytest.mark.parametrize(("publish", "trusted"), [(False, True), (True, False)], ids=["draft", "in_review"])
def test_cannot_apply_to_an_unpublished_gig(session, make, publish, trusted):
    gig = make.gig(make.employer(trusted=trusted), publish=publish)
    with pytest.raises(NotFound, match="That gig was not found."):
        make.apply(make.student(), gig)


def test_cannot_apply_to_a_cancelled_or_missing_gig(session, make):
    employer = make.employer()
    gig = make.gig(employer)
    closing.cancel_gig(session, employer.manager, gig.id)
    with pytest.raises(NotFound):
        make.apply(make.student(), gig)
    with pytest.raises(NotFound):
        applications.apply(session, make.student(), 9999, ApplicationInput(note="hi"))


def test_cannot_apply_to_a_filled_gig(session, make):
    hired = make.hired()
    assert hired.gig.status == "filled"
    with pytest.raises(DomainError, match="This gig is no longer taking applications."):
        make.apply(make.student(), hired.gig)


def test_deadline_passed_is_refused_but_deadline_day_is_fine(session, make):
    gig = make.gig(make.employer(), slots=2)
    deadline = gig.application_deadline
    with pytest.raises(DomainError, match="The application deadline for this gig has passed."):
        applications.apply(session, make.student(), gig.id, ApplicationInput(note="hello"), today=deadline + timedelta(days=1))
    assert applications.apply(session, make.student(), gig.id, ApplicationInput(note="hello"), today=deadline).id


def test_applying_twice_gives_the_same_message(session, make):
    gig = make.gig(make.employer())
    student = make.student()
    make.apply(student, gig)
    for _ in range(2):
        with pytest.raises(DomainError) as info:
            make.apply(student, gig, note="Another try")
        assert info.value.message == "You have already applied to this gig."
    assert count(session, Application) == 1


def test_applying_again_after_withdrawing_is_still_refused(session, make):
    gig = make.gig(make.employer())
    student = make.student()
    applications.withdraw(session, student, make.apply(student, gig).id)
    with pytest.raises(DomainError, match="already applied"):
        make.apply(student, gig)


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("", "Enter a note about why you fit this gig."),
        (" \t\x00 ", "Enter a note about why you fit this gig."),
        ("n" * 2001, "Use at most 2,000 characters (you have 2,001)."),
    ],
)
def test_note_must_be_present_and_not_too_long(session, make, note, message):
    gig = make.gig(make.employer())
    with pytest.raises(ValidationFailed) as info:
        make.apply(make.student(), gig, note=note)
    assert info.value.errors["note"] == message
    assert count(session, Application) == 0
    assert count(session, Notification) == 0


def test_note_of_exactly_2000_characters_is_accepted(session, make):
    assert make.apply(make.student(), make.gig(make.employer()), note="n" * 2000).id


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "ftp://files.example.com/x",
        "github.com/me",
        "https://",
        "https://exa mple.com",
        "https://example.com/" + "x" * 300,
    ],
)
def test_bad_sample_link_is_refused(session, make, link):
    with pytest.raises(ValidationFailed) as info:
        make.apply(make.student(), make.gig(make.employer()), sample_links=[link])
    assert info.value.errors["sample_links"].startswith("Not a web address: ")


def test_at_most_five_sample_links(session, make):
    with pytest.raises(ValidationFailed) as info:
        make.apply(make.student(), make.gig(make.employer()), sample_links=[f"https://example.com/{n}" for n in range(6)])
    assert info.value.errors["sample_links"] == "Share at most 5 links."


def test_every_screening_question_needs_an_answer(session, make):
    gig = make.gig(make.employer(), questions=["First?", "Second?"])
    first, second = session.exec(
        select(ScreeningQuestion).where(ScreeningQuestion.gig_id == gig.id).order_by(ScreeningQuestion.position)
    ).all()
    with pytest.raises(ValidationFailed) as info:
        make.apply(make.student(), gig, answers={first.id: "yes", second.id: "   "})
    assert info.value.errors == {f"answer_{second.id}": "Enter an answer."}
    with pytest.raises(ValidationFailed) as info:
        make.apply(make.student(), gig, answers={first.id: "a" * 2001, second.id: "ok"})
    assert info.value.errors == {f"answer_{first.id}": "Use at most 2,000 characters (you have 2,001)."}
    assert count(session, Application) == 0 and count(session, ApplicationAnswer) == 0


# --- withdrawing ----------------------------------------------------------------------------


def test_student_withdraws_own_application(session, make):
    gig = make.gig(make.employer())
    student = make.student()
    application = make.apply(student, gig)
    applications.withdraw(session, student, application.id)
    assert application.status == "withdrawn" and application.decided_at is not None
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "application.withdrawn")).one()
    assert event.actor_id == student.id


def test_nobody_else_can_withdraw_an_application(session, make):
    employer = make.employer()
    application = make.apply(make.student(), make.gig(employer))
    for actor in (make.student(), employer.manager, make.staff()):
        with pytest.raises(NotAllowed, match="You can only withdraw your own applications."):
            applications.withdraw(session, actor, application.id)
    assert application.status == "submitted"


def test_shortlisted_application_can_still_be_withdrawn(session, make):
    employer = make.employer()
    student = make.student()
    application = make.apply(student, make.gig(employer))
    applications.shortlist(session, employer.manager, application.id)
    assert applications.withdraw(session, student, application.id).status == "withdrawn"


@pytest.mark.parametrize("decision", ["declined", "accepted", "withdrawn"])
def test_cannot_withdraw_after_a_decision(session, make, decision):
    employer = make.employer()
    student = make.student()
    application = make.apply(student, make.gig(employer))
    {
        "declined": lambda: applications.decline(session, employer.manager, application.id),
        "accepted": lambda: applications.accept(session, employer.manager, application.id),
        "withdrawn": lambda: applications.withdraw(session, student, application.id),
    }[decision]()
    with pytest.raises(DomainError) as info:
        applications.withdraw(session, student, application.id)
    assert info.value.message == f"This application is already {decision} and cannot be withdrawn."


def test_withdrawing_a_missing_application_is_not_found(session, make):
    with pytest.raises(NotFound, match="That application was not found."):
        applications.withdraw(session, make.student(), 4242)


# --- choosing -------------------------------------------------------------------------------


def test_shortlist_notifies_the_student(session, make):
    employer = make.employer()
    student = make.student()
    gig = make.gig(employer)
    application = make.apply(student, gig)
    applications.shortlist(session, employer.manager, application.id)
    assert application.status == "shortlisted" and application.decided_at is None
    [note] = notifications_for(session, student, "application.shortlisted")
    assert note.title == f"You are shortlisted for {gig.title}"


def test_only_new_applications_can_be_shortlisted(session, make):
    employer = make.employer()
    application = make.apply(make.student(), make.gig(employer))
    applications.shortlist(session, employer.manager, application.id)
    with pytest.raises(DomainError, match="Only new applications can be shortlisted; this one is shortlisted."):
        applications.shortlist(session, employer.manager, application.id)


def test_decline_with_feedback_notifies_and_mails_the_student(session, make):
    employer = make.employer()
    student = make.student()
    gig = make.gig(employer)
    application = make.apply(student, gig)
    applications.decline(session, employer.manager, application.id, "  We chose someone with SQL experience. ")
    assert (application.status, application.feedback) == ("declined", "We chose someone with SQL experience.")
    assert application.decided_at is not None
    assert len(notifications_for(session, student, "application.declined")) == 1
    assert count(session, OutboxMail, OutboxMail.to_address == student.email) == 1


def test_decline_refuses_long_feedback_and_repeated_decisions(session, make):
    employer = make.employer()
    application = make.apply(make.student(), make.gig(employer))
    with pytest.raises(DomainError) as info:
        applications.decline(session, employer.manager, application.id, "f" * 201)
    assert (info.value.message, info.value.field) == ("Keep feedback to one line (200 characters).", "feedback")
    assert application.status == "submitted"
    applications.decline(session, employer.manager, application.id)
    with pytest.raises(DomainError, match="This application is already declined."):
        applications.decline(session, employer.manager, application.id)
    with pytest.raises(DomainError, match="This application is already declined."):
        applications.accept(session, employer.manager, application.id)


@pytest.mark.parametrize("action", ["shortlist", "decline", "accept"])
def test_only_the_gigs_managers_choose_applicants(session, make, action):
    employer = make.employer()
    student = make.student()
    application = make.apply(student, make.gig(employer))
    intruders = (make.employer().manager, student, make.student(), make.staff())
    for actor in intruders:
        with pytest.raises(NotAllowed, match="Only the gig's managers can choose applicants."):
            getattr(applications, action)(session, actor, application.id)
    assert application.status == "submitted"
    assert count(session, Engagement) == 0


def test_co_manager_can_accept(session, make):
    employer = make.employer()
    co = make.second_manager(employer)
    application = make.apply(make.student(), make.gig(employer))
    assert applications.accept(session, co, application.id).status == "active"


# --- accepting -------------------------------------------------------------------------------


def test_accept_creates_a_funded_active_engagement_with_a_balanced_ledger(session, make):
    employer = make.employer()
    student = make.student()
    gig = make.gig(employer, pay_cents=40_000, slots=2, deliverables="A CSV")
    application = make.apply(student, gig)
    engagement = applications.accept(session, employer.manager, application.id)

    assert application.status == "accepted" and application.decided_at is not None
    assert engagement.status == "active"
    assert (engagement.student_id, engagement.gig_id, engagement.application_id) == (student.id, gig.id, application.id)
    assert (engagement.pay_cents, engagement.fee_cents, engagement.currency) == (40_000, 4_000, "usd")
    assert engagement.gateway == "demo" and engagement.checkout_ref == f"demo_charge_{engagement.id}"
    assert engagement.funded_at is not None
    assert engagement.scope_snapshot == gig.scope + "\n\nDeliverables:\nA CSV"
    assert engagement.due_date == gig.due_date and engagement.max_revision_rounds == gig.max_revision_rounds

    balance = payments.balance(session, engagement.id)
    assert balance.balanced
    assert (balance.funded, balance.platform_fee, balance.held, balance.transferred, balance.refunded) == (44_000, 4_000, 40_000, 0, 0)

    assert gig.filled_slots == 1 and gig.status == "open"
    [note] = notifications_for(session, student, "application.accepted")
    assert note.link == f"/engagements/{engagement.id}"
    actions = [(e.action, e.actor_id) for e in session.exec(select(AuditEvent).where(AuditEvent.subject_type == "engagement"))]
    assert actions == [("engagement.funding", employer.manager.id), ("engagement.active", None)]


def test_scope_is_locked_at_acceptance(session, make):
    hired = make.hired()
    original = hired.engagement.scope_snapshot
    hired.gig.scope = "Something completely different"
    session.add(hired.gig)
    session.flush()
    session.refresh(hired.engagement)
    assert hired.engagement.scope_snapshot == original


def test_filling_the_last_slot_fills_the_gig_and_declines_everyone_waiting(session, make):
    employer = make.employer()
    gig = make.gig(employer, slots=2)
    students = [make.student() for _ in range(5)]
    apps = [make.apply(s, gig) for s in students]
    applications.shortlist(session, employer.manager, apps[3].id)
    applications.withdraw(session, students[4], apps[4].id)

    applications.accept(session, employer.manager, apps[0].id)
    assert gig.status == "open"
    applications.accept(session, employer.manager, apps[1].id)

    assert (gig.status, gig.filled_slots) == ("filled", 2)
    assert [a.status for a in apps] == ["accepted", "accepted", "declined", "declined", "withdrawn"]
    for waiting in (apps[2], apps[3]):
        assert waiting.feedback == "All places on this gig are taken."
        assert waiting.decided_at is not None
    for student in students[2:4]:
        [note] = notifications_for(session, student, "application.declined")
        assert note.title == f"Decision on {gig.title}: All places on this gig are taken."
    assert notifications_for(session, students[4], "application.declined") == []
    system_declines = session.exec(select(AuditEvent).where(AuditEvent.action == "application.declined")).all()
    assert {e.subject_id for e in system_declines} == {apps[2].id, apps[3].id}
    assert all(e.actor_id is None for e in system_declines)
    filled = session.exec(select(AuditEvent).where(AuditEvent.action == "gig.filled")).one()
    assert filled.actor_id == employer.manager.id


def test_accepting_beyond_the_slots_is_refused(session, make):
    employer = make.employer()
    gig = make.gig(employer, slots=1)
    first, second = make.apply(make.student(), gig), make.apply(make.student(), gig)
    applications.accept(session, employer.manager, first.id)
    with pytest.raises(DomainError, match="This application is already declined."):
        applications.accept(session, employer.manager, second.id)
    assert count(session, Engagement) == 1 and gig.filled_slots == 1


def test_slot_update_refuses_when_another_session_took_the_last_slot(session, make):
    """The conditional UPDATE is the guard, not the in-memory check."""
    employer = make.employer()
    gig = make.gig(employer, slots=1)
    application = make.apply(make.student(), gig)
    session.commit()
    session.exec(Gig.__table__.update().where(Gig.__table__.c.id == gig.id).values(filled_slots=1))
    with pytest.raises(DomainError, match="All slots of this gig are already taken."):
        applications.accept(session, employer.manager, application.id)


def test_cannot_accept_on_a_cancelled_gig(session, make):
    employer = make.employer()
    gig = make.gig(employer)
    application = make.apply(make.student(), gig)
    closing.cancel_gig(session, employer.manager, gig.id)
    # Cancelling already gave the applicant a decision, so there is nobody left to accept.
    with pytest.raises(DomainError, match="This application is already declined."):
        applications.accept(session, employer.manager, application.id)
    assert count(session, Engagement) == 0


def test_cancelling_an_open_gig_gives_every_waiting_applicant_a_decision(session, make):
    employer = make.employer()
    gig = make.gig(employer, slots=2)
    application = make.apply(make.student(), gig)
    closing.cancel_gig(session, employer.manager, gig.id, "Budget cut")
    assert application.status == "declined"


def test_unpaid_checkout_leaves_the_engagement_in_funding(session, make, monkeypatch):
    """A gateway that needs a checkout (not the demo one) leaves no ledger rows until the money arrives."""
    from microgigs.integrations.payments import FundingResult

    class CheckoutGateway:
        name, label = "fake", "fake"

        def start_funding(self, *, engagement_id, amount_cents, currency, idempotency_key, **_checkout_details):
            self.seen = (amount_cents, idempotency_key)
            return FundingResult(reference="cs_test_1", completed=False)

    gateway = CheckoutGateway()
    monkeypatch.setattr(payment_gateway, "current_gateway", lambda: gateway)
    employer = make.employer()
    gig = make.gig(employer, pay_cents=30_000)
    engagement = applications.accept(session, employer.manager, make.apply(make.student(), gig).id)
    assert (engagement.status, engagement.checkout_ref, engagement.gateway) == ("funding", "cs_test_1", "fake")
    assert gateway.seen == (33_000, f"engagement-{engagement.id}-fund")
    assert count(session, LedgerEntry) == 0
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "engagement.active")).first() is None
    payments.record_funded(session, engagement, "cs_test_1")
    assert engagement.status == "active" and payments.balance(session, engagement.id).balanced


# --- concurrency ---------------------------------------------------------------------------


@pytest.mark.parametrize("slots", [1, 2])
def test_concurrent_accepts_never_take_more_than_the_slots(session, make, db_engine, slots):
    """Several managers' sessions (threads, one Session each, one SQLite file) accept
    different applicants of the same gig at once."""
    employer = make.employer()
    co_managers = [make.second_manager(employer) for _ in range(3)]
    gig = make.gig(employer, slots=slots)
    app_ids = [make.apply(make.student(), gig).id for _ in range(6)]
    manager_ids = [employer.manager.id] + [m.id for m in co_managers]
    session.commit()

    barrier = threading.Barrier(len(app_ids))
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        with Session(db_engine, expire_on_commit=False) as own:
            actor = own.get(User, manager_ids[index % len(manager_ids)])
            barrier.wait()
            try:
                applications.accept(own, actor, app_ids[index])
                own.commit()
                result = "accepted"
            except DomainError as error:
                own.rollback()
                result = f"refused: {error.message}"
            except OperationalError as error:  # SQLite's "database is locked" counts as a refusal
                own.rollback()
                result = f"locked: {error}"
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(app_ids))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert len(outcomes) == len(app_ids)
    accepted = outcomes.count("accepted")
    assert all(o == "accepted" or o.startswith(("refused", "locked")) for o in outcomes), outcomes
    assert 1 <= accepted <= slots, outcomes
    if not any(o.startswith("locked") for o in outcomes):
        # With the 30 s busy timeout SQLite serializes the writers, so every slot is taken.
        assert accepted == slots, outcomes

    with Session(db_engine) as check:
        fresh = check.get(Gig, gig.id)
        assert fresh.filled_slots == accepted
        assert check.exec(select(func.count()).select_from(Engagement)).one() == accepted
        statuses = check.exec(select(Application.status).where(Application.gig_id == gig.id)).all()
        assert statuses.count("accepted") == accepted
        if accepted == slots:
            assert fresh.status == "filled"
            assert sorted(statuses) == ["accepted"] * slots + ["declined"] * (len(app_ids) - slots)
        for engagement in check.exec(select(Engagement)).all():
            assert payments.balance(check, engagement.id).balanced


def test_every_decline_feedback_template_fits_the_one_line_limit(session, make):
    from microgigs.services.applications import FEEDBACK_TEMPLATES

    employer = make.employer()
    gig = make.gig(employer, slots=5)
    for template in FEEDBACK_TEMPLATES:
        assert 0 < len(template) <= 200
        declined = applications.decline(session, employer.manager, make.apply(make.student(), gig).id, template)
        assert declined.feedback == template


def test_funding_again_with_the_demo_gateway_funds_at_once_instead_of_failing(session, make, monkeypatch):
    """An engagement left unfunded (the gateway was down at acceptance) is funded by "Fund" with a
    gateway that takes the money at once: nothing to open, no error."""
    from microgigs.integrations.payments import GatewayUnavailable

    class DownGateway:
        name, label = "demo", "demo"

        def start_funding(self, **_details):
            raise GatewayUnavailable("down")

    employer = make.employer()
    gig = make.gig(employer)
    demo_gateway = payment_gateway.current_gateway
    monkeypatch.setattr(payment_gateway, "current_gateway", lambda: DownGateway())
    engagement = applications.accept(session, employer.manager, make.apply(make.student(), gig).id)
    assert engagement.status == "funding" and engagement.funded_at is None
    monkeypatch.setattr(payment_gateway, "current_gateway", demo_gateway)  # back up
    assert payments.open_checkout(session, employer.manager, engagement.id) is None
    assert engagement.status == "active" and payments.balance(session, engagement.id).balanced
