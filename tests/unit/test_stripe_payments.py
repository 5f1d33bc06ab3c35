"""The Stripe gateway end to end against the loopback fake, driven by the real SDK.

Our routes run under uvicorn and receive the fake's signed webhooks over HTTP, exactly
as from Stripe. Every test compares our ledger with the fake's own records.
"""

import json

import httpx
import pytest
from sqlmodel import func, select

from microgigs.models import Engagement, EngagementPayment, GatewayEvent, LedgerEntry, Notification, PayoutAccount
from microgigs.services import closing, engagements, payments
from microgigs.services.errors import DomainError
from tests.stripe_fake.app import sign
from tests.stripe_fake.world import PLATFORM_SECRET, stripe_world


@pytest.fixture
def world(app_db, set_setting):
    with stripe_world(set_setting) as w:
        yield w


def fresh(session, model, key):
    session.expire_all()
    return session.get(model, key)


def state(session, engagement_id: int) -> str:
    return fresh(session, EngagementPayment, engagement_id).state


def count(session, model) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def hire(session, make, **gig):
    hired = make.hired(**gig)
    session.commit()
    return hired


def pay_checkout(session, world, engagement_id: int, **options) -> dict:
    payment = fresh(session, EngagementPayment, engagement_id)
    return world.stripe.control("pay", payment.checkout_session_id, **options)


def onboard(session, world, student) -> str:
    """The student sets up payouts and finishes Stripe's onboarding."""
    payments.payout_onboarding_url(session, student)
    session.commit()
    account = fresh(session, PayoutAccount, student.id)
    world.stripe.control("enable_account", account.account_id)
    return account.account_id


def ledger_matches_the_fake(session, world, engagement_id: int) -> None:
    """Our ledger says what Stripe (the fake) says, and the identity holds."""
    session.expire_all()
    balance = payments.balance(session, engagement_id)
    assert balance.balanced
    group = f"engagement-{engagement_id}"
    charges = [c for c in world.stripe.of("charge") if c["transfer_group"] == group]
    assert sum(c["amount"] for c in charges) == balance.funded
    assert sum(c["amount_refunded"] for c in charges) == balance.refunded
    transfers = [t for t in world.stripe.of("transfer") if t["transfer_group"] == group]
    assert sum(t["amount"] for t in transfers) == balance.transferred


def test_checkout_funds_the_engagement_and_approval_waits_for_a_payout_account(session, make, world):
    hired = hire(session, make, pay_cents=20_000)
    engagement_id = hired.engagement.id
    # Accepting opened a Checkout Session: the pay and the platform fee, one transfer group.
    (checkout,) = world.stripe.of("checkout.session")
    assert [line["price_data"]["unit_amount"] for line in checkout["line_items_for_tests"]] == ["20000", "2000"]
    assert checkout["payment_intent_data"]["transfer_group"] == f"engagement-{engagement_id}"
    assert (hired.engagement.status, state(session, engagement_id)) == ("funding", "checkout_open")
    assert count(session, LedgerEntry) == 0

    result = pay_checkout(session, world, engagement_id)
    assert result["statuses"] == [200]
    assert fresh(session, Engagement, engagement_id).status == "active"
    assert state(session, engagement_id) == "funded"
    ledger_matches_the_fake(session, world, engagement_id)

    make.submit(hired)
    engagements.approve(session, hired.employer.manager, engagement_id)
    session.commit()
    # No payout account yet: the pay stays held and the student is told what to do.
    assert state(session, engagement_id) == "awaiting_payout_account"
    assert fresh(session, Engagement, engagement_id).status == "approved"
    assert world.stripe.of("transfer") == []
    assert session.exec(
        select(Notification).where(Notification.user_id == hired.student.id, Notification.kind == "payout.account_needed")
    ).first()

    account_id = onboard(session, world, hired.student)
    # account.updated (Connect endpoint) paid it out by itself.
    assert state(session, engagement_id) == "paid"
    assert fresh(session, Engagement, engagement_id).status == "paid"
    (transfer,) = world.stripe.of("transfer")
    charge_id = fresh(session, EngagementPayment, engagement_id).charge_id
    assert (transfer["destination"], transfer["source_transaction"], transfer["amount"]) == (account_id, charge_id, 20_000)
    ledger_matches_the_fake(session, world, engagement_id)


def test_a_duplicate_webhook_is_a_no_op(session, make, world):
    hired = hire(session, make)
    event = pay_checkout(session, world, hired.engagement.id)["events"][0]
    entries = count(session, LedgerEntry)
    again = world.stripe.control("redeliver", event["id"])
    assert again["status"] == 200
    assert count(session, LedgerEntry) == entries
    assert count(session, GatewayEvent) == 1
    ledger_matches_the_fake(session, world, hired.engagement.id)


@pytest.mark.parametrize("how", ["wrong secret", "tampered body", "no signature", "old timestamp"])
def test_a_badly_signed_webhook_is_rejected_and_changes_nothing(session, make, world, how):
    hired = hire(session, make)
    event = pay_checkout(session, world, hired.engagement.id, deliver=False)["events"][0]
    payload = json.dumps(event)
    header = {
        "wrong secret": sign(payload, "whsec_someone_else"),
        "tampered body": sign(payload.replace('"paid"', '"unpaid"'), PLATFORM_SECRET),
        "no signature": "",
        "old timestamp": sign(payload, PLATFORM_SECRET, timestamp=1_000_000_000),
    }[how]
    response = httpx.post(f"{world.app_url}/api/stripe/webhook", content=payload, headers={"Stripe-Signature": header})
    assert response.status_code == 400
    assert count(session, GatewayEvent) == 0
    assert (fresh(session, Engagement, hired.engagement.id).status, state(session, hired.engagement.id)) == ("funding", "checkout_open")


def test_the_connect_secret_does_not_open_the_platform_endpoint(session, make, world):
    hired = hire(session, make)
    event = pay_checkout(session, world, hired.engagement.id, deliver=False)["events"][0]
    payload = json.dumps(event)
    response = httpx.post(
        f"{world.app_url}/api/stripe/webhook", content=payload, headers={"Stripe-Signature": sign(payload, "whsec_connect_fake")}
    )
    assert response.status_code == 400 and count(session, GatewayEvent) == 0


def test_an_unknown_event_type_is_acknowledged_and_ignored(session, world):
    result = world.stripe.control("unknown_event")
    assert result["statuses"] == [200]
    assert fresh(session, GatewayEvent, result["events"][0]["id"]).type == "customer.created"
    assert count(session, LedgerEntry) == 0


def test_reordered_async_payment_events_fund_once(session, make, world):
    """A delayed payment method: async_payment_succeeded arrives before checkout.session.completed."""
    hired = hire(session, make)
    completed = pay_checkout(session, world, hired.engagement.id, delayed=True, deliver=False)["events"][0]
    session_id = completed["data"]["object"]["id"]
    succeeded = world.stripe.control("async_succeed", session_id, deliver=False)["events"][0]
    assert world.stripe.control("redeliver", succeeded["id"])["status"] == 200
    assert state(session, hired.engagement.id) == "funded"
    # The late "completed" (its copy says unpaid) is re-fetched and changes nothing.
    assert world.stripe.control("redeliver", completed["id"])["status"] == 200
    assert state(session, hired.engagement.id) == "funded"
    assert count(session, LedgerEntry) == 3
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_declined_delayed_payment_leaves_the_engagement_unfunded_and_says_so(session, make, world):
    hired = hire(session, make)
    completed = pay_checkout(session, world, hired.engagement.id, delayed=True)["events"][0]
    assert state(session, hired.engagement.id) == "checkout_open"  # still processing
    world.stripe.control("async_fail", completed["data"]["object"]["id"])
    payment = fresh(session, EngagementPayment, hired.engagement.id)
    assert payment.state == "payment_failed" and "declined" in payment.message
    assert fresh(session, Engagement, hired.engagement.id).status == "funding"
    assert count(session, LedgerEntry) == 0
    manager_note = session.exec(
        select(Notification).where(Notification.user_id == hired.employer.manager.id, Notification.kind == "payment.not_funded")
    ).first()
    assert manager_note is not None


def test_an_expired_checkout_is_replaced_and_its_late_event_is_ignored(session, make, world):
    hired = hire(session, make)
    first = fresh(session, EngagementPayment, hired.engagement.id).checkout_session_id
    expired = world.stripe.control("expire", first, deliver=False)["events"][0]
    # The manager comes back before the webhook: a new checkout, with a new idempotency key.
    url = payments.open_checkout(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    second = fresh(session, EngagementPayment, hired.engagement.id).checkout_session_id
    assert second != first and url.endswith(second)
    assert "engagement-1-fund-2" in world.stripe.fake.idempotency
    pay_checkout(session, world, hired.engagement.id)
    assert state(session, hired.engagement.id) == "funded"
    # The first checkout's "expired" arrives late: it is not the current checkout; nothing moves back.
    assert world.stripe.control("redeliver", expired["id"])["status"] == 200
    assert state(session, hired.engagement.id) == "funded"
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_an_abandoned_checkout_expires_and_the_manager_is_told(session, make, world):
    hired = hire(session, make)
    world.stripe.control("expire", fresh(session, EngagementPayment, hired.engagement.id).checkout_session_id)
    payment = fresh(session, EngagementPayment, hired.engagement.id)
    assert payment.state == "checkout_expired" and "expired" in payment.message
    assert fresh(session, Engagement, hired.engagement.id).status == "funding"


def test_a_payout_that_times_out_is_retried_by_the_job_and_paid_once(session, make, world):
    hired = hire(session, make, pay_cents=25_000)
    onboard(session, world, hired.student)
    pay_checkout(session, world, hired.engagement.id)
    make.submit(hired)
    # Stripe makes the transfer, but its answer never reaches us.
    world.stripe.control("fault", path="/v1/transfers", mode="timeout_after")
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    payment = fresh(session, EngagementPayment, hired.engagement.id)
    assert payment.state == "payout_pending" and payment.payout_key == f"engagement-{hired.engagement.id}-transfer"
    assert payments.balance(session, hired.engagement.id).held == 25_000  # not counted as paid until confirmed
    assert len(world.stripe.of("transfer")) == 1

    from microgigs import jobs

    results = jobs.run_due_jobs()
    assert results["retry payouts that timed out or waited for an account"] == 1
    assert state(session, hired.engagement.id) == "paid"
    assert len(world.stripe.of("transfer")) == 1  # the same key: Stripe answered with the same transfer
    ledger_matches_the_fake(session, world, hired.engagement.id)
    assert jobs.run_due_jobs()["retry payouts that timed out or waited for an account"] == 0


def test_a_payout_whose_request_never_arrived_is_sent_by_the_retry(session, make, world):
    hired = hire(session, make)
    onboard(session, world, hired.student)
    pay_checkout(session, world, hired.engagement.id)
    make.submit(hired)
    # Lost on the way: Stripe did nothing and saved nothing under the key.
    world.stripe.control("fault", path="/v1/transfers", mode="timeout")
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    assert state(session, hired.engagement.id) == "payout_pending" and world.stripe.of("transfer") == []
    assert payments.retry_payouts(session) == 1
    session.commit()
    assert state(session, hired.engagement.id) == "paid" and len(world.stripe.of("transfer")) == 1
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_cancel_before_work_refunds_everything(session, make, world):
    hired = hire(session, make, pay_cents=30_000)
    pay_checkout(session, world, hired.engagement.id)
    closing.cancel_one_engagement(session, hired.employer.manager, hired.engagement.id, "Budget cut")
    session.commit()
    assert state(session, hired.engagement.id) == "refunded"
    (refund,) = world.stripe.of("refund")
    assert refund["amount"] == 33_000
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_cancel_after_work_pays_the_kill_fee_and_refunds_the_rest(session, make, world, set_setting):
    hired = hire(session, make, pay_cents=30_000)
    onboard(session, world, hired.student)
    pay_checkout(session, world, hired.engagement.id)
    make.submit(hired)
    closing.cancel_one_engagement(session, hired.employer.manager, hired.engagement.id, "Change of plans")
    session.commit()
    assert state(session, hired.engagement.id) == "partially_refunded"
    assert [r["amount"] for r in world.stripe.of("refund")] == [15_000]
    assert [t["amount"] for t in world.stripe.of("transfer")] == [15_000]
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_cancel_before_payment_closes_the_checkout_and_a_late_payment_is_refunded(session, make, world):
    hired = hire(session, make)
    checkout_id = fresh(session, EngagementPayment, hired.engagement.id).checkout_session_id
    closing.cancel_one_engagement(session, hired.employer.manager, hired.engagement.id, "Hired elsewhere")
    session.commit()
    assert state(session, hired.engagement.id) == "cancelled"
    assert world.stripe.fake.objects[checkout_id]["status"] == "expired"
    # Had the payer been faster than the expiry, the money would come back at once:
    world.stripe.fake.objects[checkout_id]["status"] = "open"
    pay_checkout(session, world, hired.engagement.id)
    assert state(session, hired.engagement.id) == "refunded"
    assert fresh(session, Engagement, hired.engagement.id).status == "cancelled"
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_gateway_down_at_cancel_changes_nothing(session, make, world):
    hired = hire(session, make)
    pay_checkout(session, world, hired.engagement.id)
    world.stripe.control("fault", path="/v1/refunds", mode="timeout")
    with pytest.raises(DomainError, match="did not answer"):
        closing.cancel_one_engagement(session, hired.employer.manager, hired.engagement.id, "Budget")
    session.rollback()
    assert fresh(session, Engagement, hired.engagement.id).status == "active"
    assert state(session, hired.engagement.id) == "funded"


def test_charge_dispute_and_transfer_reversal_are_flagged_for_staff(session, make, world):
    staff = make.staff()
    hired = hire(session, make)
    onboard(session, world, hired.student)
    pay_checkout(session, world, hired.engagement.id)
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    payment = fresh(session, EngagementPayment, hired.engagement.id)
    world.stripe.control("dispute", payment.charge_id)
    world.stripe.control("reverse_transfer", payment.transfer_id)
    payment = fresh(session, EngagementPayment, hired.engagement.id)
    assert payment.charge_disputed and payment.transfer_reversed
    kinds = set(session.exec(select(Notification.kind).where(Notification.user_id == staff.id)).all())
    assert {"payment.charge_disputed", "payment.transfer_reversed"} <= kinds


def test_a_failed_bank_payout_tells_the_student(session, make, world):
    student = make.student()
    session.commit()
    account_id = onboard(session, world, student)
    assert fresh(session, PayoutAccount, student.id).payouts_enabled
    world.stripe.control("payout_failed", account_id, amount=500)
    assert fresh(session, PayoutAccount, student.id).last_payout_status == "failed"
    assert session.exec(select(Notification).where(Notification.user_id == student.id, Notification.kind == "payout.failed")).first()


def test_every_post_to_stripe_carried_an_idempotency_key_from_our_ids(session, make, world):
    hired = hire(session, make)
    onboard(session, world, hired.student)
    pay_checkout(session, world, hired.engagement.id)
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    keys = set(world.stripe.fake.idempotency)
    e, s = hired.engagement.id, hired.student.id
    assert {f"engagement-{e}-fund", f"engagement-{e}-transfer", f"student-{s}-payout-account"} <= keys
    assert any(key.startswith(f"payout-account-{s}-link-") for key in keys)


def test_the_same_key_with_another_body_is_refused_like_stripe(world):
    import stripe

    client = stripe.StripeClient("sk_test_fake", base_addresses={"api": world.stripe.url}, max_network_retries=0)
    client.v1.accounts.create(params={"type": "express", "email": "a@example.edu"}, options={"idempotency_key": "k1"})
    with pytest.raises(stripe.IdempotencyError):
        client.v1.accounts.create(params={"type": "express", "email": "b@example.edu"}, options={"idempotency_key": "k1"})


def first_of_two_checkouts_paid(session, make, world):
    """Somehow a second checkout exists and both get paid (e.g. two tabs during a network
    glitch): the first is paid here, the caller pays the second (`pay_checkout`)."""
    hired = hire(session, make)
    first = fresh(session, EngagementPayment, hired.engagement.id).checkout_session_id
    world.stripe.control("expire", first, deliver=False)
    payments.open_checkout(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    world.stripe.fake.objects[first]["status"] = "open"
    world.stripe.control("pay", first)
    return hired


def test_a_second_paid_checkout_for_the_same_engagement_is_refunded_whole(session, make, world):
    hired = first_of_two_checkouts_paid(session, make, world)
    pay_checkout(session, world, hired.engagement.id)
    charges = [c for c in world.stripe.of("charge")]
    assert len(charges) == 2
    assert sorted(c["amount_refunded"] for c in charges) == [0, charges[0]["amount"]]
    assert payments.balance(session, hired.engagement.id).funded == charges[0]["amount"]
    assert state(session, hired.engagement.id) == "funded"
