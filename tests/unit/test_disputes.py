"""Disputes: opened by either side, mediated by staff, decided with the money following."""

import pytest
from sqlmodel import select

from microgigs.models import AuditEvent, EngagementPayment
from microgigs.services import disputes, engagements, payments
from microgigs.services.errors import DomainError, NotAllowed, NotFound
from microgigs.services.validation import ValidationFailed


@pytest.fixture
def disputed(session, make):
    hired = make.hired()
    make.submit(hired)
    dispute = disputes.open_dispute(session, hired.student, hired.engagement.id, "The brief changed twice after I started.")
    return hired, dispute


def test_either_side_opens_and_the_engagement_stops(session, make, disputed):
    hired, dispute = disputed
    assert hired.engagement.status == "disputed" and dispute.previous_status == "submitted"
    with pytest.raises(DomainError, match="already has a dispute"):
        disputes.open_dispute(session, hired.employer.manager, hired.engagement.id, "Late work")
    other = make.hired()
    assert disputes.open_dispute(session, other.employer.manager, other.engagement.id, "No contact for a week").id


def test_outsiders_cannot_open_read_or_write(session, make, disputed):
    hired, dispute = disputed
    for outsider in (make.student(), make.employer().manager):
        with pytest.raises(NotFound):
            disputes.open_dispute(session, outsider, hired.engagement.id, "me too")
        with pytest.raises(NotFound):
            disputes.dispute_view(session, outsider, dispute.id)
        with pytest.raises(NotFound):
            disputes.post_message(session, outsider, dispute.id, "hello")


def test_the_thread_and_staff_mediation(session, make, disputed):
    hired, dispute = disputed
    staff = make.staff()
    disputes.post_message(session, hired.employer.manager, dispute.id, "We did change it once, agreed.")
    disputes.post_message(session, staff, dispute.id, "Thanks both; I will decide tomorrow.")
    with pytest.raises(ValidationFailed):
        disputes.post_message(session, hired.student, dispute.id, "   ")
    view = disputes.dispute_view(session, hired.student, dispute.id)
    assert [m.body for m in view.messages] == ["We did change it once, agreed.", "Thanks both; I will decide tomorrow."]
    assert view.messages[1].author.endswith("(career center)")


@pytest.mark.parametrize(
    ("outcome", "share", "status", "student_gets", "refunded_fee"),
    [("pay_full", 0, "paid", "pay", False), ("pay_part", 10_000, "paid", 10_000, False), ("refund", 0, "cancelled", 0, True)],
)
def test_each_decision_moves_the_money_and_balances(session, make, disputed, outcome, share, status, student_gets, refunded_fee):
    hired, dispute = disputed
    pay = hired.engagement.pay_cents
    disputes.decide(session, make.staff(), dispute.id, outcome, share, "Decided after reading the thread.")
    balance = payments.balance(session, hired.engagement.id)
    expected = pay if student_gets == "pay" else student_gets
    assert hired.engagement.status == status
    # Demo payments need no payout account: the student's share goes at once, as after an approval.
    payment_state = session.get(EngagementPayment, hired.engagement.id).state
    assert payment_state == {"pay_full": "paid", "pay_part": "partially_refunded", "refund": "refunded"}[outcome]
    assert (hired.engagement.paid_at is not None) == (status == "paid")
    assert balance.transferred == expected and balance.held == 0 and balance.balanced
    assert (balance.platform_fee == 0) == refunded_fee
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "dispute.decided")).one()
    with pytest.raises(DomainError, match="already decided"):
        disputes.decide(session, make.staff(), dispute.id, "refund")
    with pytest.raises(DomainError, match="thread is closed"):
        disputes.post_message(session, hired.student, dispute.id, "But…")


def test_only_staff_decide_and_part_payments_must_be_partial(session, make, disputed):
    hired, dispute = disputed
    with pytest.raises(NotAllowed):
        disputes.decide(session, hired.employer.manager, dispute.id, "refund")
    staff = make.staff()
    for share in (0, hired.engagement.pay_cents, hired.engagement.pay_cents + 1):
        with pytest.raises(DomainError, match="part payment"):
            disputes.decide(session, staff, dispute.id, "pay_part", share)
    with pytest.raises(DomainError, match="Choose"):
        disputes.decide(session, staff, dispute.id, "coin_toss")
    assert hired.engagement.status == "disputed"


def test_finished_engagements_cannot_be_disputed(session, make):
    hired = make.hired()
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    with pytest.raises(DomainError, match="paid cannot be disputed"):
        disputes.open_dispute(session, hired.student, hired.engagement.id, "Changed my mind")
