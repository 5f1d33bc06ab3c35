"""A stateful fake of the Stripe endpoints MicroGigs calls, for tests without the internet.

It speaks Stripe's wire format (form-encoded nested params in, JSON objects and
`{"error": {...}}` out), checks the secret key, honours Idempotency-Key like Stripe (same
key and body -> the stored answer again; same key, other body -> idempotency_error), and
keeps every object so tests can compare it with our ledger.

Control routes under /_control/ act like the outside world: a payer paying or abandoning a
checkout, a student finishing onboarding, a bank failing a payout, the network timing out,
Stripe refusing transfers to an account for good, a refund made in the Stripe dashboard.
The events they cause are signed like Stripe's and POSTed to the configured webhook URLs.
"""

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route


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
        self.status, self.body = status, {"error": {"type": type_, "message": message, "code": code, "param": param}}


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
    deliveries: list[tuple[str, int]] = field(default_factory=list)  # (event id, our status code)
    idempotency: dict[str, tuple[str, int, dict]] = field(default_factory=dict)
    # path prefix -> "timeout" (answer never arrives) | "timeout_after" (done, answer lost) | "error" (500)
    faults: dict[str, str] = field(default_factory=dict)
    fault_delay: float = 3.0
    # Every API request as (method, path), so tests can count what a page asked Stripe.
    requests: list[tuple[str, str]] = field(default_factory=list)
    # destination account id -> (code, message): transfers there are refused for good (400)
    refuse_transfers: dict[str, tuple[str, str]] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_fake{next(self._ids):06d}"

    def of(self, kind: str) -> list[dict]:
        return [o for o in self.objects.values() if o["object"] == kind]

    def get(self, object_id: str, kind: str) -> dict:
        obj = self.objects.get(object_id)
        if obj is None or obj["object"] != kind:
            raise StripeError(404, f"No such {kind.split('.')[-1]}: '{object_id}'", code="resource_missing", param="id")
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
        connect = "account" in event
        url = self.connect_webhook_url if connect else self.webhook_url
        if not url:
            return 0
        body = payload if payload is not None else json.dumps(event)
        header = signature or sign(body, self.connect_webhook_secret if connect else self.webhook_secret)
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.post(url, content=body, headers={"Stripe-Signature": header, "Content-Type": "application/json"})
        self.deliveries.append((event["id"], response.status_code))
        return response.status_code


def _int(params: dict, name: str) -> int:
    try:
        return int(params[name])
    except (KeyError, ValueError):
        raise StripeError(400, f"Missing required param: {name}.", code="parameter_missing", param=name) from None


def build_app(fake: FakeStripe) -> Starlette:
    background: set[asyncio.Task] = set()

    def later(event: dict) -> None:
        # Events caused by an API call go out after the answer, as Stripe's do.
        async def go():
            await asyncio.sleep(0.05)
            try:
                await fake.deliver(event)
            except httpx.HTTPError:
                pass

        task = asyncio.create_task(go())
        background.add(task)
        task.add_done_callback(background.discard)

    # --- the API ----------------------------------------------------------------------------

    def create_checkout(p: dict) -> dict:
        lines = p.get("line_items") or []
        if not lines:
            raise StripeError(400, "line_items is required in payment mode.", param="line_items")
        total = sum(int(item["price_data"]["unit_amount"]) * int(item.get("quantity", 1)) for item in lines)
        session_id = fake.new_id("cs_test")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": "payment",
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": total,
            "currency": lines[0]["price_data"]["currency"],
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

    def expire_checkout(session_id: str) -> dict:
        session = fake.get(session_id, "checkout.session")
        if session["status"] != "open":
            raise StripeError(
                400,
                f'Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "{session["status"]}".',
            )
        session["status"] = "expired"
        later(fake.event("checkout.session.expired", session))
        return session

    def create_transfer(p: dict) -> dict:
        amount = _int(p, "amount")
        account = fake.get(p.get("destination", ""), "account")
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
        charge = fake.get(p.get("source_transaction", ""), "charge")
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
            "currency": p.get("currency"),
            "destination": account["id"],
            "source_transaction": charge["id"],
            "transfer_group": p.get("transfer_group"),
            "metadata": p.get("metadata") or {},
            "reversed": False,
        }
        fake.objects[transfer["id"]] = transfer
        later(fake.event("transfer.created", transfer))
        return transfer

    def create_refund(p: dict) -> dict:
        charge = fake.get(p.get("charge", ""), "charge")
        amount = int(p.get("amount", charge["amount"] - charge["amount_refunded"]))
        left = charge["amount"] - charge["amount_refunded"]
        if amount > left:
            raise StripeError(400, f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})", param="amount")
        refund = {
            "id": fake.new_id("re"),
            "object": "refund",
            "amount": amount,
            "charge": charge["id"],
            "status": "succeeded",
            "metadata": p.get("metadata") or {},
        }
        fake.objects[refund["id"]] = refund
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        later(fake.event("charge.refunded", charge))
        return refund

    def create_account(p: dict) -> dict:
        account = {
            "id": fake.new_id("acct"),
            "object": "account",
            "type": p.get("type", "express"),
            "email": p.get("email"),
            "metadata": p.get("metadata") or {},
            "details_submitted": False,
            "charges_enabled": False,
            "payouts_enabled": False,
        }
        fake.objects[account["id"]] = account
        return account

    def create_account_link(p: dict) -> dict:
        account = fake.get(p.get("account", ""), "account")
        link = {
            "object": "account_link",
            "created": int(time.time()),
            "expires_at": int(time.time()) + 300,
            "url": f"{fake.public_url}/_fake/onboard/{account['id']}?"
            + httpx.QueryParams(return_url=p.get("return_url", ""), refresh_url=p.get("refresh_url", "")).__str__(),
        }
        return link

    def listing(kind: str, url: str, match) -> dict:
        return {"object": "list", "url": url, "has_more": False, "data": [o for o in fake.of(kind) if match(o)]}

    POSTS = {
        ("checkout", "sessions"): lambda p, _: create_checkout(p),
        ("transfers",): lambda p, _: create_transfer(p),
        ("refunds",): lambda p, _: create_refund(p),
        ("accounts",): lambda p, _: create_account(p),
        ("account_links",): lambda p, _: create_account_link(p),
    }

    async def api(request: Request) -> Response:
        fake.requests.append((request.method, request.url.path))
        try:
            if request.headers.get("authorization") != f"Bearer {fake.secret_key}":
                raise StripeError(401, "Invalid API Key provided.", type_="invalid_request_error", code="api_key_invalid")
            path = request.url.path
            parts = tuple(path.removeprefix("/v1/").strip("/").split("/"))
            fault = next((mode for prefix, mode in fake.faults.items() if path.startswith(prefix) and request.method == "POST"), None)
            if fault:
                fake.faults = {k: v for k, v in fake.faults.items() if not path.startswith(k)}  # one shot
                if fault == "timeout":
                    await asyncio.sleep(fake.fault_delay)
                    raise StripeError(500, "timed out (fake)", type_="api_error")
                if fault == "error":
                    raise StripeError(500, "An unknown error occurred (fake).", type_="api_error")
            if request.method == "GET":
                result = get(parts, dict(request.query_params), path)
            else:
                body = (await request.body()).decode()
                params = parse_stripe_form(body)
                key = request.headers.get("idempotency-key")
                if key and key in fake.idempotency:
                    stored_body, status, stored = fake.idempotency[key]
                    if stored_body != f"{path}?{body}":
                        raise StripeError(
                            400,
                            f"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request.",
                            type_="idempotency_error",
                        )
                    return JSONResponse(stored, status_code=status, headers={"Idempotent-Replayed": "true"})
                try:
                    result, status = post(parts, params), 200
                except StripeError as error:
                    result, status = error.body, error.status
                if key and status < 500:
                    fake.idempotency[key] = (f"{path}?{body}", status, json.loads(json.dumps(result)))
                if fault == "timeout_after":
                    await asyncio.sleep(fake.fault_delay)  # done, but the caller gives up first
                return JSONResponse(result, status_code=status)
            return JSONResponse(result)
        except StripeError as error:
            return JSONResponse(error.body, status_code=error.status)

    def post(parts: tuple, params: dict) -> dict:
        if parts in POSTS:
            return POSTS[parts](params, None)
        if len(parts) == 4 and parts[:2] == ("checkout", "sessions") and parts[3] == "expire":
            return expire_checkout(parts[2])
        if len(parts) == 3 and parts[0] == "transfers" and parts[2] == "reversals":
            transfer = fake.get(parts[1], "transfer")
            amount = int(params.get("amount", transfer["amount"] - transfer["amount_reversed"]))
            transfer["amount_reversed"] += amount
            transfer["reversed"] = transfer["amount_reversed"] == transfer["amount"]
            later(fake.event("transfer.reversed", transfer))
            return {"id": fake.new_id("trr"), "object": "transfer_reversal", "amount": amount, "transfer": transfer["id"]}
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
            amount = int(options.get("amount", charge["amount"] - charge["amount_refunded"]))
            if amount > charge["amount"] - charge["amount_refunded"]:
                raise StripeError(400, "Refund amount is greater than unrefunded amount on charge")
            refund = {
                "id": fake.new_id("re"),
                "object": "refund",
                "amount": amount,
                "charge": charge["id"],
                "status": "succeeded",
                "metadata": {},
            }
            fake.objects[refund["id"]] = refund
            charge["amount_refunded"] += amount
            charge["refunded"] = charge["amount_refunded"] == charge["amount"]
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
            transfer = fake.get(target, "transfer")
            transfer.update(amount_reversed=transfer["amount"], reversed=True)
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
        amount = f"{session['amount_total'] / 100:.2f} {session['currency'].upper()}"
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
