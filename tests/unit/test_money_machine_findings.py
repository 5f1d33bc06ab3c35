"""What the money state machine (test_stripe_state_machine.py) found, each pinned on its own."""

from sqlmodel import select

from microgigs.models import EngagementPayment, Notification
from microgigs.services import closing, engagements, money, payments
from microgigs.services.amounts import percent_of
from tests.unit.test_stripe_payments import fresh, hire, onboard, pay_checkout
from tests.unit.test_stripe_payout_failures_and_events import world  # noqa: F401  (the fixture)


def test_percentages_of_money_are_decimal_not_float():
    # As floats 3000 * 2.05 / 100 is 61.49999…, which rounds to 61; 2.05 % of 3000 is 61.5 → 62.
    assert percent_of(3000, 2.05) == 62
    assert percent_of(2500, 0.34) == 8  # 8.5: a tie goes to the even cent (the float said 9)
    assert percent_of(30_000, 10.0) == 3000 and percent_of(105, 10.0) == 10 and percent_of(0, 12.5) == 0


def test_the_fee_and_the_kill_fee_are_exact_to_the_cent(session, make, set_setting):
    set_setting("platform_fee_percent", "2.05")
    set_setting("kill_fee_percent", "2.05")
    hired = make.hired(pay_cents=3000, estimated_hours=1)  # demo payments: funded at once
    assert hired.engagement.fee_cents == 62
    make.submit(hired)
    closing.cancel_one_engagement(session, hired.employer.manager, hired.engagement.id, "Plans changed")
    session.flush()
    balance = payments.balance(session, hired.engagement.id)
    assert (balance.transferred, balance.refunded, balance.platform_fee, balance.held) == (62, 3000 - 62, 62, 0)


def test_a_transfer_reversed_at_stripe_comes_back_into_the_ledger_once(session, make, world):  # noqa: F811
    staff = make.staff()
    hired = hire(session, make, pay_cents=25_000)
    onboard(session, world, hired.student)
    pay_checkout(session, world, hired.engagement.id)
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    payment = fresh(session, EngagementPayment, hired.engagement.id)
    event = world.stripe.control("reverse_transfer", payment.transfer_id)["events"][0]
    session.expire_all()
    balance = payments.balance(session, hired.engagement.id)
    # Back on the platform's balance: no longer the student's, held for staff to decide.
    assert (balance.transferred, balance.held, balance.balanced) == (0, 25_000, True)
    assert fresh(session, EngagementPayment, hired.engagement.id).transfer_reversed
    # A repeat and a late copy change nothing; the ledger says what Stripe says.
    world.stripe.control("redeliver", event["id"])
    late = world.stripe.fake.event("transfer.reversed", event["data"]["object"])
    world.stripe.control("redeliver", late["id"])
    session.expire_all()
    assert payments.balance(session, hired.engagement.id) == balance
    assert not money.reconcile(session, staff).differences
    session.expire_all()
    assert session.exec(
        select(Notification).where(Notification.user_id == staff.id, Notification.kind == "payment.transfer_reversed")
    ).all()
    # Staff give it back to the employer from the dashboard: taken from what is held.
    world.stripe.control("refund_in_dashboard", payment.charge_id, amount=25_000)
    session.expire_all()
    balance = payments.balance(session, hired.engagement.id)
    assert (balance.held, balance.refunded, balance.transferred, balance.balanced) == (0, 25_000, 0, True)
    assert not money.reconcile(session, staff).differences


def test_a_reversal_our_ledger_does_not_know_yet_is_delivered_again_later(session, make, world):  # noqa: F811
    """The transfer's answer was lost, Stripe reverses it before our retry job runs: the event
    fails (Stripe retries it) until the retry job has written the transfer, then it counts."""
    hired = hire(session, make, pay_cents=20_000)
    onboard(session, world, hired.student)
    pay_checkout(session, world, hired.engagement.id)
    make.submit(hired)
    world.stripe.fake.fault_delay = 1.3  # just past the client's 1 s timeout
    world.stripe.control("fault", path="/v1/transfers", mode="timeout_after")
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    (transfer,) = world.stripe.of("transfer")
    reversed_ = world.stripe.control("reverse_transfer", transfer["id"])
    assert reversed_["statuses"] == [500]  # not applied: Stripe delivers it again later
    event = reversed_["events"][0]
    # A fake that checks every delivery when the test ends must know this failure is meant.
    getattr(world.stripe, "expect_failed_delivery", lambda _event_id: None)(event["id"])
    payments.retry_payouts(session)
    session.commit()
    assert world.stripe.control("redeliver", event["id"])["status"] == 200
    session.expire_all()
    balance = payments.balance(session, hired.engagement.id)
    assert (balance.transferred, balance.held) == (0, 20_000)
