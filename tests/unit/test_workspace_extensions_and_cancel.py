"""Workspace rules: deadline-extension requests answered by the other side (with history),
and the employer cancelling one engagement (refund before work, kill fee after)."""

from datetime import timedelta

import pytest
from sqlmodel import select

from microgigs.models import ExtensionRequest, LedgerEntry
from microgigs.services import closing, engagements, payments
from microgigs.services.errors import DomainError, NotAllowed
from microgigs.services.validation import ValidationFailed


def test_the_student_asks_for_more_time_and_a_manager_accepts(session, make):
    hired = make.hired()
    e = hired.engagement
    old = e.due_date
    request = engagements.request_extension(session, hired.student, e.id, old + timedelta(days=5), "The survey export arrived late.")
    assert request.status == "pending"
    with pytest.raises(DomainError, match="already waiting"):
        engagements.request_extension(session, hired.student, e.id, old + timedelta(days=6), "Another try.")
    with pytest.raises(NotAllowed, match="other side"):
        engagements.answer_extension(session, hired.student, e.id, request.id, True)
    engagements.answer_extension(session, hired.employer.manager, e.id, request.id, True)
    assert (request.status, e.due_date) == ("accepted", old + timedelta(days=5))
    with pytest.raises(DomainError, match="already accepted"):
        engagements.answer_extension(session, hired.employer.manager, e.id, request.id, False)


def test_a_manager_proposes_and_the_student_declines_keeping_history(session, make):
    hired = make.hired()
    e = hired.engagement
    old = e.due_date
    request = engagements.request_extension(session, hired.employer.manager, e.id, old + timedelta(days=3), "Our data owner is away.")
    engagements.answer_extension(session, hired.student, e.id, request.id, False)
    assert (request.status, e.due_date) == ("declined", old)
    second = engagements.request_extension(session, hired.employer.manager, e.id, old + timedelta(days=2), "Shorter then?")
    assert len(session.exec(select(ExtensionRequest).where(ExtensionRequest.engagement_id == e.id)).all()) == 2
    assert second.status == "pending"


def test_extension_input_is_checked_field_by_field_and_outsiders_are_refused(session, make):
    hired = make.hired()
    e = hired.engagement
    with pytest.raises(ValidationFailed) as bad:
        engagements.request_extension(session, hired.student, e.id, e.due_date, "")
    assert set(bad.value.errors) == {"new_due_date", "reason"}
    with pytest.raises(ValidationFailed) as far:
        engagements.request_extension(session, hired.student, e.id, e.due_date + timedelta(days=365), "A year, please.")
    assert "new_due_date" in far.value.errors
    for outsider in (make.student(), make.employer().manager):
        with pytest.raises(DomainError, match="not found"):
            engagements.request_extension(session, outsider, e.id, e.due_date + timedelta(days=1), "Let me in.")
    staff = make.staff()
    with pytest.raises(DomainError, match="Only the student or the gig's managers"):
        engagements.request_extension(session, staff, e.id, e.due_date + timedelta(days=1), "Staff only watch.")


def test_cancelling_before_any_submission_refunds_everything(session, make):
    hired = make.hired()
    e = hired.engagement
    closing.cancel_one_engagement(session, hired.employer.manager, e.id, "Budget frozen.")
    assert e.status == "cancelled"
    balance = payments.balance(session, e.id)
    assert balance.balanced and balance.refunded == e.pay_cents + e.fee_cents and balance.transferred == 0


def test_cancelling_after_work_started_pays_the_kill_fee(session, make):
    hired = make.hired()
    make.submit(hired)
    e = hired.engagement
    closing.cancel_one_engagement(session, hired.employer.manager, e.id)
    kill = session.exec(select(LedgerEntry).where(LedgerEntry.engagement_id == e.id, LedgerEntry.kind == "kill_fee")).one()
    assert kill.amount_cents == e.pay_cents // 2
    assert payments.balance(session, e.id).balanced


def test_only_the_employer_or_staff_cancel_and_never_finished_work(session, make):
    hired = make.hired()
    e = hired.engagement
    with pytest.raises(NotAllowed):
        closing.cancel_one_engagement(session, hired.student, e.id)
    for outsider in (make.student(), make.employer().manager):
        with pytest.raises(DomainError, match="not found"):
            closing.cancel_one_engagement(session, outsider, e.id)
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, e.id)
    with pytest.raises(DomainError, match="already approved and paid"):
        closing.cancel_one_engagement(session, hired.employer.manager, e.id)
    with pytest.raises(DomainError, match="approved or cancelled"):
        engagements.request_extension(session, hired.student, e.id, e.due_date + timedelta(days=1), "Too late now.")
