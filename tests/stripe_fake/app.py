"""A stateful fake of the Stripe endpoints MicroGigs calls, as strict as Stripe, for tests
without the internet.

It speaks Stripe's wire format (form-encoded nested params in, JSON objects and
`{"error": {...}}` out), checks the secret key, and keeps every object so tests can compare
it with our ledger.

Idempotency, as Stripe documents it for API v1 (docs.stripe.com/api/idempotent_requests,
docs.stripe.com/error-low-level): the status and body of the first request under a key are
saved once the endpoint *begins executing*, whatever they are, 2xx, 4xx or 500, and every
later request with that key gets the saved answer again with `Idempotent-Replayed: true`.
- Nothing is saved when the request fails before any endpoint runs: a bad API key (401) or
  invalid parameters (400: missing, malformed, unknown ids, zero or negative amounts,
  unknown currencies, ...). A retry with the same key runs again.
- Refusals of valid parameters by the endpoint itself (the destination cannot receive
  transfers, not enough funds on the source charge, another currency than the charge's, a
  reversal larger than what is left) are saved like any answer: the same key is refused
  again, even once the cause is fixed, so a fixed request needs a new key.
- The same key with another body or on another path: 400 `idempotency_error`, not saved.
Each endpoint calls `call.begin()` where its parameter checks end; that line is the border.

Faults (`faults[path prefix] = mode`, set with `/_control/fault`; one shot, POST only):
- "timeout": the request is lost on the way; nothing is done, nothing saved. The fake holds
  the connection until the caller gives up (at most `fault_delay` seconds, then it answers an
  unsaved 500 that a caller with a shorter timeout never reads).
- "timeout_after": the endpoint runs and its answer is saved under the key, then the answer
  is lost: held until the caller gives up. A retry with the key gets the saved answer.
- "error": Stripe's endpoint begins and fails: a 500 `api_error`, saved under the key, so
  every retry with the same key gets that 500 again (a request with invalid parameters is
  refused with its 400 first; a request whose key is already saved is answered from the
  saved answer, the endpoint never runs, and the fault waits for the next request that
  reaches it; the same holds for "timeout_after" and "error_after").
- "error_after": the endpoint does its work (a transfer is made), then fails: a 500, saved
  under the key. Stripe says a 500's outcome is unknown; this is the case where it happened.

Validation, on every endpoint we call: amounts are integers of at least 1 (checkout unit
amounts at least 0), currencies known lowercase ISO codes, checkout line items complete
(`price_data[currency]`, `price_data[unit_amount]`, `price_data[product_data][name]`,
`quantity` of at least 1, one currency), a checkout total at least Stripe's minimum charge
for its currency (50 cents in USD). Errors are Stripe-shaped: type, message, code, param.
A bug in the fake answers a Stripe-shaped 500 and is kept in `crashes`, which fails the test.

Webhooks: events are signed like Stripe's and POSTed to the configured URLs. Every
delivery's answer is kept in `deliveries` (event id, status or connection error, which
endpoint); `unexpected_failures()` lists those that were not 2xx and that no test declared
expected (`expected_failures`). Events caused by an API call go out in the background just
after its answer, like Stripe's; `pending` holds those still on their way.

Control routes under /_control/ act like the outside world: a payer paying or abandoning a
checkout, a student finishing onboarding, a bank failing a payout, the network timing out,
Stripe refusing transfers to an account for good, a refund made in the Stripe dashboard, a
transfer reversed from the dashboard.
"""

import asyncio
import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from microgigs.integrations.stripe_units import stripe_decimals

# Stripe's minimum charge amount per currency, in the currency's smallest unit
# (docs.stripe.com/currencies#minimum-and-maximum-charge-amounts); the currencies this fake knows.
MINIMUM_CHARGE = {
    "usd": 50,
    "aed": 200,
    "aud": 50,
    "bgn": 100,
    "brl": 50,
    "cad": 50,
    "chf": 50,
    "czk": 1500,
    "dkk": 250,
    "eur": 50,
    "gbp": 30,
    "hkd": 400,
    "huf": 17500,
    "inr": 50,
    "jpy": 50,
    "mxn": 1000,
    "myr": 200,
    "nok": 300,
    "nzd": 50,
    "pln": 200,
    "ron": 200,
    "sek": 300,
    "sgd": 50,
    "thb": 1000,
}
CURRENCIES = frozenset(MINIMUM_CHARGE)


def parse_stripe_form(body: str) -> dict:
    """`a[b][0][c]=1` -> {"a": {"b": [{"c": "1"}]}} (how the SDK encodes nested params)."""
    root: dict = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = key.replace("]", "").split("[")
        node: Any = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if isinstance(node, list):
                index = int(part)
                while len(node) <= index:
                    node.append({})
                if last:
                    node[index] = value
                else:
                    if not isinstance(node[index], (dict, list)) or node[index] == {}:
                        node[index] = [] if parts[i + 1].isdigit() else {}
                    node = node[index]
            else:
                if last:
                    node[part] = value
                else:
                    node = node.setdefault(part, [] if parts[i + 1].isdigit() else {})
    return root


def sign(payload: str, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header for `payload`."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


class StripeError(Exception):
    def __init__(self, status: int, message: str, type_: str = "invalid_request_error", code: str = "", param: str = ""):
        super().__init__(message)
        self.status, self.body = status, {"error": {"type": type_, "message": message, "code": code, "param": param}}


class Delivery(NamedTuple):
    """One webhook delivery and our endpoint's answer (index 0 and 1 as in the old pairs)."""

    event_id: str
    status: int  # our endpoint's HTTP status; 0 when no answer came
    endpoint: str  # "platform" | "connect"
    event_type: str
    error: str = ""  # the connection error, when no answer came

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class FakeStripe:
    secret_key: str = "sk_test_fake"
    webhook_secret: str = "whsec_platform_fake"
    connect_webhook_secret: str = "whsec_connect_fake"
    webhook_url: str = ""
    connect_webhook_url: str = ""
    public_url: str = ""  # where this fake is reached (for checkout and onboarding pages)
    objects: dict[str, dict] = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    # event ids whose failed delivery (non-2xx or no answer) a test expects
    expected_failures: set[str] = field(default_factory=set)
    # key -> (path?body of its first request, status, body): the saved answers
    idempotency: dict[str, tuple[str, int, dict]] = field(default_factory=dict)
    # path prefix -> "timeout" | "timeout_after" | "error" | "error_after" (see the module docstring)
    faults: dict[str, str] = field(default_factory=dict)
    fault_delay: float = 3.0
    # Every API request as (method, path), so tests can count what a page asked Stripe.
    requests: list[tuple[str, str]] = field(default_factory=list)
    # destination account id -> (code, message): transfers there are refused for good (400)
    refuse_transfers: dict[str, tuple[str, str]] = field(default_factory=dict)
    # background deliveries still on their way
    pending: set = field(default_factory=set)
    # exceptions the fake itself raised (a bug in the fake, never an expected answer)
    crashes: list[str] = field(default_factory=list)
    # notified whenever a delivery is answered or a background one ends: tests wait on it
    delivery_news: threading.Condition = field(default_factory=threading.Condition)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_fake{next(self._ids):06d}"

    def of(self, kind: str) -> list[dict]:
        return [o for o in self.objects.values() if o["object"] == kind]

    def get(self, object_id: str, kind: str, param: str = "id") -> dict:
        obj = self.objects.get(object_id or "")
        if obj is None or obj["object"] != kind:
            raise StripeError(404, f"No such {kind.split('.')[-1]}: '{object_id}'", code="resource_missing", param=param)
        return obj

    def event(self, type_: str, obj: dict, account: str = "") -> dict:
        event = {
            "id": self.new_id("evt"),
            "object": "event",
            "api_version": "2025-01-27.acacia",
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "type": type_,
            "data": {"object": json.loads(json.dumps(obj))},  # a snapshot: later changes do not show
        }
        if account:
            event["account"] = account
        self.events.append(event)
        return event

    async def deliver(self, event: dict, *, payload: str | None = None, signature: str | None = None) -> int:
        """POST the event to its endpoint; keep and return the answer's status (0: no answer)."""
        endpoint = "connect" if "account" in event else "platform"
        url = self.connect_webhook_url if endpoint == "connect" else self.webhook_url
        if not url:
            return 0
        body = payload if payload is not None else json.dumps(event)
        header = signature or sign(body, self.connect_webhook_secret if endpoint == "connect" else self.webhook_secret)
        try:
            async with httpx.AsyncClient(timeout=30) as client:
                response = await client.post(url, content=body, headers={"Stripe-Signature": header, "Content-Type": "application/json"})
        except httpx.HTTPError as exc:
            self.kept(Delivery(event["id"], 0, endpoint, event["type"], f"{type(exc).__name__}: {exc}"))
            return 0
        self.kept(Delivery(event["id"], response.status_code, endpoint, event["type"]))
        return response.status_code

    def kept(self, delivery: "Delivery | None" = None) -> None:
        """Note a delivery's answer (or only that a background one ended) and wake the waiting tests."""
        with self.delivery_news:
            if delivery is not None:
                self.deliveries.append(delivery)
            self.delivery_news.notify_all()

    def wait(self, done, timeout: float) -> bool:
        """Block until `done()` holds (checked at every delivery news) or `timeout` passes."""
        with self.delivery_news:
            return self.delivery_news.wait_for(done, timeout)

    def unexpected_failures(self) -> list[Delivery]:
        return [d for d in self.deliveries if not d.ok and d.event_id not in self.expected_failures]


@dataclass
class Call:
    """One API request on its way through an endpoint."""

    fault: str | None = None
    began: bool = False

    def begin(self) -> None:
        """The parameters are valid and the endpoint starts: from here its answer is saved
        under the idempotency key. An "error" fault fails it here, with a saved 500."""
        self.began = True
        if self.fault == "error":
            raise StripeError(500, "An unknown error occurred (fake).", type_="api_error")


# --- checking parameters (refused before any endpoint begins: nothing saved) -------------------


def missing(param: str) -> StripeError:
    return StripeError(400, f"Missing required param: {param}.", code="parameter_missing", param=param)


def integer(value: Any, param: str, *, minimum: int) -> int:
    if value is None or value == "":
        raise missing(param)
    if not isinstance(value, str) or not re.fullmatch(r"-?\d+", value):
        raise StripeError(400, f"Invalid integer: {value}", code="parameter_invalid_integer", param=param)
    number = int(value)
    if number < minimum:
        raise StripeError(400, f"This value must be greater than or equal to {minimum}.", code="parameter_invalid_integer", param=param)
    return number


def currency(value: Any, param: str) -> str:
    if value is None or value == "":
        raise missing(param)
    if value not in CURRENCIES:
        raise StripeError(
            400,
            f"Invalid currency: {value}. Stripe currently supports these currencies: {', '.join(sorted(CURRENCIES))}",
            code="parameter_invalid_string",
            param=param,
        )
    return value


def url(value: Any, param: str) -> str:
    if value is None or value == "":
        raise missing(param)
    if not re.match(r"https?://[^/\s]+", value):
        raise StripeError(400, "Not a valid URL", code="url_invalid", param=param)
    return value


def one_of(value: Any, param: str, allowed: tuple[str, ...]) -> str:
    if value is None or value == "":
        raise missing(param)
    if value not in allowed:
        raise StripeError(
            400,
            f"Invalid {param}: must be one of {', '.join(allowed)}",
            code="parameter_invalid_string",
            param=param,
        )
    return value


def build_app(fake: FakeStripe) -> Starlette:
    def later(event: dict) -> None:
        # Events caused by an API call go out after the answer, as Stripe's do.
        async def go():
            await asyncio.sleep(0.05)
            await fake.deliver(event)

        task = asyncio.create_task(go())
        fake.pending.add(task)

        def ended(task) -> None:
            fake.pending.discard(task)
            fake.kept()

        task.add_done_callback(ended)

    # --- the API ----------------------------------------------------------------------------

    def checked_line_items(p: dict) -> tuple[list[dict], int, str]:
        lines = p.get("line_items") or []
        if not lines:
            raise StripeError(400, "line_items is required in payment mode.", code="parameter_missing", param="line_items")
        total, currencies = 0, set()
        for i, item in enumerate(lines):
            at = f"line_items[{i}]"
            data = item.get("price_data") if isinstance(item, dict) else None
            if not isinstance(data, dict):
                if isinstance(item, dict) and item.get("price"):
                    raise StripeError(400, f"No such price: '{item['price']}'", code="resource_missing", param=f"{at}[price]")
                raise StripeError(
                    400, f"You must specify either `price` or `price_data` in {at}.", code="parameter_missing", param=f"{at}[price_data]"
                )
            currencies.add(currency(data.get("currency"), f"{at}[price_data][currency]"))
            unit_amount = integer(data.get("unit_amount"), f"{at}[price_data][unit_amount]", minimum=0)
            if not (data.get("product_data") or {}).get("name") and not data.get("product"):
                raise missing(f"{at}[price_data][product_data][name]")
            quantity = integer(item.get("quantity"), f"{at}[quantity]", minimum=1)
            total += unit_amount * quantity
        if len(currencies) > 1:
            raise StripeError(
                400,
                "All line items in a Checkout Session must be in the same currency.",
                code="parameter_invalid_string",
                param="line_items",
            )
        (session_currency,) = currencies
        minimum = MINIMUM_CHARGE[session_currency]
        if total < minimum:
            raise StripeError(
                400,
                f"The Checkout Session's total amount due must add up to at least {minimum} {session_currency} (in its smallest unit).",
                code="amount_too_small",
                param="line_items",
            )
        return lines, total, session_currency

    def create_checkout(p: dict, call: Call) -> dict:
        one_of(p.get("mode"), "mode", ("payment",))
        lines, total, session_currency = checked_line_items(p)
        url(p.get("success_url"), "success_url")
        if p.get("cancel_url"):
            url(p["cancel_url"], "cancel_url")
        call.begin()
        session_id = fake.new_id("cs_test")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": "payment",
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": total,
            "currency": session_currency,
            "client_reference_id": p.get("client_reference_id"),
            "metadata": p.get("metadata") or {},
            "payment_intent": None,
            "success_url": p.get("success_url"),
            "cancel_url": p.get("cancel_url"),
            "url": f"{fake.public_url}/_fake/checkout/{session_id}",
            "line_items_for_tests": lines,
            "payment_intent_data": p.get("payment_intent_data") or {},
        }
        fake.objects[session_id] = session
        return session

    def expire_checkout(session_id: str, call: Call) -> dict:
        session = fake.get(session_id, "checkout.session", param="session")
        call.begin()
        if session["status"] != "open":
            raise StripeError(
                400,
                f'Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "{session["status"]}".',
            )
        session["status"] = "expired"
        later(fake.event("checkout.session.expired", session))
        return session

    def create_transfer(p: dict, call: Call) -> dict:
        amount = integer(p.get("amount"), "amount", minimum=1)
        transfer_currency = currency(p.get("currency"), "currency")
        if not p.get("destination"):
            raise missing("destination")
        account = fake.get(p["destination"], "account", param="destination")
        charge = fake.get(p["source_transaction"], "charge", param="source_transaction") if p.get("source_transaction") else None
        call.begin()
        if account["id"] in fake.refuse_transfers:
            code, message = fake.refuse_transfers[account["id"]]
            raise StripeError(400, message, code=code, param="destination")
        if not account["payouts_enabled"]:
            raise StripeError(
                400,
                "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments",
                code="insufficient_capabilities_for_transfer",
                param="destination",
            )
        if charge is None:
            raise StripeError(
                400, "You have insufficient funds in your Stripe account for this transfer.", code="balance_insufficient", param="amount"
            )
        if transfer_currency != charge["currency"]:
            raise StripeError(
                400,
                f"The currency of source_transaction's balance transaction ({charge['currency']}) must be the same as the transfer currency ({transfer_currency}).",
                param="currency",
            )
        used = sum(t["amount"] for t in fake.of("transfer") if t["source_transaction"] == charge["id"])
        if amount + used > charge["amount"] - charge["amount_refunded"]:
            raise StripeError(
                400, "Insufficient funds on the source transaction for this transfer.", code="balance_insufficient", param="amount"
            )
        transfer = {
            "id": fake.new_id("tr"),
            "object": "transfer",
            "amount": amount,
            "amount_reversed": 0,
            "currency": transfer_currency,
            "destination": account["id"],
            "source_transaction": charge["id"],
            "transfer_group": p.get("transfer_group"),
            "metadata": p.get("metadata") or {},
            "reversed": False,
        }
        fake.objects[transfer["id"]] = transfer
        later(fake.event("transfer.created", transfer))
        return transfer

    def part_left(left: int, amount: int | None, *, none_left: StripeError, too_large: str) -> int:
        """`amount` (None: all that is left) out of what is `left`, refused as Stripe refuses."""
        if left == 0:
            raise none_left
        amount = left if amount is None else amount
        if amount > left:
            raise StripeError(400, too_large.format(amount=amount, left=left), code="amount_too_large", param="amount")
        return amount

    def refund_charge(charge: dict, amount: int | None, metadata: dict) -> dict:
        """Refund (part of) a charge; None: what is left of it."""
        amount = part_left(
            charge["amount"] - charge["amount_refunded"],
            amount,
            none_left=StripeError(400, f"Charge {charge['id']} has already been refunded.", code="charge_already_refunded"),
            too_large="Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
        )
        refund = {
            "id": fake.new_id("re"),
            "object": "refund",
            "amount": amount,
            "currency": charge["currency"],  # a refund is in its charge's currency, as at Stripe
            "charge": charge["id"],
            "status": "succeeded",
            "metadata": metadata,
        }
        fake.objects[refund["id"]] = refund
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        return refund

    def create_refund(p: dict, call: Call) -> dict:
        if not p.get("charge"):
            raise missing("charge")
        charge = fake.get(p["charge"], "charge", param="charge")
        amount = integer(p["amount"], "amount", minimum=1) if "amount" in p else None
        call.begin()
        refund = refund_charge(charge, amount, p.get("metadata") or {})
        later(fake.event("charge.refunded", charge))
        return refund

    def reverse_transfer(transfer: dict, amount: int | None) -> dict:
        """Reverse (part of) a transfer; None: what is left of it."""
        amount = part_left(
            transfer["amount"] - transfer["amount_reversed"],
            amount,
            none_left=StripeError(400, f"Transfer {transfer['id']} has already been fully reversed.", param="amount"),
            too_large="Transfer reversal amount ({amount}) is greater than the amount left on the transfer ({left}).",
        )
        transfer["amount_reversed"] += amount
        transfer["reversed"] = transfer["amount_reversed"] == transfer["amount"]
        reversal = {
            "id": fake.new_id("trr"),
            "object": "transfer_reversal",
            "amount": amount,
            "currency": transfer["currency"],
            "transfer": transfer["id"],
        }
        fake.objects[reversal["id"]] = reversal
        return reversal

    def create_reversal(transfer_id: str, p: dict, call: Call) -> dict:
        transfer = fake.get(transfer_id, "transfer")
        amount = integer(p["amount"], "amount", minimum=1) if "amount" in p else None
        call.begin()
        reversal = reverse_transfer(transfer, amount)
        later(fake.event("transfer.reversed", transfer))
        return reversal

    def create_account(p: dict, call: Call) -> dict:
        account_type = one_of(p.get("type", "express"), "type", ("express", "standard", "custom"))
        call.begin()
        account = {
            "id": fake.new_id("acct"),
            "object": "account",
            "type": account_type,
            "email": p.get("email"),
            "metadata": p.get("metadata") or {},
            "details_submitted": False,
            "charges_enabled": False,
            "payouts_enabled": False,
        }
        fake.objects[account["id"]] = account
        return account

    def create_account_link(p: dict, call: Call) -> dict:
        if not p.get("account"):
            raise missing("account")
        account = fake.get(p["account"], "account", param="account")
        one_of(p.get("type"), "type", ("account_onboarding", "account_update"))
        return_url, refresh_url = url(p.get("return_url"), "return_url"), url(p.get("refresh_url"), "refresh_url")
        call.begin()
        return {
            "object": "account_link",
            "created": int(time.time()),
            "expires_at": int(time.time()) + 300,
            "url": f"{fake.public_url}/_fake/onboard/{account['id']}?"
            + str(httpx.QueryParams(return_url=return_url, refresh_url=refresh_url)),
        }

    def listing(kind: str, path: str, match) -> dict:
        return {"object": "list", "url": path, "has_more": False, "data": [o for o in fake.of(kind) if match(o)]}

    POSTS = {
        ("checkout", "sessions"): create_checkout,
        ("transfers",): create_transfer,
        ("refunds",): create_refund,
        ("accounts",): create_account,
        ("account_links",): create_account_link,
    }

    def post(parts: tuple, params: dict, call: Call) -> dict:
        if parts in POSTS:
            return POSTS[parts](params, call)
        if len(parts) == 4 and parts[:2] == ("checkout", "sessions") and parts[3] == "expire":
            return expire_checkout(parts[2], call)
        if len(parts) == 3 and parts[0] == "transfers" and parts[2] == "reversals":
            return create_reversal(parts[1], params, call)
        raise StripeError(404, f"Unrecognized request URL (POST: /v1/{'/'.join(parts)}).")

    def get(parts: tuple, query: dict, path: str) -> dict:
        kinds = {
            "payment_intents": "payment_intent",
            "charges": "charge",
            "transfers": "transfer",
            "refunds": "refund",
            "accounts": "account",
            "events": "event",
        }
        if parts == ("account",):  # the platform's own account (whose key this is)
            return {"id": "acct_platform", "object": "account", "country": "US", "charges_enabled": True, "payouts_enabled": True}
        if len(parts) == 3 and parts[:2] == ("checkout", "sessions"):
            return fake.get(parts[2], "checkout.session")
        if len(parts) == 2 and parts[0] in kinds:
            if parts[0] == "events":
                found = next((e for e in fake.events if e["id"] == parts[1]), None)
                if found is None:
                    raise StripeError(404, f"No such event: '{parts[1]}'", code="resource_missing")
                return found
            return fake.get(parts[1], kinds[parts[0]])
        if parts == ("transfers",):
            return listing("transfer", path, lambda t: not query.get("transfer_group") or t["transfer_group"] == query["transfer_group"])
        if parts == ("refunds",):
            return listing("refund", path, lambda r: not query.get("charge") or r["charge"] == query["charge"])
        if parts == ("charges",):
            return listing("charge", path, lambda c: not query.get("transfer_group") or c["transfer_group"] == query["transfer_group"])
        raise StripeError(404, f"Unrecognized request URL (GET: {path}).")

    async def until_the_caller_leaves(request: Request) -> None:
        """Hold the answer until the caller gives up (closes the connection), or fault_delay."""

        async def disconnected() -> None:
            while (await request.receive())["type"] != "http.disconnect":
                pass

        try:
            await asyncio.wait_for(disconnected(), fake.fault_delay)
        except TimeoutError:
            pass

    def pending_fault(path: str) -> str | None:
        return next((mode for prefix, mode in fake.faults.items() if path.startswith(prefix)), None)

    def take_fault(path: str) -> str | None:
        fault = pending_fault(path)
        if fault:
            fake.faults = {k: v for k, v in fake.faults.items() if not path.startswith(k)}  # one shot
        return fault

    def saved_answer(key: str | None, request_line: str) -> tuple[int, dict] | None:
        if not key or key not in fake.idempotency:
            return None
        first_line, status, body = fake.idempotency[key]
        if first_line != request_line:
            raise StripeError(
                400,
                f"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request.",
                type_="idempotency_error",
            )
        return status, body

    async def api(request: Request) -> Response:
        fake.requests.append((request.method, request.url.path))
        path = request.url.path
        parts = tuple(path.removeprefix("/v1/").strip("/").split("/"))
        try:
            if request.headers.get("authorization") != f"Bearer {fake.secret_key}":
                raise StripeError(401, "Invalid API Key provided.", code="api_key_invalid")
            if request.method == "GET":
                return JSONResponse(get(parts, dict(request.query_params), path))
            body = (await request.body()).decode()
            key, request_line = request.headers.get("idempotency-key"), f"{path}?{body}"
            if pending_fault(path) == "timeout":  # lost on the way: nothing done, nothing saved, no answer
                take_fault(path)
                await until_the_caller_leaves(request)
                raise StripeError(500, "timed out (fake): nothing was done", type_="api_error")
            saved = saved_answer(key, request_line)
            # A replay is answered from the saved copy and never reaches the failing endpoint,
            # so it leaves the endpoint's fault for the next request that does.
            fault = None if saved is not None else take_fault(path)
            if saved is not None:
                status, result = saved
                headers = {"Idempotent-Replayed": "true"}
            else:
                call = Call(fault=fault)
                try:
                    result, status = post(parts, parse_stripe_form(body), call), 200
                except StripeError as error:
                    result, status = error.body, error.status
                if fault == "error_after" and call.began:  # done, then failed: a 500 whose work happened
                    result, status = StripeError(500, "An unknown error occurred (fake).", type_="api_error").body, 500
                if key and call.began:
                    fake.idempotency[key] = (request_line, status, json.loads(json.dumps(result)))
                headers = {}
            if fault == "timeout_after":  # done, but the answer is lost on the way back
                await until_the_caller_leaves(request)
            return JSONResponse(result, status_code=status, headers=headers)
        except StripeError as error:
            return JSONResponse(error.body, status_code=error.status)
        except Exception as exc:  # a bug in the fake: Stripe-shaped, and kept so the test fails
            fake.crashes.append(f"{request.method} {path}: {type(exc).__name__}: {exc}")
            return JSONResponse(StripeError(500, "The fake crashed (a bug in the fake).", type_="api_error").body, status_code=500)

    # --- the outside world ------------------------------------------------------------------

    def pay(session: dict, *, settle: bool) -> dict:
        """The payer completes the checkout; `settle=False` is a delayed method (bank debit)."""
        intent_data = session["payment_intent_data"]
        intent = {
            "id": fake.new_id("pi"),
            "object": "payment_intent",
            "amount": session["amount_total"],
            "currency": session["currency"],
            "status": "succeeded" if settle else "processing",
            "latest_charge": None,
            "transfer_group": intent_data.get("transfer_group"),
            "metadata": intent_data.get("metadata") or {},
        }
        fake.objects[intent["id"]] = intent
        session.update(status="complete", payment_intent=intent["id"], payment_status="paid" if settle else "unpaid")
        if settle:
            settle_intent(intent)
        return intent

    def settle_intent(intent: dict) -> None:
        charge = {
            "id": fake.new_id("ch"),
            "object": "charge",
            "amount": intent["amount"],
            "amount_refunded": 0,
            "currency": intent["currency"],
            "paid": True,
            "refunded": False,
            "status": "succeeded",
            "payment_intent": intent["id"],
            "transfer_group": intent["transfer_group"],
            "metadata": intent["metadata"],
        }
        fake.objects[charge["id"]] = charge
        intent.update(status="succeeded", latest_charge=charge["id"])

    async def control(request: Request) -> Response:
        action = request.path_params["action"]
        target = request.path_params.get("target", "")
        options = await request.json() if (await request.body()) else {}
        deliver = options.get("deliver", True)
        try:
            if action == "config":
                for name in ("webhook_url", "connect_webhook_url", "public_url", "fault_delay"):
                    if name in options:
                        setattr(fake, name, options[name])
                return JSONResponse({"ok": True})
            if action == "fault":
                fake.faults[options["path"]] = options["mode"]
                return JSONResponse({"ok": True})
            if action == "expect_failed_delivery":
                fake.expected_failures.add(target)
                return JSONResponse({"ok": True})
            if action == "state":
                return JSONResponse({"objects": fake.objects, "events": fake.events, "deliveries": fake.deliveries})
            if action == "redeliver":
                event = next(e for e in fake.events if e["id"] == target)
                return JSONResponse({"status": await fake.deliver(event)})
            events = act(action, target, options)
        except StripeError as error:
            return JSONResponse(error.body, status_code=error.status)
        statuses = [await fake.deliver(e) for e in events] if deliver else []
        return JSONResponse({"events": events, "statuses": statuses})

    def optional_amount(options: dict) -> int | None:
        return integer(str(options["amount"]), "amount", minimum=1) if "amount" in options else None

    def act(action: str, target: str, options: dict) -> list[dict]:
        if action == "pay":
            session = fake.get(target, "checkout.session")
            if session["status"] != "open":
                raise StripeError(400, f"This Checkout Session is {session['status']}.")
            pay(session, settle=not options.get("delayed"))
            return [fake.event("checkout.session.completed", session)]
        if action in ("async_succeed", "async_fail"):
            session = fake.get(target, "checkout.session")
            intent = fake.get(session["payment_intent"], "payment_intent")
            if action == "async_succeed":
                settle_intent(intent)
                session["payment_status"] = "paid"
                return [fake.event("checkout.session.async_payment_succeeded", session)]
            intent["status"] = "requires_payment_method"
            return [fake.event("checkout.session.async_payment_failed", session)]
        if action == "expire":
            session = fake.get(target, "checkout.session")
            session["status"] = "expired"
            return [fake.event("checkout.session.expired", session)]
        if action == "enable_account":
            account = fake.get(target, "account")
            account.update(details_submitted=True, charges_enabled=True, payouts_enabled=True)
            return [fake.event("account.updated", account, account=account["id"])]
        if action in ("payout_paid", "payout_failed"):
            account = fake.get(target, "account")
            payout = {"id": fake.new_id("po"), "object": "payout", "amount": int(options.get("amount", 0)), "status": action.split("_")[1]}
            return [fake.event(f"payout.{payout['status']}", payout, account=account["id"])]
        if action == "refuse_transfers":
            # The connected account can no longer receive transfers (e.g. Stripe restricted it):
            # every transfer to it is refused for good, until `allow_transfers` (the student re-onboarded).
            account = fake.get(target, "account")
            fake.refuse_transfers[account["id"]] = (
                options.get("code", "account_invalid"),
                options.get("message", "The destination account cannot receive transfers: its capabilities are restricted."),
            )
            return []
        if action == "allow_transfers":
            account = fake.get(target, "account")
            fake.refuse_transfers.pop(account["id"], None)
            account.update(details_submitted=True, charges_enabled=True, payouts_enabled=True)
            return [fake.event("account.updated", account, account=account["id"])]
        if action == "refund_in_dashboard":
            # Someone refunds (part of) a charge in the Stripe dashboard: no metadata of ours.
            charge = fake.get(target, "charge")
            refund_charge(charge, optional_amount(options), {})
            return [fake.event("charge.refunded", charge)]
        if action == "dispute":
            charge = fake.get(target, "charge")
            dispute = {
                "id": fake.new_id("dp"),
                "object": "dispute",
                "amount": charge["amount"],
                "charge": charge["id"],
                "status": "needs_response",
            }
            return [fake.event("charge.dispute.created", dispute)]
        if action == "reverse_transfer":
            # Reversed in the dashboard: all that is left of it, or `amount`.
            transfer = fake.get(target, "transfer")
            reverse_transfer(transfer, optional_amount(options))
            return [fake.event("transfer.reversed", transfer)]
        if action == "unknown_event":
            return [fake.event("customer.created", {"id": fake.new_id("cus"), "object": "customer"})]
        raise StripeError(404, f"unknown control action {action}")

    # --- the pages people see at "Stripe" (for browser tests) -----------------------------

    async def checkout_page(request: Request) -> Response:
        session = fake.objects.get(request.path_params["session_id"])
        if session is None:
            return HTMLResponse("No such checkout", status_code=404)
        if request.method == "POST":
            if session["status"] == "open":
                pay(session, settle=True)
                await fake.deliver(fake.event("checkout.session.completed", session))
            return RedirectResponse(session["success_url"], status_code=303)
        decimals = stripe_decimals(session["currency"])  # 0 for jpy: 45000 is ¥45,000, not ¥450.00
        amount = f"{session['amount_total'] / 10**decimals:.{decimals}f} {session['currency'].upper()}"
        return HTMLResponse(
            f"<!doctype html><html lang='en'><head><title>Fake Stripe Checkout</title></head><body><main>"
            f"<h1>Fake Stripe Checkout</h1><p>Total: {amount}</p><form method='post'><button type='submit'>Pay {amount}</button></form>"
            f"</main></body></html>"
        )

    async def onboarding_page(request: Request) -> Response:
        account = fake.objects.get(request.path_params["account_id"])
        if account is None:
            return HTMLResponse("No such account", status_code=404)
        return_url = request.query_params.get("return_url", "/")
        if request.method == "POST":
            account.update(details_submitted=True, charges_enabled=True, payouts_enabled=True)
            await fake.deliver(fake.event("account.updated", account, account=account["id"]))
            return RedirectResponse(return_url, status_code=303)
        return HTMLResponse(
            "<!doctype html><html lang='en'><head><title>Fake Stripe onboarding</title></head><body><main>"
            "<h1>Fake Stripe Express onboarding</h1><form method='post'><button type='submit'>Finish onboarding</button></form>"
            "</main></body></html>"
        )

    return Starlette(
        routes=[
            Route("/v1/{path:path}", api, methods=["GET", "POST"]),
            Route("/_control/{action}", control, methods=["POST", "GET"]),
            Route("/_control/{action}/{target}", control, methods=["POST"]),
            Route("/_fake/checkout/{session_id}", checkout_page, methods=["GET", "POST"]),
            Route("/_fake/onboard/{account_id}", onboarding_page, methods=["GET", "POST"]),
        ]
    )
