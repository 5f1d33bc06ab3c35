"""A refund that Stripe answered with a 500 must not block a cancellation or a dispute decision
for good: Stripe saves the 500 under the key and replays it to every retry with that key, and
nothing of a failed try is kept (the change rolls back). The retry asks Stripe for a refund of
ours made already, then walks a fixed sequence of keys: refunded exactly once.

All through the real SDK against the loopback fake, webhooks signed and sent over HTTP.
"""

import pytest

from microgigs.integrations.payments import GatewayFailed
from microgigs.integrations.stripe_gateway import StripeGateway
from microgigs.models import Dispute, Engagement, EngagementPayment
from microgigs.services import closing, disputes, payments
from microgigs.services.errors import DomainError
from tests.stripe_fake.world import stripe_world
from tests.unit.test_stripe_payments import first_of_two_checkouts_paid, fresh, hire, ledger_matches_the_fake, onboard, pay_checkout, state

TRY_AGAIN = "Try again in a minute"


@pytest.fixture
def world(app_db, set_setting):
    with stripe_world(set_setting) as w:
        yield w


def refunds_of(session, world, engagement_id: int) -> list[dict]:
    charge_id = fresh(session, EngagementPayment, engagement_id).charge_id
    return [r for r in world.stripe.of("refund") if r["charge"] == charge_id]


def refund_posts(world) -> int:
    return world.stripe.fake.requests.count(("POST", "/v1/refunds"))


def worked_on(session, make, world):
    """Funded, onboarded, work submitted: a cancellation now refunds the pay less the kill fee."""
    hired = hire(session, make, pay_cents=30_000)
    onboard(session, world, hired.student)
    pay_checkout(session, world, hired.engagement.id)
    make.submit(hired)
    session.commit()
    return hired


def cancel_fails(session, hired) -> None:
    """The manager's cancellation is refused with a message, and nothing of it is kept."""
    with pytest.raises(DomainError, match=TRY_AGAIN):
        closing.cancel_one_engagement(session, hired.employer.manager, hired.engagement.id, "Change of plans")
    session.rollback()
    assert fresh(session, Engagement, hired.engagement.id).status != "cancelled"
    assert state(session, hired.engagement.id) == "funded"
    assert payments.balance(session, hired.engagement.id).refunded == 0


def cancel(session, hired) -> None:
    closing.cancel_one_engagement(session, hired.employer.manager, hired.engagement.id, "Change of plans")
    session.commit()
    assert fresh(session, Engagement, hired.engagement.id).status == "cancelled"
    assert state(session, hired.engagement.id) == "partially_refunded"


def disputed(session, make, world):
    """Funded, work submitted, and the student opened a dispute; no payout account yet."""
    hired = hire(session, make, pay_cents=30_000)
    pay_checkout(session, world, hired.engagement.id)
    make.submit(hired)
    dispute = disputes.open_dispute(session, hired.student, hired.engagement.id, "The brief changed twice after I started.")
    session.commit()
    return hired, dispute


def refund_decision_fails(session, world, staff, dispute, mode: str) -> None:
    """Staff decide the dispute as a refund while Stripe's refund endpoint meets the fault `mode`."""
    world.stripe.control("fault", path="/v1/refunds", mode=mode)
    with pytest.raises(DomainError, match=TRY_AGAIN):
        disputes.decide(session, staff, dispute.id, "refund")
    session.rollback()


def test_the_gateway_tells_a_replayed_500_from_a_fresh_one(session, make, world):
    hired = worked_on(session, make, world)
    gateway = StripeGateway.from_settings()
    charge_id = fresh(session, EngagementPayment, hired.engagement.id).charge_id
    world.stripe.control("fault", path="/v1/refunds", mode="error")
    answers = []
    for _ in range(2):
        with pytest.raises(GatewayFailed) as failed:
            gateway.refund(
                engagement_id=hired.engagement.id, amount_cents=100, currency="usd", source_reference=charge_id, idempotency_key="k"
            )
        answers.append(failed.value.replayed)
    assert answers == [False, True]


def test_a_cancellation_refused_by_a_saved_500_goes_through_on_the_next_try_and_refunds_once(session, make, world):
    hired = worked_on(session, make, world)
    key = f"engagement-{hired.engagement.id}-cancel-refund"
    world.stripe.control("fault", path="/v1/refunds", mode="error")
    cancel_fails(session, hired)
    assert world.stripe.fake.idempotency[key][1] == 500 and refunds_of(session, world, hired.engagement.id) == []
    cancel(session, hired)
    # The first key replayed its 500, Stripe was asked for a refund of ours (none), the next key refunded.
    assert world.stripe.fake.idempotency[key][1] == 500 and world.stripe.fake.idempotency[f"{key}-2"][1] == 200
    assert [r["amount"] for r in refunds_of(session, world, hired.engagement.id)] == [15_000]
    assert payments.balance(session, hired.engagement.id).refunded == 15_000
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_500_whose_refund_did_happen_is_found_and_recorded_not_made_again(session, make, world):
    hired = worked_on(session, make, world)
    world.stripe.control("fault", path="/v1/refunds", mode="error_after")
    cancel_fails(session, hired)
    (made,) = refunds_of(session, world, hired.engagement.id)  # Stripe did refund, then answered 500
    posts = refund_posts(world)
    cancel(session, hired)
    assert refund_posts(world) == posts + 1  # only the replay of the first key: no second refund asked
    assert [r["id"] for r in refunds_of(session, world, hired.engagement.id)] == [made["id"]]
    ledger_matches_the_fake(session, world, hired.engagement.id)


def saved_500(session, world, hired, key: str, mode: str = "error") -> None:
    """An earlier try of this very refund (same body) met a 500 under `key`, saved by Stripe."""
    charge_id = fresh(session, EngagementPayment, hired.engagement.id).charge_id
    world.stripe.control("fault", path="/v1/refunds", mode=mode)
    with pytest.raises(GatewayFailed):
        StripeGateway.from_settings().refund(
            engagement_id=hired.engagement.id, amount_cents=15_000, currency="usd", source_reference=charge_id, idempotency_key=key
        )


def test_the_keys_are_walked_past_saved_500s_to_the_first_fresh_answer(session, make, world):
    hired = worked_on(session, make, world)
    key = f"engagement-{hired.engagement.id}-cancel-refund"
    for used in (key, f"{key}-2", f"{key}-3"):
        saved_500(session, world, hired, used)
    cancel(session, hired)
    assert world.stripe.fake.idempotency[f"{key}-4"][1] == 200
    assert [r["amount"] for r in refunds_of(session, world, hired.engagement.id)] == [15_000]
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_refund_made_behind_a_later_key_is_found_not_made_again(session, make, world):
    hired = worked_on(session, make, world)
    key = f"engagement-{hired.engagement.id}-cancel-refund"
    saved_500(session, world, hired, key)
    saved_500(session, world, hired, f"{key}-2", mode="error_after")  # an earlier try's fresh 500; it did refund
    (made,) = refunds_of(session, world, hired.engagement.id)
    cancel(session, hired)
    assert f"{key}-3" not in world.stripe.fake.idempotency
    assert [r["id"] for r in refunds_of(session, world, hired.engagement.id)] == [made["id"]]
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_fresh_timeout_after_a_saved_500_asks_to_try_again(session, make, world):
    hired = worked_on(session, make, world)
    world.stripe.control("fault", path="/v1/refunds", mode="error")
    cancel_fails(session, hired)
    world.stripe.control("fault", path="/v1/refunds", mode="timeout")
    cancel_fails(session, hired)
    cancel(session, hired)
    assert [r["amount"] for r in refunds_of(session, world, hired.engagement.id)] == [15_000]
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_dispute_decision_refused_by_a_saved_500_goes_through_on_the_next_try(session, make, world):
    staff = make.staff()
    hired, dispute = disputed(session, make, world)
    refund_decision_fails(session, world, staff, dispute, "error")
    assert fresh(session, Dispute, dispute.id).status == "open" and state(session, hired.engagement.id) == "funded"
    disputes.decide(session, staff, dispute.id, "refund")
    session.commit()
    assert fresh(session, Dispute, dispute.id).status == "decided" and state(session, hired.engagement.id) == "refunded"
    fee = fresh(session, Engagement, hired.engagement.id).fee_cents
    assert [r["amount"] for r in refunds_of(session, world, hired.engagement.id)] == [30_000 + fee]
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_dispute_decided_again_for_another_amount_after_a_saved_500_refunds_that_amount_once(session, make, world):
    """The first decision's key holds a 500 for a whole refund; the second decision's smaller
    refund meets that key (Stripe: used with other parameters) and goes on to the next one."""
    staff = make.staff()
    hired, dispute = disputed(session, make, world)
    refund_decision_fails(session, world, staff, dispute, "error")
    disputes.decide(session, staff, dispute.id, "pay_part", student_share_cents=12_000)
    session.commit()
    assert [r["amount"] for r in refunds_of(session, world, hired.engagement.id)] == [18_000]
    assert payments.balance(session, hired.engagement.id).held == 12_000  # the student's share waits for a payout account
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_a_refund_of_another_amount_made_by_an_earlier_try_stops_the_decision(session, make, world):
    """An earlier decision's whole refund happened (its answer lost); a part payment now would
    refund on top of it: refused in words, nothing refunded twice."""
    staff = make.staff()
    hired, dispute = disputed(session, make, world)
    refund_decision_fails(session, world, staff, dispute, "timeout_after")
    (made,) = refunds_of(session, world, hired.engagement.id)
    with pytest.raises(DomainError, match=f"holds a refund for this engagement that is not this one \\({made['id']}"):
        disputes.decide(session, staff, dispute.id, "pay_part", student_share_cents=12_000)
    session.rollback()
    assert [r["id"] for r in refunds_of(session, world, hired.engagement.id)] == [made["id"]]
    assert fresh(session, Dispute, dispute.id).status == "open"


def test_a_second_paid_checkout_refunded_into_a_saved_500_is_refunded_once_when_stripe_sends_the_event_again(session, make, world):
    hired = first_of_two_checkouts_paid(session, make, world)
    world.stripe.control("fault", path="/v1/refunds", mode="error")
    paid = pay_checkout(session, world, hired.engagement.id)
    (event,) = paid["events"]
    assert paid["statuses"] == [500]  # not applied: Stripe sends it again later
    world.stripe.expect_failed_delivery(event["id"])
    assert world.stripe.of("refund") == []
    assert world.stripe.control("redeliver", event["id"])["status"] == 200
    (refund,) = world.stripe.of("refund")
    duplicate = next(c for c in world.stripe.of("charge") if c["id"] == refund["charge"])
    assert refund["amount"] == duplicate["amount"] == duplicate["amount_refunded"]
    assert state(session, hired.engagement.id) == "funded"
    # The ledger holds the first charge only; the second came and went back whole.
    balance = payments.balance(session, hired.engagement.id)
    assert balance.balanced and (balance.funded, balance.refunded) == (duplicate["amount"], 0)
