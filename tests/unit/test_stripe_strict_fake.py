"""The Stripe fake is as strict as Stripe, asked through the official SDK and our gateway.

Idempotency as Stripe documents it for API v1 (answers saved once an endpoint begins,
2xx, refusals and 500s alike; invalid parameters never saved; another body under a key
refused), the fault modes, amounts and currencies validated on every endpoint we call,
and every webhook delivery's answer kept and checked.
"""

import pytest
import stripe

from microgigs.integrations.payments import GatewayFailed, GatewayRefused, GatewayUnavailable
from microgigs.integrations.stripe_gateway import StripeGateway
from tests.stripe_fake.world import SECRET_KEY, stripe_world


@pytest.fixture
def world(app_db, set_setting):
    with stripe_world(set_setting) as w:
        yield w


@pytest.fixture
def gateway(world) -> StripeGateway:
    return StripeGateway.from_settings()


@pytest.fixture
def client(world) -> stripe.StripeClient:
    return stripe.StripeClient(SECRET_KEY, base_addresses={"api": world.stripe.url}, max_network_retries=0)


def replayed(response_or_error) -> bool:
    headers = response_or_error.headers if isinstance(response_or_error, stripe.StripeError) else response_or_error.last_response.headers
    return headers.get("Idempotent-Replayed") == "true"


def funded(world, gateway, amount: int = 10_000, currency: str = "usd") -> tuple[dict, dict]:
    """A paid charge of `amount` and an enabled connected account (no webhooks sent: not ours)."""
    checkout = gateway.start_funding(
        engagement_id=900, amount_cents=amount, currency=currency, idempotency_key=f"fund-{amount}-{currency}", success_url="http://x/ok"
    )
    world.stripe.control("pay", checkout.reference, deliver=False)
    account_id = gateway.create_payout_account(student_id=900, email="s@example.edu", idempotency_key=f"acct-{amount}-{currency}")
    world.stripe.control("enable_account", account_id, deliver=False)
    (charge,) = [c for c in world.stripe.of("charge") if c["amount"] == amount and c["currency"] == currency]
    return charge, world.stripe.fake.objects[account_id]


def transfer(gateway, charge: dict, account: dict, key: str, amount: int = 4_000, currency: str = "usd"):
    return gateway.transfer_to_student(
        engagement_id=900,
        student_id=900,
        amount_cents=amount,
        currency=currency,
        source_reference=charge["id"],
        idempotency_key=key,
        destination=account["id"],
    )


def params(charge: dict, account: dict, **changes) -> dict:
    """The parameters `transfer` sends through our gateway, in its order (so the same key fits)."""
    return {
        "amount": 4_000,
        "currency": "usd",
        "destination": account["id"],
        "source_transaction": charge["id"],
        "transfer_group": "engagement-900",
        "metadata": {"engagement_id": "900", "student_id": "900"},
    } | changes


def transfer_under_fault(world, gateway, mode: str, key: str, expected: type[Exception] = GatewayFailed):
    """A funded charge and account, and a transfer under `key` that meets the fault `mode`."""
    charge, account = funded(world, gateway)
    world.stripe.control("fault", path="/v1/transfers", mode=mode)
    with pytest.raises(expected) as failed:
        transfer(gateway, charge, account, key)
    return charge, account, failed.value


# --- idempotency -------------------------------------------------------------------------------


def test_a_success_is_saved_and_replayed_under_its_key(world, client):
    first = client.v1.accounts.create(params={"type": "express"}, options={"idempotency_key": "k-ok"})
    again = client.v1.accounts.create(params={"type": "express"}, options={"idempotency_key": "k-ok"})
    assert again.id == first.id and not replayed(first) and replayed(again)
    assert len(world.stripe.of("account")) == 1


def test_a_500_is_saved_and_replayed_to_every_retry_with_the_same_key(world, gateway, client):
    charge, account, _ = transfer_under_fault(world, gateway, "error", "k-500")
    for _ in range(3):  # the fault was one shot; the saved 500 is not
        with pytest.raises(stripe.APIError) as replay:
            client.v1.transfers.create(params=params(charge, account), options={"idempotency_key": "k-500"})
        assert replay.value.http_status == 500 and replayed(replay.value)
    with pytest.raises(GatewayFailed):
        transfer(gateway, charge, account, "k-500")
    assert world.stripe.of("transfer") == []
    assert transfer(gateway, charge, account, "k-other").reference  # another key runs the endpoint
    assert len(world.stripe.of("transfer")) == 1


def test_a_500_whose_work_happened_is_saved_too(world, gateway, client):
    charge, account, _ = transfer_under_fault(world, gateway, "error_after", "k-after")
    assert len(world.stripe.of("transfer")) == 1  # the outcome of a 500 is unknown: here it happened
    with pytest.raises(stripe.APIError) as replay:
        client.v1.transfers.create(params=params(charge, account), options={"idempotency_key": "k-after"})
    assert replayed(replay.value) and len(world.stripe.of("transfer")) == 1


def test_invalid_parameters_are_not_saved_so_the_key_runs_again(world, gateway, client):
    charge, account = funded(world, gateway)
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.transfers.create(params=params(charge, account, amount=0), options={"idempotency_key": "k-bad"})
    assert (refused.value.http_status, refused.value.error.param) == (400, "amount") and not replayed(refused.value)
    assert "k-bad" not in world.stripe.fake.idempotency
    # The same key with the request put right runs (no idempotency_error: nothing was saved).
    assert transfer(gateway, charge, account, "k-bad").reference
    assert replayed(client.v1.transfers.create(params=params(charge, account), options={"idempotency_key": "k-bad"}))


def test_a_refusal_by_a_running_endpoint_is_saved_even_once_its_cause_is_fixed(world, gateway, client):
    charge, account = funded(world, gateway)
    world.stripe.control("refuse_transfers", account["id"], deliver=False)
    with pytest.raises(GatewayRefused, match="cannot receive transfers"):
        transfer(gateway, charge, account, "k-refused")
    world.stripe.control("allow_transfers", account["id"], deliver=False)
    with pytest.raises(stripe.InvalidRequestError) as again:
        client.v1.transfers.create(params=params(charge, account), options={"idempotency_key": "k-refused"})
    assert replayed(again.value) and again.value.code == "account_invalid"
    assert transfer(gateway, charge, account, "k-refused-2").reference  # a new key goes through


@pytest.mark.parametrize("other", ["body", "path"])
def test_the_same_key_for_another_request_is_an_idempotency_error(world, client, other):
    client.v1.accounts.create(params={"type": "express", "email": "a@example.edu"}, options={"idempotency_key": "k-1"})
    with pytest.raises(stripe.IdempotencyError) as refused:
        if other == "body":
            client.v1.accounts.create(params={"type": "express", "email": "b@example.edu"}, options={"idempotency_key": "k-1"})
        else:
            client.v1.customers.create(params={"email": "a@example.edu"}, options={"idempotency_key": "k-1"})
    assert refused.value.http_status == 400 and refused.value.error.type == "idempotency_error"
    assert len(world.stripe.of("account")) == 1


def test_a_request_lost_on_the_way_does_nothing_and_saves_nothing(world, gateway):
    charge, account, lost = transfer_under_fault(world, gateway, "timeout", "k-lost", expected=GatewayUnavailable)
    assert not isinstance(lost, GatewayFailed)
    assert world.stripe.of("transfer") == [] and "k-lost" not in world.stripe.fake.idempotency
    assert transfer(gateway, charge, account, "k-lost").reference and len(world.stripe.of("transfer")) == 1


def test_an_answer_lost_on_the_way_back_was_done_and_is_saved(world, gateway, client):
    charge, account, _ = transfer_under_fault(world, gateway, "timeout_after", "k-done", expected=GatewayUnavailable)
    (made,) = world.stripe.of("transfer")
    again = client.v1.transfers.create(params=params(charge, account), options={"idempotency_key": "k-done"})
    assert again.id == made["id"] and replayed(again) and len(world.stripe.of("transfer")) == 1


# --- amounts and currencies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "code"), [(0, "parameter_invalid_integer"), (-5, "parameter_invalid_integer"), ("12.5", "parameter_invalid_integer")]
)
def test_transfers_refunds_and_reversals_of_no_whole_positive_amount_are_refused(world, gateway, client, amount, code):
    charge, account = funded(world, gateway)
    made = client.v1.transfers.create(params=params(charge, account))
    attempts = {
        "transfer": lambda: client.v1.transfers.create(params=params(charge, account, amount=amount)),
        "refund": lambda: client.v1.refunds.create(params={"charge": charge["id"], "amount": amount}),
        "reversal": lambda: client.v1.transfers.reversals.create(made.id, params={"amount": amount}),
    }
    for what, attempt in attempts.items():
        with pytest.raises(stripe.InvalidRequestError) as refused:
            attempt()
        assert (refused.value.http_status, refused.value.code, refused.value.error.param) == (400, code, "amount"), what
    assert len(world.stripe.of("transfer")) == 1 and world.stripe.of("refund") == []
    assert world.stripe.fake.objects[made.id]["amount_reversed"] == 0


def test_a_transfer_in_another_currency_than_its_charge_is_refused(world, gateway):
    charge, account = funded(world, gateway)
    with pytest.raises(GatewayRefused, match=r"\(usd\).*\(eur\)"):
        transfer(gateway, charge, account, "k-eur", currency="eur")
    assert world.stripe.of("transfer") == []


@pytest.mark.parametrize("currency", ["USD", "xyz", ""])
def test_a_currency_must_be_a_known_lowercase_iso_code(world, gateway, client, currency):
    charge, account = funded(world, gateway)
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.transfers.create(params=params(charge, account, currency=currency))
    assert refused.value.error.param == "currency"
    assert refused.value.code == ("parameter_missing" if not currency else "parameter_invalid_string")


def test_a_reversal_larger_than_what_is_left_of_its_transfer_is_refused(world, gateway, client):
    charge, account = funded(world, gateway)
    made = client.v1.transfers.create(params=params(charge, account))
    client.v1.transfers.reversals.create(made.id, params={"amount": 3_000})
    with pytest.raises(stripe.InvalidRequestError, match=r"\(1001\).*\(1000\)") as refused:
        client.v1.transfers.reversals.create(made.id, params={"amount": 1_001})
    assert refused.value.error.param == "amount"
    client.v1.transfers.reversals.create(made.id)  # the rest
    with pytest.raises(stripe.InvalidRequestError, match="already been fully reversed"):
        client.v1.transfers.reversals.create(made.id)
    assert world.stripe.fake.objects[made.id]["amount_reversed"] == 4_000


def test_a_refund_larger_than_what_is_left_of_its_charge_is_refused(world, gateway, client):
    charge, _ = funded(world, gateway)
    client.v1.refunds.create(params={"charge": charge["id"], "amount": 9_000})
    with pytest.raises(stripe.InvalidRequestError, match=r"\(1001\).*\(1000\)"):
        client.v1.refunds.create(params={"charge": charge["id"], "amount": 1_001})
    assert world.stripe.fake.objects[charge["id"]]["amount_refunded"] == 9_000


def line(**changes) -> dict:
    """A line item as our gateway sends it; a change to None leaves that field out."""
    price = {"currency": "usd", "unit_amount": 5_000, "product_data": {"name": "Work"}}
    item = {"quantity": 1}
    for name, value in changes.items():
        (item if name == "quantity" else price)[name] = value
    item["price_data"] = price
    return {k: v for k, v in item.items() if v is not None} | {"price_data": {k: v for k, v in price.items() if v is not None}}


@pytest.mark.parametrize(
    ("items", "param", "code"),
    [
        ([line(unit_amount=None)], "line_items[0][price_data][unit_amount]", "parameter_missing"),
        ([line(unit_amount=-1)], "line_items[0][price_data][unit_amount]", "parameter_invalid_integer"),
        ([line(currency="USD")], "line_items[0][price_data][currency]", "parameter_invalid_string"),
        ([line(currency=None)], "line_items[0][price_data][currency]", "parameter_missing"),
        ([line(quantity=0)], "line_items[0][quantity]", "parameter_invalid_integer"),
        ([line(quantity=None)], "line_items[0][quantity]", "parameter_missing"),
        ([line(product_data=None)], "line_items[0][price_data][product_data][name]", "parameter_missing"),
        ([line(), line(currency="eur")], "line_items", "parameter_invalid_string"),
        ([line(unit_amount=49)], "line_items", "amount_too_small"),
        ([], "line_items", "parameter_missing"),
    ],
)
def test_a_checkout_with_a_bad_line_item_is_refused_stripe_shaped(world, client, items, param, code):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.checkout.sessions.create(
            params={"mode": "payment", "line_items": items, "success_url": "http://x/ok"}, options={"idempotency_key": "k-checkout"}
        )
    assert (refused.value.http_status, refused.value.error.param, refused.value.code) == (400, param, code)
    assert world.stripe.of("checkout.session") == [] and "k-checkout" not in world.stripe.fake.idempotency


def test_a_checkout_of_the_minimum_charge_opens(world, gateway):
    assert gateway.start_funding(engagement_id=901, amount_cents=50, currency="usd", idempotency_key="k-min", success_url="http://x/ok").url
    with pytest.raises(GatewayRefused, match="at least 50 usd"):
        gateway.start_funding(engagement_id=902, amount_cents=49, currency="usd", idempotency_key="k-below", success_url="http://x/ok")


# --- webhook deliveries -------------------------------------------------------------------------


def test_every_delivery_is_kept_and_a_failed_one_fails_the_world_unless_expected(world, gateway, client):
    charge, _ = funded(world, gateway)
    client.v1.refunds.create(params={"charge": charge["id"], "amount": 1_000})  # charge.refunded goes out in the background
    world.stripe.wait_until_delivered()
    (ok,) = world.stripe.fake.deliveries
    assert (ok.event_type, ok.endpoint, ok.status, ok.error) == ("charge.refunded", "platform", 200, "")
    # Our endpoint answers 404 to one background delivery, and nobody listens for another.
    world.stripe.control("config", webhook_url=f"{world.app_url}/api/stripe/nowhere")
    client.v1.refunds.create(params={"charge": charge["id"], "amount": 1_000})
    world.stripe.wait_until_delivered()
    world.stripe.control("config", webhook_url="http://127.0.0.1:9/closed")
    client.v1.refunds.create(params={"charge": charge["id"], "amount": 1_000})
    world.stripe.wait_until_delivered()
    not_found, no_answer = world.stripe.fake.deliveries[1:]
    assert (not_found.status, not_found.ok) == (404, False)
    assert no_answer.status == 0 and "ConnectError" in no_answer.error
    with pytest.raises(AssertionError, match="charge.refunded .* 404(.|\n)*ConnectError"):
        world.stripe.check_deliveries()
    world.stripe.expect_failed_delivery(not_found.event_id)
    world.stripe.expect_failed_delivery(no_answer.event_id)
    world.stripe.check_deliveries()
    world.stripe.control("config", webhook_url=f"{world.app_url}/api/stripe/webhook")
