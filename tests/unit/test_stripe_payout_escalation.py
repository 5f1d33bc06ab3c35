"""What the app does when Stripe replays a saved 500 to a payout's retries: the job stops after
PAYOUT_TRIES_BEFORE_STAFF tries and hands it to staff, whose retry first asks Stripe for a
transfer already made, then sends under a new key: paid exactly once, never a loop.

All through the real SDK against the loopback fake, webhooks signed and sent over HTTP.
"""

import json

import pytest
from sqlmodel import select

from microgigs import jobs
from microgigs.models import AuditEvent, Engagement, EngagementPayment, User
from microgigs.services import engagements, money, payments
from microgigs.services.payment_lifecycle import STATE_LABELS
from microgigs.services.payments.payouts import PAYOUT_DELAYED_LABEL, PAYOUT_TRIES_BEFORE_STAFF
from microgigs.services.statuses import PaymentState
from tests.stripe_fake.world import stripe_world
from tests.unit.test_stripe_payments import fresh, hire, ledger_matches_the_fake, onboard, pay_checkout, state
from tests.unit.test_stripe_payout_failures_and_events import approved_but_refused, notes, transfers_of

RETRY_JOB = "retry payouts that timed out or waited for an account"


@pytest.fixture
def world(app_db, set_setting):
    with stripe_world(set_setting) as w:
        yield w


def transfer_posts(world) -> int:
    return world.stripe.fake.requests.count(("POST", "/v1/transfers"))


def approved_into_a_saved_500(session, make, world, mode: str = "error", pay_cents: int = 20_000):
    """Funded, onboarded, approved while Stripe's transfer endpoint fails with a 500 it saves."""
    hired = hire(session, make, pay_cents=pay_cents)
    onboard(session, world, hired.student)
    pay_checkout(session, world, hired.engagement.id)
    make.submit(hired)
    world.stripe.control("fault", path="/v1/transfers", mode=mode)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    return hired


def handed_to_staff(session, make, world, mode: str = "error"):
    """A payout that got a saved 500 and was retried by the job until it went to staff."""
    staff = make.staff()
    session.commit()
    hired = approved_into_a_saved_500(session, make, world, mode=mode)
    for _ in range(PAYOUT_TRIES_BEFORE_STAFF - 1):
        payments.retry_payouts(session)
        session.commit()
    assert state(session, hired.engagement.id) == "payout_failed"
    return staff, hired.engagement.id


def test_a_saved_500_is_retried_a_bounded_number_of_times_then_staff_pay_it_once(session, make, world):
    staff = make.staff()
    session.commit()
    hired = approved_into_a_saved_500(session, make, world)
    engagement_id = hired.engagement.id
    key = f"engagement-{engagement_id}-transfer"
    assert state(session, engagement_id) == "payout_pending"
    assert world.stripe.fake.idempotency[key][1] == 500  # Stripe keeps the 500 under the payout's key
    # The job keeps the key (safe) and gets the same 500 back, until the bound.
    for tries in range(2, PAYOUT_TRIES_BEFORE_STAFF):
        assert jobs.run_due_jobs()[RETRY_JOB] == 0
        assert (state(session, engagement_id), fresh(session, EngagementPayment, engagement_id).payout_attempts) == (
            "payout_pending",
            tries,
        )
    assert jobs.run_due_jobs()[RETRY_JOB] == 0
    assert transfer_posts(world) == PAYOUT_TRIES_BEFORE_STAFF and world.stripe.of("transfer") == []
    # Escalated: in words, staff and the student told, audited; the job leaves it alone from now on.
    payment = fresh(session, EngagementPayment, engagement_id)
    assert payment.state == "payout_failed"
    assert f"failed this payout {PAYOUT_TRIES_BEFORE_STAFF} times" in payment.message and "career center" in payment.message
    (staff_note,) = notes(session, staff.id, "payment.payout_failed")
    assert f"failed {PAYOUT_TRIES_BEFORE_STAFF} times" in staff_note.title
    assert notes(session, hired.student.id, "payout.delayed") and not notes(session, hired.student.id, "payout.refused")
    (audit,) = session.exec(select(AuditEvent).where(AuditEvent.action == "payment.payout_failed", AuditEvent.subject_id == engagement_id))
    assert json.loads(audit.detail)["tries"] == PAYOUT_TRIES_BEFORE_STAFF
    assert [row.engagement_id for row in money.failed_payouts(session, staff)] == [engagement_id]
    for _ in range(3):
        assert jobs.run_due_jobs()[RETRY_JOB] == 0
    assert transfer_posts(world) == PAYOUT_TRIES_BEFORE_STAFF
    # Staff retry: Stripe is asked for a transfer already made (none), then a new key pays it.
    gets_before = world.stripe.fake.requests.count(("GET", "/v1/transfers"))
    assert payments.retry_failed_payout(session, staff, engagement_id) == "Payout sent."
    session.commit()
    assert world.stripe.fake.requests.count(("GET", "/v1/transfers")) == gets_before + 1
    assert state(session, engagement_id) == "paid" and fresh(session, Engagement, engagement_id).status == "paid"
    (transfer,) = transfers_of(world, engagement_id)
    assert transfer["amount"] == 20_000 == sum(t["amount"] for t in transfers_of(world, engagement_id))
    assert world.stripe.fake.idempotency[key][1] == 500  # the paying request used another key
    ledger_matches_the_fake(session, world, engagement_id)
    assert jobs.run_due_jobs()[RETRY_JOB] == 0 and len(transfers_of(world, engagement_id)) == 1


def test_a_500_whose_transfer_did_happen_is_found_by_the_staff_retry_not_paid_again(session, make, world):
    """Stripe says a 500's outcome is unknown: here the transfer was made. The new key must not repeat it."""
    staff, engagement_id = handed_to_staff(session, make, world, mode="error_after")
    (made,) = transfers_of(world, engagement_id)
    posts = transfer_posts(world)
    assert payments.retry_failed_payout(session, staff, engagement_id) == "Payout sent."
    session.commit()
    assert transfer_posts(world) == posts  # found, recorded, nothing sent
    payment = fresh(session, EngagementPayment, engagement_id)
    assert (payment.state, payment.transfer_id) == ("paid", made["id"])
    assert [t["id"] for t in transfers_of(world, engagement_id)] == [made["id"]]
    ledger_matches_the_fake(session, world, engagement_id)


def test_a_staff_retry_that_gets_a_500_takes_a_new_key_next_time_and_pays_once(session, make, world):
    staff, engagement_id = handed_to_staff(session, make, world)
    first_key = fresh(session, EngagementPayment, engagement_id).payout_request_key
    world.stripe.control("fault", path="/v1/transfers", mode="error")
    assert payments.retry_failed_payout(session, staff, engagement_id).startswith("Not sent: The payment service failed the retry")
    session.commit()
    assert world.stripe.fake.idempotency[first_key][1] == 500
    second_key = fresh(session, EngagementPayment, engagement_id).payout_request_key
    assert second_key != first_key and state(session, engagement_id) == "payout_failed"
    assert payments.retry_failed_payout(session, staff, engagement_id) == "Payout sent."
    session.commit()
    assert [t["amount"] for t in transfers_of(world, engagement_id)] == [20_000]
    ledger_matches_the_fake(session, world, engagement_id)


def test_a_transfer_at_stripe_that_is_not_this_payout_stops_the_staff_retry(session, make, world):
    staff, engagement_id = handed_to_staff(session, make, world, mode="error_after")
    (made,) = transfers_of(world, engagement_id)
    reversed_ = world.stripe.control("reverse_transfer", made["id"], amount=5_000)  # someone in the dashboard
    # Our ledger does not know that transfer yet, so the webhook fails and Stripe will deliver it again.
    (event,) = reversed_["events"]
    world.stripe.expect_failed_delivery(event["id"])
    assert reversed_["statuses"] == [500]
    posts = transfer_posts(world)
    answer = payments.retry_failed_payout(session, staff, engagement_id)
    session.commit()
    assert answer.startswith("Not sent: The payment service already holds a transfer") and made["id"] in answer
    assert transfer_posts(world) == posts and state(session, engagement_id) == "payout_failed"
    assert payments.balance(session, engagement_id).transferred == 0


# --- words: a payout Stripe kept failing is not one the student must fix -------------------------


def test_a_payout_stripe_kept_failing_is_worded_as_delayed_not_refused(session, make, world):
    staff, engagement_id = handed_to_staff(session, make, world)
    student = session.get(User, fresh(session, Engagement, engagement_id).student_id)
    earnings = money.student_earnings(session, student)
    assert earnings.account_status.startswith("A payout is delayed: the payment service kept failing")
    assert "refused" not in earnings.account_status and "Update payout details" not in earnings.account_status
    assert not earnings.needs_setup  # the student's account is fine: no button to press
    (row,) = [r for r in earnings.rows if r.engagement_id == engagement_id]
    assert row.state_label == PAYOUT_DELAYED_LABEL
    (failed,) = money.failed_payouts(session, staff)
    assert (failed.refused, failed.kind_label) == (False, "Delayed payout")
    assert "must check their payout details" not in failed.message
    _, states = money.money_overview(session, staff)
    assert [s.state_label for s in states if "Payout" in s.state_label] == ["Payout failed — waiting for the career center"]


def test_a_refused_payout_is_still_worded_as_refused(session, make, world):
    staff = make.staff()
    session.commit()
    hired, _ = approved_but_refused(session, make, world)
    earnings = money.student_earnings(session, hired.student)
    assert earnings.account_status.startswith("A payout was refused: choose Update payout details")
    assert earnings.needs_setup and earnings.setup_label == "Update payout details"
    (row,) = [r for r in earnings.rows if r.engagement_id == hired.engagement.id]
    assert row.state_label == STATE_LABELS[PaymentState.PAYOUT_FAILED]
    (failed,) = money.failed_payouts(session, staff)
    assert (failed.refused, failed.kind_label) == (True, "Refused payout")
