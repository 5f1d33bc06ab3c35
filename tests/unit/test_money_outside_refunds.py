"""A refund made in the Stripe dashboard while the pay is still held (issue 18, point 2).

The engagement still ends as a career center expects: a cancellation or a dispute decision
splits only what is held (and asks Stripe for no more than is left on the charge); an
approval never sends money that is not held, it stops for staff.
Defaults: a 10 % platform fee, a 50 % kill fee.
"""

from datetime import timedelta

import pytest
from sqlmodel import select

from microgigs.models import Engagement, EngagementPayment, Notification, utcnow
from microgigs.services import closing, disputes, engagements, payments
from tests.stripe_fake.world import stripe_world
from tests.unit.test_stripe_payments import fresh, hire, ledger_matches_the_fake, onboard, pay_checkout, state
from tests.unit.test_stripe_payout_failures_and_events import transfers_of


@pytest.fixture
def world(app_db, set_setting):
    with stripe_world(set_setting) as w:
        yield w


def funded_then_refunded_outside(session, make, world, refund: int, *, submitted: bool, deliver: bool = True):
    """$300 pay (+ $30 fee), funded, the student onboarded; then `refund` given back in the dashboard."""
    hired = hire(session, make, pay_cents=30_000)
    onboard(session, world, hired.student)
    pay_checkout(session, world, hired.engagement.id)
    if submitted:
        make.submit(hired)
        session.commit()
    charge_id = fresh(session, EngagementPayment, hired.engagement.id).charge_id
    world.stripe.control("refund_in_dashboard", charge_id, amount=refund, deliver=deliver)
    return hired, charge_id


def refunds_of(world, charge_id: str) -> list[int]:
    return [r["amount"] for r in world.stripe.of("refund") if r["charge"] == charge_id]


def staff_told(session, staff_id: int) -> list[str]:
    session.expire_all()
    return [
        n.title
        for n in session.exec(select(Notification).where(Notification.user_id == staff_id, Notification.kind == "payment.payout_failed"))
    ]


def test_a_cancellation_after_work_splits_only_what_is_still_held(session, make, world):
    # $290 of the $330 back in the dashboard, its webhook not here yet: $10 is still held.
    hired, charge_id = funded_then_refunded_outside(session, make, world, 29_000, submitted=True, deliver=False)
    closing.cancel_one_engagement(session, hired.employer.manager, hired.engagement.id, "Plans changed")
    session.commit()
    assert fresh(session, Engagement, hired.engagement.id).status == "cancelled"
    balance = payments.balance(session, hired.engagement.id)
    # The kill fee ($150) is capped by what was held ($10); nothing is left to refund, so no call.
    assert (balance.transferred, balance.held, balance.platform_fee, balance.refunded) == (1_000, 0, 3_000, 29_000)
    assert [t["amount"] for t in transfers_of(world, hired.engagement.id)] == [1_000]
    assert refunds_of(world, charge_id) == [29_000]
    assert state(session, hired.engagement.id) == "partially_refunded"
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_cancellation_after_a_small_outside_refund_refunds_the_rest_of_the_held_pay(session, make, world):
    hired, charge_id = funded_then_refunded_outside(session, make, world, 5_000, submitted=True)
    closing.cancel_one_engagement(session, hired.employer.manager, hired.engagement.id, "Plans changed")
    session.commit()
    balance = payments.balance(session, hired.engagement.id)
    # Held $250: the student keeps the $150 kill fee, $100 more goes back, the platform keeps its fee.
    assert (balance.transferred, balance.held, balance.platform_fee, balance.refunded) == (15_000, 0, 3_000, 15_000)
    assert refunds_of(world, charge_id) == [5_000, 10_000]
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_cancellation_before_work_after_a_whole_outside_refund_asks_stripe_for_nothing(session, make, world):
    hired, charge_id = funded_then_refunded_outside(session, make, world, 33_000, submitted=False)
    closing.cancel_one_engagement(session, hired.employer.manager, hired.engagement.id, "Plans changed")
    session.commit()
    assert fresh(session, Engagement, hired.engagement.id).status == "cancelled"
    assert refunds_of(world, charge_id) == [33_000]
    balance = payments.balance(session, hired.engagement.id)
    assert (balance.held, balance.platform_fee, balance.refunded, balance.transferred) == (0, 0, 33_000, 0)
    assert state(session, hired.engagement.id) == "refunded"
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_cancellation_before_work_gives_back_what_is_left_fee_included(session, make, world):
    hired, charge_id = funded_then_refunded_outside(session, make, world, 31_000, submitted=False)
    closing.cancel_one_engagement(session, hired.employer.manager, hired.engagement.id, "Plans changed")
    session.commit()
    # $310 came out of the $300 held, then $10 of the fee; the $20 left of the fee goes back.
    assert refunds_of(world, charge_id) == [31_000, 2_000]
    balance = payments.balance(session, hired.engagement.id)
    assert (balance.held, balance.platform_fee, balance.refunded) == (0, 0, 33_000)
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_refused_payout_is_not_sent_again_once_the_employer_was_refunded_outside(session, make, world):
    staff = make.staff()
    hired = hire(session, make, pay_cents=30_000)
    account_id = onboard(session, world, hired.student)
    pay_checkout(session, world, hired.engagement.id)
    make.submit(hired)
    world.stripe.control("refuse_transfers", account_id)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    assert state(session, hired.engagement.id) == "payout_failed"
    charge_id = fresh(session, EngagementPayment, hired.engagement.id).charge_id
    world.stripe.control("refund_in_dashboard", charge_id, amount=1_000)
    world.stripe.control("allow_transfers", account_id)
    answer = payments.retry_failed_payout(session, staff, hired.engagement.id)
    session.commit()
    assert answer.startswith("Not sent: The employer was refunded $10.00 outside MicroGigs"), answer
    assert payments.payment_label(fresh(session, EngagementPayment, hired.engagement.id)).startswith("Payout on hold")
    assert transfers_of(world, hired.engagement.id) == []
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_dispute_paid_in_part_is_capped_by_what_is_held(session, make, world):
    staff = make.staff()
    hired, charge_id = funded_then_refunded_outside(session, make, world, 20_000, submitted=True)
    dispute = disputes.open_dispute(session, hired.employer.manager, hired.engagement.id, "Not what we asked for.")
    session.commit()
    disputes.decide(session, staff, dispute.id, "pay_part", 12_000, "Half of it.")
    session.commit()
    balance = payments.balance(session, hired.engagement.id)
    # $100 held: all of it to the student (the share was $120), nothing left to refund.
    assert (balance.transferred, balance.held, balance.platform_fee, balance.refunded) == (10_000, 0, 3_000, 20_000)
    assert refunds_of(world, charge_id) == [20_000]
    assert fresh(session, Engagement, hired.engagement.id).status == "paid"
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_dispute_decided_for_the_student_with_nothing_held_waits_on_staff(session, make, world):
    staff = make.staff()
    hired, charge_id = funded_then_refunded_outside(session, make, world, 33_000, submitted=True)
    dispute = disputes.open_dispute(session, hired.student, hired.engagement.id, "I did the work.")
    session.commit()
    disputes.decide(session, staff, dispute.id, "pay_full", 0, "Pay the student.")
    session.commit()
    # Nothing is held: nothing is sent nor refunded, and staff settle it with the employer.
    assert fresh(session, Engagement, hired.engagement.id).status == "approved"
    payment = fresh(session, EngagementPayment, hired.engagement.id)
    assert payment.state == "payout_failed" and payment.message.startswith("The employer was refunded $330.00 outside")
    assert transfers_of(world, hired.engagement.id) == [] and refunds_of(world, charge_id) == [33_000]
    ledger_matches_the_fake(session, world, hired.engagement.id)


@pytest.mark.parametrize("refund", [5_000, 33_000])
@pytest.mark.parametrize("how", ["approve", "auto_approve"])
def test_an_approval_never_sends_pay_that_is_no_longer_held(session, make, world, refund, how):
    staff = make.staff()
    hired, _charge_id = funded_then_refunded_outside(session, make, world, refund, submitted=True)
    if how == "approve":
        engagements.approve(session, hired.employer.manager, hired.engagement.id)
    else:
        assert engagements.auto_approve_silent(session, utcnow() + timedelta(days=8)) == 1
    session.commit()
    assert fresh(session, Engagement, hired.engagement.id).status == "approved"
    payment = fresh(session, EngagementPayment, hired.engagement.id)
    assert payment.state == "payout_failed"
    refunded = "$50.00" if refund == 5_000 else "$330.00"
    assert payment.message.startswith(f"The employer was refunded {refunded} outside MicroGigs, so the pay is no longer held")
    assert "career-center staff must settle it with the employer" in payment.message
    assert payments.payment_label(payment).startswith("Payout on hold")
    assert transfers_of(world, hired.engagement.id) == []
    assert [title for title in staff_told(session, staff.id) if "refunded outside MicroGigs" in title]
    balance = payments.balance(session, hired.engagement.id)
    assert balance.transferred == 0 and balance.held == max(0, 30_000 - refund) and balance.balanced
    ledger_matches_the_fake(session, world, hired.engagement.id)
    # Staff cannot send what is not held, and the job leaves it alone.
    answer = payments.retry_failed_payout(session, staff, hired.engagement.id)
    session.commit()
    assert answer.startswith(f"Not sent: The employer was refunded {refunded} outside MicroGigs")
    assert payments.retry_payouts(session) == 0
    assert transfers_of(world, hired.engagement.id) == []
    assert fresh(session, EngagementPayment, hired.engagement.id).state == "payout_failed"
