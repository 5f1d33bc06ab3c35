"""Issue 6, the rest: refused payouts and their staff retry, dispute decisions that wait for a
payout account, and charge.refunded / transfer.created handled (not only audited).

All through the real SDK against the loopback fake, webhooks signed and sent over HTTP.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from microgigs.models import (
    AuditEvent,
    Engagement,
    EngagementPayment,
    LedgerEntry,
    Notification,
)
from microgigs.models import OutboxMail as Outbox
from microgigs.services import disputes, engagements, money, payments
from microgigs.services.errors import DomainError, NotAllowed
from microgigs.state.money import MoneyState
from tests.stripe_fake.world import stripe_world
from tests.unit.state_harness import run_handler, session_token, state_for
from tests.unit.test_stripe_payments import (
    fresh,
    hire,
    ledger_matches_the_fake,
    onboard,
    pay_checkout,
    state,
)


@pytest.fixture
def world(app_db, set_setting):
    with stripe_world(set_setting) as w:
        yield w


def notes(session, user_id: int, kind: str) -> list[Notification]:
    session.expire_all()
    return list(session.exec(select(Notification).where(Notification.user_id == user_id, Notification.kind == kind)).all())


def audits(session, action: str, engagement_id: int) -> list[AuditEvent]:
    session.expire_all()
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action, AuditEvent.subject_id == engagement_id)).all())


def transfers_of(world, engagement_id: int) -> list[dict]:
    return [t for t in world.stripe.of("transfer") if t["transfer_group"] == f"engagement-{engagement_id}"]


def approved_but_refused(session, make, world, **gig):
    """Funded, the student onboarded, then Stripe restricts the account: approval's transfer is refused."""
    hired = hire(session, make, **gig)
    account_id = onboard(session, world, hired.student)
    pay_checkout(session, world, hired.engagement.id)
    make.submit(hired)
    world.stripe.control("refuse_transfers", account_id)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    return hired, account_id


# --- 1. a payout refused for good ------------------------------------------------------------


def test_a_refused_payout_stops_in_payout_failed_and_tells_the_student(session, make, world):
    staff = make.staff()
    session.commit()
    hired, _ = approved_but_refused(session, make, world, pay_cents=20_000)
    payment = fresh(session, EngagementPayment, hired.engagement.id)
    assert payment.state == "payout_failed" and "Update payout details" in payment.message
    assert fresh(session, Engagement, hired.engagement.id).status == "approved"
    assert transfers_of(world, hired.engagement.id) == []
    assert payments.balance(session, hired.engagement.id).held == 20_000  # still held, still balanced
    assert payments.balance(session, hired.engagement.id).balanced
    (note,) = notes(session, hired.student.id, "payout.refused")
    assert "Update payout details" in note.title
    assert session.exec(select(Outbox).where(Outbox.to_address == hired.student.email, Outbox.subject.contains("refused"))).first()
    assert len(audits(session, "payment.payout_failed", hired.engagement.id)) == 1
    assert notes(session, staff.id, "payment.payout_failed")  # staff know there is one to retry
    # The retry job leaves it alone (it is not a timeout): nothing is tried again by itself.
    attempts = payment.payout_attempts
    assert payments.retry_payouts(session) == 0
    session.commit()
    assert fresh(session, EngagementPayment, hired.engagement.id).payout_attempts == attempts
    # Staff see it listed, with the student's account not fixed yet.
    (row,) = money.failed_payouts(session, staff)
    assert (row.engagement_id, row.amount, row.account_ready) == (hired.engagement.id, "$200.00", False)
    # The student's earnings say what to do.
    earnings = money.student_earnings(session, hired.student)
    assert earnings.needs_setup and earnings.setup_label == "Update payout details" and "refused" in earnings.account_status
    assert earnings.pending == "$200.00"


def test_staff_retry_after_the_student_reonboards_pays_once(session, make, world):
    staff = make.staff()
    session.commit()
    hired, account_id = approved_but_refused(session, make, world, pay_cents=20_000)
    # Retrying before the cause is fixed: refused again, still failed, still nothing paid.
    assert payments.retry_failed_payout(session, staff, hired.engagement.id).startswith("Not sent")
    session.commit()
    assert state(session, hired.engagement.id) == "payout_failed" and transfers_of(world, hired.engagement.id) == []
    # The student re-onboards (account.updated arrives); a failed payout does not go by itself.
    world.stripe.control("allow_transfers", account_id)
    assert state(session, hired.engagement.id) == "payout_failed"
    assert money.failed_payouts(session, staff)[0].account_ready
    # Staff retry through the page's state: paid, once.
    page = state_for(MoneyState, "/staff/money", session_token(session, staff))
    run_handler("load_money", page)
    assert [row.engagement_id for row in page.failed] == [hired.engagement.id]
    run_handler("retry_payout", page, hired.engagement.id)
    assert page.notice == f"Payout sent for engagement {hired.engagement.id}." and page.failed == []
    assert state(session, hired.engagement.id) == "paid"
    assert fresh(session, Engagement, hired.engagement.id).status == "paid"
    (transfer,) = transfers_of(world, hired.engagement.id)
    assert transfer["amount"] == 20_000
    ledger_matches_the_fake(session, world, hired.engagement.id)
    assert notes(session, hired.student.id, "engagement.paid")
    assert len(audits(session, "payment.payout_retried", hired.engagement.id)) == 2
    # A second click: refused with a clear message, nothing paid twice.
    run_handler("retry_payout", page, hired.engagement.id)
    assert page.error == "This payout was already sent."
    with pytest.raises(DomainError, match="already sent"):
        payments.retry_failed_payout(session, staff, hired.engagement.id)
    session.rollback()  # as a refused request's unit of work does: its row lock ends here
    assert len(transfers_of(world, hired.engagement.id)) == 1
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_refusal_saved_under_a_lost_retry_does_not_block_the_retry_after_the_fix(session, make, world):
    """Found by the deep money run: a staff retry is refused (the account is still restricted)
    but its answer is lost; Stripe saved the refusal under the retry's key. Once the student
    fixed the account, the next retry gets that old refusal replayed: it must not believe it,
    but send under a new key (no transfer of ours exists) and pay, once."""
    staff = make.staff()
    session.commit()
    hired, account_id = approved_but_refused(session, make, world)
    world.stripe.control("fault", path="/v1/transfers", mode="timeout_after")
    assert payments.retry_failed_payout(session, staff, hired.engagement.id).startswith("Not sent")
    session.commit()
    spent = fresh(session, EngagementPayment, hired.engagement.id).payout_request_key
    assert world.stripe.fake.idempotency[spent][1] == 400  # the refusal, saved under the retry's key

    world.stripe.control("allow_transfers", account_id)
    assert payments.retry_failed_payout(session, staff, hired.engagement.id) == "Payout sent."
    session.commit()
    assert state(session, hired.engagement.id) == "paid"
    assert len(transfers_of(world, hired.engagement.id)) == 1
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_retry_whose_answer_is_lost_is_sent_again_with_the_same_key_and_pays_once(session, make, world):
    staff = make.staff()
    session.commit()
    hired, account_id = approved_but_refused(session, make, world)
    world.stripe.control("allow_transfers", account_id)
    key = fresh(session, EngagementPayment, hired.engagement.id).payout_request_key
    assert key.startswith(f"engagement-{hired.engagement.id}-transfer-retry-")
    # Stripe makes the transfer but the answer never arrives: still failed, same key kept.
    world.stripe.control("fault", path="/v1/transfers", mode="timeout_after")
    assert payments.retry_failed_payout(session, staff, hired.engagement.id).startswith("Not sent")
    session.commit()
    assert state(session, hired.engagement.id) == "payout_failed"
    assert fresh(session, EngagementPayment, hired.engagement.id).payout_request_key == key
    assert len(transfers_of(world, hired.engagement.id)) == 1
    assert payments.retry_failed_payout(session, staff, hired.engagement.id) == "Payout sent."
    session.commit()
    assert state(session, hired.engagement.id) == "paid"
    assert len(transfers_of(world, hired.engagement.id)) == 1  # Stripe answered the same key with the same transfer
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_only_staff_retry_payouts_and_only_failed_ones(session, make, world):
    hired, _ = approved_but_refused(session, make, world)
    for outsider in (hired.student, hired.employer.manager):
        with pytest.raises(NotAllowed):
            payments.retry_failed_payout(session, outsider, hired.engagement.id)
    other = hire(session, make)
    pay_checkout(session, world, other.engagement.id)
    with pytest.raises(DomainError, match="has not failed"):
        payments.retry_failed_payout(session, make.staff(), other.engagement.id)
    page = state_for(MoneyState, "/staff/money", session_token(session, hired.student))
    run_handler("retry_payout", page, hired.engagement.id)
    assert page.error and state(session, hired.engagement.id) == "payout_failed"


def test_a_timed_out_payout_refused_at_retry_becomes_payout_failed(session, make, world):
    hired = hire(session, make)
    account_id = onboard(session, world, hired.student)
    pay_checkout(session, world, hired.engagement.id)
    make.submit(hired)
    world.stripe.control("fault", path="/v1/transfers", mode="timeout")
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    assert state(session, hired.engagement.id) == "payout_pending"
    world.stripe.control("refuse_transfers", account_id)
    assert payments.retry_payouts(session) == 0
    session.commit()
    assert state(session, hired.engagement.id) == "payout_failed"
    assert notes(session, hired.student.id, "payout.refused")


def test_a_failed_bank_payout_webhook_tells_the_student_what_to_do(session, make, world):
    student = make.student()
    session.commit()
    account_id = onboard(session, world, student)
    world.stripe.control("payout_failed", account_id, amount=500)
    (note,) = notes(session, student.id, "payout.failed")
    assert "Update payout details" in note.title
    assert session.exec(select(Outbox).where(Outbox.to_address == student.email)).first()
    earnings = money.student_earnings(session, fresh(session, type(student), student.id))
    assert earnings.needs_setup and earnings.setup_label == "Update payout details"


# --- 2. a dispute decided for the student waits for the payout account ------------------------


def disputed(session, make, world, **gig):
    hired = hire(session, make, **gig)
    pay_checkout(session, world, hired.engagement.id)
    make.submit(hired)
    dispute = disputes.open_dispute(session, hired.student, hired.engagement.id, "The brief changed twice after I started.")
    session.commit()
    return hired, dispute


@pytest.mark.parametrize("outcome, share, final", [("pay_full", 30_000, "paid"), ("pay_part", 12_000, "partially_refunded")])
def test_a_dispute_paid_to_a_student_without_payout_account_waits_then_pays_by_itself(session, make, world, outcome, share, final):
    staff = make.staff()
    hired, dispute = disputed(session, make, world, pay_cents=30_000)
    disputes.decide(session, staff, dispute.id, outcome, student_share_cents=share)
    session.commit()
    assert state(session, hired.engagement.id) == "awaiting_payout_account"
    engagement = fresh(session, Engagement, hired.engagement.id)
    assert engagement.status == "approved" and engagement.paid_at is None  # not paid yet
    assert transfers_of(world, hired.engagement.id) == []
    assert notes(session, hired.student.id, "payout.account_needed")
    balance = payments.balance(session, hired.engagement.id)
    assert balance.balanced and balance.held == share
    # The student onboards: account.updated pays it, as after an approval.
    onboard(session, world, hired.student)
    assert state(session, hired.engagement.id) == final
    engagement = fresh(session, Engagement, hired.engagement.id)
    assert engagement.status == "paid" and engagement.paid_at is not None
    assert [t["amount"] for t in transfers_of(world, hired.engagement.id)] == [share]
    ledger_matches_the_fake(session, world, hired.engagement.id)
    assert notes(session, hired.student.id, "engagement.paid")


def test_a_dispute_paid_to_a_student_with_payout_account_is_paid_at_once(session, make, world):
    staff = make.staff()
    hired, dispute = disputed(session, make, world, pay_cents=30_000)
    onboard(session, world, hired.student)
    disputes.decide(session, staff, dispute.id, "pay_full")
    session.commit()
    assert state(session, hired.engagement.id) == "paid" and fresh(session, Engagement, hired.engagement.id).status == "paid"
    ledger_matches_the_fake(session, world, hired.engagement.id)


# --- 3. charge.refunded and transfer.created -----------------------------------------------------


def test_a_refund_made_in_the_dashboard_is_written_into_the_ledger_once(session, make, world):
    staff = make.staff()
    hired = hire(session, make, pay_cents=30_000)
    pay_checkout(session, world, hired.engagement.id)
    charge_id = fresh(session, EngagementPayment, hired.engagement.id).charge_id
    event = world.stripe.control("refund_in_dashboard", charge_id, amount=5_000)["events"][0]
    session.expire_all()
    balance = payments.balance(session, hired.engagement.id)
    assert balance.refunded == 5_000 and balance.held == 25_000 and balance.balanced
    assert state(session, hired.engagement.id) == "partially_refunded"
    assert notes(session, staff.id, "payment.refunded_outside")
    ledger_matches_the_fake(session, world, hired.engagement.id)
    # Delivered again (a duplicate), and the same content under a new event id (a late copy):
    entries = session.exec(select(func.count()).select_from(LedgerEntry)).one()
    world.stripe.control("redeliver", event["id"])
    late = world.stripe.fake.event("charge.refunded", event["data"]["object"])
    world.stripe.control("redeliver", late["id"])
    session.expire_all()
    assert session.exec(select(func.count()).select_from(LedgerEntry)).one() == entries
    ledger_matches_the_fake(session, world, hired.engagement.id)
    assert len(audits(session, "payment.refunded_outside", hired.engagement.id)) == 1


def test_a_whole_refund_in_the_dashboard_marks_the_payment_refunded(session, make, world):
    hired = hire(session, make, pay_cents=30_000)
    pay_checkout(session, world, hired.engagement.id)
    charge_id = fresh(session, EngagementPayment, hired.engagement.id).charge_id
    world.stripe.control("refund_in_dashboard", charge_id)
    assert state(session, hired.engagement.id) == "refunded"
    balance = payments.balance(session, hired.engagement.id)
    assert balance.refunded == 33_000 and balance.held == 0 and balance.platform_fee == 0 and balance.balanced
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_our_own_refunds_are_not_doubled_by_their_webhook(session, make, world):
    from microgigs.services import closing

    hired = hire(session, make, pay_cents=30_000)
    pay_checkout(session, world, hired.engagement.id)
    closing.cancel_one_engagement(session, hired.employer.manager, hired.engagement.id, "Budget cut")
    session.commit()
    world.stripe.wait_for_deliveries(2)  # checkout.session.completed, then our refund's charge.refunded
    session.expire_all()
    assert payments.balance(session, hired.engagement.id).refunded == 33_000
    ledger_matches_the_fake(session, world, hired.engagement.id)
    (refunded_event,) = [e for e in world.stripe.fake.events if e["type"] == "charge.refunded"]
    world.stripe.control("redeliver", refunded_event["id"])
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_refund_event_arriving_before_our_own_refund_is_recorded_is_not_counted_as_outside(session, make, world):
    """Reordered: the webhook of our refund lands while our transaction has not written it yet."""
    hired = hire(session, make, pay_cents=30_000)
    pay_checkout(session, world, hired.engagement.id)
    charge_id = fresh(session, EngagementPayment, hired.engagement.id).charge_id
    import stripe

    client = stripe.StripeClient("sk_test_fake", base_addresses={"api": world.stripe.url})
    # Our refund as the gateway makes it (our metadata), its ledger rows not written yet:
    client.v1.refunds.create(params={"charge": charge_id, "amount": 4_000, "metadata": {"engagement_id": str(hired.engagement.id)}})
    world.stripe.wait_for_deliveries(2)
    session.expire_all()
    assert payments.balance(session, hired.engagement.id).refunded == 0  # left for the code that made it
    # Then someone refunds $10 in the dashboard: only that is written.
    world.stripe.control("refund_in_dashboard", charge_id, amount=1_000)
    session.expire_all()
    assert payments.balance(session, hired.engagement.id).refunded == 1_000
    assert payments.balance(session, hired.engagement.id).balanced


def test_transfer_created_confirms_a_transfer_whose_answer_was_lost(session, make, world):
    hired = hire(session, make, pay_cents=25_000)
    onboard(session, world, hired.student)
    pay_checkout(session, world, hired.engagement.id)
    make.submit(hired)
    world.stripe.control("fault", path="/v1/transfers", mode="timeout_after")
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    assert state(session, hired.engagement.id) == "payout_pending"
    (transfer,) = transfers_of(world, hired.engagement.id)
    created = next(e for e in world.stripe.fake.events if e["type"] == "transfer.created")
    world.stripe.wait_for_deliveries(len(world.stripe.fake.events))
    payment = fresh(session, EngagementPayment, hired.engagement.id)
    assert payment.transfer_id == transfer["id"] and payment.state == "payout_pending"
    assert len(audits(session, "payment.transfer_created", hired.engagement.id)) == 1
    # The retry job finishes it with the same key; a late and a duplicate transfer.created change nothing.
    assert payments.retry_payouts(session) == 1
    session.commit()
    world.stripe.control("redeliver", created["id"])
    late = world.stripe.fake.event("transfer.created", created["data"]["object"])
    world.stripe.control("redeliver", late["id"])
    payment = fresh(session, EngagementPayment, hired.engagement.id)
    assert payment.state == "paid" and payment.transfer_id == transfer["id"]
    assert len(audits(session, "payment.transfer_created", hired.engagement.id)) == 1
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_transfer_that_is_not_ours_is_ignored(session, make, world):
    hired = hire(session, make)
    pay_checkout(session, world, hired.engagement.id)
    foreign = {
        "id": "tr_someone",
        "object": "transfer",
        "amount": 100,
        "transfer_group": "other-group",
        "metadata": {"engagement_id": str(hired.engagement.id)},
    }
    event = world.stripe.fake.event("transfer.created", foreign)
    assert world.stripe.control("redeliver", event["id"])["status"] == 200
    assert fresh(session, EngagementPayment, hired.engagement.id).transfer_id == ""


# --- random retries of a refused payout never pay twice ------------------------------------------


ACTIONS = st.lists(
    st.sampled_from(
        [
            "retry",
            "retry_answer_lost",
            "retry_fails_at_stripe",
            "student_fixes_account",
            "stripe_restricts_again",
            "job_runs",
            "double_click",
        ]
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(actions=ACTIONS)
def test_random_staff_retries_of_a_refused_payout_pay_at_most_once(session, make, world, set_setting, actions):
    """Whatever staff, the student, Stripe and the network do after a refusal, there is at most
    one transfer, the ledger balances and, once the account is fixed and a retry answered, it
    says exactly what Stripe says."""
    world.stripe.fake.fault_delay = 1.3  # just past the short timeout below
    # Patient unless a fault is armed: on a busy machine a slow answer is not a lost one (a 1 s
    # budget for every call made a webhook time out now and then, and the example fail).
    set_setting("stripe_timeout_seconds", "10")
    staff = make.staff()
    session.commit()
    hired, account_id = approved_but_refused(session, make, world, pay_cents=20_000)

    def retry():
        try:
            payments.retry_failed_payout(session, staff, hired.engagement.id)
            session.commit()
        except DomainError:
            session.rollback()

    for action in actions:
        if action == "retry":
            retry()
        elif action == "retry_answer_lost":
            world.stripe.control("fault", path="/v1/transfers", mode="timeout_after")
            set_setting("stripe_timeout_seconds", "1.0")
            retry()
            set_setting("stripe_timeout_seconds", "10")
        elif action == "retry_fails_at_stripe":  # a 500 Stripe saves under the retry's key
            world.stripe.control("fault", path="/v1/transfers", mode="error")
            retry()
        elif action == "student_fixes_account":
            world.stripe.control("allow_transfers", account_id)
        elif action == "stripe_restricts_again":
            world.stripe.control("refuse_transfers", account_id)
        elif action == "job_runs":
            payments.retry_payouts(session)
            session.commit()
        elif action == "double_click":
            retry()
            retry()
        world.stripe.fake.faults.clear()
        session.expire_all()
        assert len(transfers_of(world, hired.engagement.id)) <= 1
        balance = payments.balance(session, hired.engagement.id)
        assert balance.balanced and balance.transferred in (0, 20_000)
    # In the end the student fixes the account and staff retry until Stripe answers.
    world.stripe.control("allow_transfers", account_id)
    for _ in range(3):
        if state(session, hired.engagement.id) == "payout_failed":
            retry()
    assert state(session, hired.engagement.id) == "paid"
    assert [t["amount"] for t in transfers_of(world, hired.engagement.id)] == [20_000]
    ledger_matches_the_fake(session, world, hired.engagement.id)
