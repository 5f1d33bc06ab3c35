"""Payment routes: Stripe's two webhook endpoints, and the redirects to Stripe's own pages.

Webhooks are verified on the raw body with the endpoint's own signing secret before
anything is read; a bad signature is logged and answered 400 with nothing changed.
Handling runs in a worker thread (it may call Stripe back to re-fetch objects).
"""

import csv
import io
import logging

import stripe
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from microgigs.db import session_scope
from microgigs.http.auth import _redirect, foreign_form, same_origin
from microgigs.http.session_cookie import token_from_cookie_header
from microgigs.integrations.payments import GatewayRefused, GatewayUnavailable
from microgigs.services import accounts, money, payment_events, payments
from microgigs.services.errors import DomainError
from microgigs.settings import get_settings

log = logging.getLogger("microgigs.payments.webhooks")


def _process(endpoint: str, payload: bytes) -> str:
    with session_scope() as session:
        return payment_events.handle(session, endpoint, payment_events.event_from_payload(payload), payload.decode())


async def _webhook(request: Request, endpoint: str, secret: str) -> Response:
    payload = await request.body()  # the raw bytes: the signature covers exactly these
    if get_settings().payment_gateway != "stripe" or not secret:
        return PlainTextResponse("Stripe webhooks are not configured here.", status_code=404)
    try:
        stripe.Webhook.construct_event(payload, request.headers.get("stripe-signature", ""), secret)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        log.warning(
            "rejected a %s webhook with a bad signature or body from %s: %s", endpoint, request.client.host if request.client else "?", exc
        )
        return PlainTextResponse("Bad signature.", status_code=400)
    try:
        outcome = await run_in_threadpool(_process, endpoint, payload)
    except Exception:
        # Nothing was kept (the transaction rolled back); Stripe delivers again later.
        log.exception("a %s webhook could not be applied; Stripe will retry it", endpoint)
        return PlainTextResponse("Could not apply the event now.", status_code=500)
    return JSONResponse({"received": True, "outcome": outcome})


async def platform_webhook(request: Request) -> Response:
    return await _webhook(request, "platform", get_settings().stripe_webhook_secret)


async def connect_webhook(request: Request) -> Response:
    return await _webhook(request, "connect", get_settings().stripe_connect_webhook_secret)


def _actor(session, request: Request):
    return accounts.user_for_session_token(session, token_from_cookie_header(request.headers.get("cookie")))


def _checkout_url(request: Request, engagement_id: int) -> str:
    with session_scope() as session:
        return payments.open_checkout(session, _actor(session, request), engagement_id)


async def fund(request: Request) -> Response:
    """The manager's "Fund" button: go to the engagement's open Checkout, or a new one."""
    if not same_origin(request):
        return foreign_form()
    try:
        url = await run_in_threadpool(_checkout_url, request, int(request.path_params["engagement_id"]))
    except DomainError as error:
        return _redirect("/payments", {"error": error.message})
    if url is None:
        return _redirect("/payments", {"notice": "That engagement is paid for: the student can start."})
    return RedirectResponse(url, status_code=303)


def _onboarding_url(request: Request) -> str:
    with session_scope() as session:
        return payments.payout_onboarding_url(session, _actor(session, request))


async def payout_account(request: Request) -> Response:
    """The student's "Set up payouts" (POST) and Stripe's refresh_url (GET, an expired link)."""
    if request.method == "POST" and not same_origin(request):
        return foreign_form()
    try:
        url = await run_in_threadpool(_onboarding_url, request)
    except (GatewayUnavailable, GatewayRefused):
        return _redirect("/earnings", {"error": "Stripe did not answer; try again in a minute."})
    except DomainError as error:
        return _redirect("/earnings", {"error": error.message})
    return RedirectResponse(url, status_code=303)


def _reconciliation_rows(request: Request) -> list[list[str]] | None:
    """The latest stored report (no gateway call): what the page shows, as rows."""
    with session_scope() as session:
        report = money.latest_report(session, _actor(session, request))
    rows = [["engagement_id", "what", "our_ledger", "gateway"]]
    if report is None:
        rows.append(["no report yet", "choose Reconcile now on /staff/money", "", ""])
        return rows
    rows += [[str(d.engagement_id), d.what, d.ledger, d.gateway] for d in report.differences]
    rows.append(
        [
            f"checked {report.checked} engagements",
            "no differences" if not report.differences else f"{len(report.differences)} differences",
            "",
            "",
        ]
    )
    rows.append([f"report {report.id}", f"made {report.made_at} by {report.made_by}", f"gateway {report.gateway}", ""])
    return rows


async def reconciliation_csv(request: Request) -> Response:
    """Staff's downloadable reconciliation report (the latest stored one): every difference
    between ledger and gateway."""
    try:
        rows = await run_in_threadpool(_reconciliation_rows, request)
    except DomainError as error:
        return PlainTextResponse(error.message, status_code=403)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="microgigs-reconciliation.csv"'},
    )


routes = [
    Route("/api/stripe/webhook", platform_webhook, methods=["POST"]),
    Route("/api/stripe/connect-webhook", connect_webhook, methods=["POST"]),
    Route("/payments/fund/{engagement_id:int}", fund, methods=["POST"]),
    Route("/payments/payout-account", payout_account, methods=["GET", "POST"]),
    Route("/staff/money/reconciliation.csv", reconciliation_csv, methods=["GET"]),
]
