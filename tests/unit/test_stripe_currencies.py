"""Money in other currencies through the Stripe gateway: the real SDK against the loopback fake.

A gig in euros, one in yen and one in forints is charged, paid out and refunded with its own
currency, lower case, and the amount in Stripe's units (integrations/stripe_units.py): the same
number as our minor units for eur and jpy, a hundred times it for huf (zero-decimal for us and
CLDR, two-decimal in Stripe's API). The ledger reads Stripe's amounts back in our units.
"""

import pytest
from sqlmodel import select

from microgigs.integrations.gateways import gateway_supports
from microgigs.integrations.stripe_units import from_stripe, stripe_refusal, to_stripe
from microgigs.models import EngagementPayment, LedgerEntry, PayoutAccount
from microgigs.services import center, closing, money, payments
from tests.stripe_fake.world import stripe_world


@pytest.fixture
def world(app_db, set_setting):
    with stripe_world(set_setting) as w:
        yield w


def center_currency(session, code: str) -> None:
    """What an admin's save at /admin/settings writes (services/center_settings.py)."""
    center.row_for_update(session).currency = code
    session.commit()


def fresh(session, model, key):
    session.expire_all()
    return session.get(model, key)


@pytest.mark.parametrize(
    ("currency", "pay", "scale"),
    [("eur", 30_000, 1), ("jpy", 30_000, 1), ("huf", 30_000, 100)],
)
def test_charged_transferred_and_refunded_in_the_gig_s_currency(session, make, world, currency, pay, scale):
    center_currency(session, currency)
    hired = make.hired(pay_cents=pay)
    session.commit()
    engagement_id = hired.engagement.id
    assert (hired.gig.currency, hired.engagement.currency) == (currency, currency)
    fee = hired.engagement.fee_cents

    (checkout,) = world.stripe.of("checkout.session")
    assert checkout["currency"] == currency
    assert [line["price_data"]["currency"] for line in checkout["line_items_for_tests"]] == [currency, currency]
    assert [int(line["price_data"]["unit_amount"]) for line in checkout["line_items_for_tests"]] == [pay * scale, fee * scale]

    payment = fresh(session, EngagementPayment, engagement_id)
    world.stripe.control("pay", payment.checkout_session_id)
    payments.payout_onboarding_url(session, hired.student)
    session.commit()
    world.stripe.control("enable_account", fresh(session, PayoutAccount, hired.student.id).account_id)
    make.submit(hired)
    closing.cancel_one_engagement(session, hired.employer.manager, engagement_id, "Change of plans")
    session.commit()
    assert fresh(session, EngagementPayment, engagement_id).state == "partially_refunded"

    (charge,) = world.stripe.of("charge")
    (transfer,) = world.stripe.of("transfer")
    (refund,) = world.stripe.of("refund")
    assert (charge["currency"], transfer["currency"], refund["currency"]) == (currency, currency, currency)
    kill_fee = pay // 2
    assert (charge["amount"], transfer["amount"], refund["amount"]) == ((pay + fee) * scale, kill_fee * scale, (pay - kill_fee) * scale)

    # Our ledger: the same money in our minor units, every row in the gig's currency.
    session.expire_all()
    rows = session.exec(select(LedgerEntry).where(LedgerEntry.engagement_id == engagement_id)).all()
    assert {r.currency for r in rows} == {currency}
    balance = payments.balance(session, engagement_id)
    assert balance.balanced
    assert (balance.funded, balance.refunded) == (pay + fee, pay - kill_fee)
    # Reconciliation reads Stripe's amounts back in our units: no difference.
    staff = make.staff()
    session.commit()
    assert money.reconcile(session, staff).differences == []
    session.rollback()  # nothing held open while the last webhooks arrive


def test_stripe_units_follow_stripe_s_rules():
    assert (to_stripe(45_050, "usd"), to_stripe(45_000, "jpy"), to_stripe(5, "isk"), to_stripe(5, "ugx"), to_stripe(5, "huf")) == (
        45_050,
        45_000,
        500,
        500,
        500,
    )
    assert (from_stripe(500, "isk"), from_stripe(45_000, "jpy"), from_stripe(123, "eur")) == (5, 45_000, 123)


@pytest.mark.parametrize(
    ("currency", "refused"), [("usd", False), ("jpy", False), ("isk", False), ("kwd", True), ("twd", True), ("xyz", True)]
)
def test_stripe_refuses_the_currencies_it_handles_apart(currency, refused):
    assert (stripe_refusal(currency) is not None) == refused
    assert (gateway_supports(currency, "stripe") is not None) == refused
    # The demo gateway takes any ISO currency.
    assert (gateway_supports(currency, "demo") is not None) == (currency == "xyz")


def test_the_refusals_say_why_in_words():
    assert "Kuwaiti dinars" in stripe_refusal("kwd")
    assert "New Taiwan dollars" in stripe_refusal("TWD")
    assert gateway_supports("xyz", "demo") == "'xyz' is not an ISO 4217 currency code."
