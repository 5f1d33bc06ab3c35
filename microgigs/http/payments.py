"""Payment routes: Stripe's two webhook endpoints, and the redirects to Stripe's own pages.

Webhooks are verified on the raw body with the endpoint's own signing secret before
anything is read; a bad signature is logged and answered 400 with nothing changed.
Handling runs in a worker thread (it may call Stripe back to re-fetch objects), like the
work of every route here (http/unit_of_work.py).
"""

import csv
import io
import logging

import stripe
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from microgigs.http.forms import redirect
from microgigs.http.unit_of_work import Unit, back_to, off_the_loop, plain_refusal, route
from microgigs.i18n import _
from microgigs.integrations.payments import GatewayRefused, GatewayUnavailable
from microgigs.services import money, payment_events, payments
from microgigs.services.errors import DomainError
from microgigs.settings import get_settings

log = logging.getLogger("microgigs.payments.webhooks")


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
        outcome = await off_the_loop(
            lambda session: payment_events.handle(session, endpoint, payment_events.event_from_payload(payload), payload.decode())
        )
    except Exception:
        # Nothing was kept (the transaction rolled back); Stripe delivers again later.
        log.exception("a %s webhook could not be applied; Stripe will retry it", endpoint)
        return PlainTextResponse("Could not apply the event now.", status_code=500)
    return JSONResponse({"received": True, "outcome": outcome})


async def platform_webhook(request: Request) -> Response:
    return await _webhook(request, "platform", get_settings().stripe_webhook_secret)


async def connect_webhook(request: Request) -> Response:
    return await _webhook(request, "connect", get_settings().stripe_connect_webhook_secret)


@route(button=True, refused=back_to("/payments"))
def fund(unit: Unit) -> Response:
    """The manager's "Fund" button: go to the engagement's open Checkout, or a new one."""
    url = payments.open_checkout(unit.session, unit.actor, unit.request.path_params["engagement_id"])
    if url is None:
        return redirect("/payments", {"notice": _("That engagement is paid for: the student can start.")})
    return RedirectResponse(url, status_code=303)


def _no_payout_link(unit: Unit, error: Exception) -> Response:
    if isinstance(error, GatewayUnavailable | GatewayRefused):
        return redirect("/earnings", {"error": _("Stripe did not answer; try again in a minute.")})
    return back_to("/earnings")(unit, error)


@route(button=True, refused=_no_payout_link, refusals=(DomainError, GatewayUnavailable, GatewayRefused))
def payout_account(unit: Unit) -> Response:
    """The student's "Set up payouts" (POST) and Stripe's refresh_url (GET, an expired link)."""
    return RedirectResponse(payments.payout_onboarding_url(unit.session, unit.actor), status_code=303)


def _reconciliation_rows(report) -> list[list[str]]:
    """The latest stored report (no gateway call): what the page shows, as rows."""
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


@route(refused=plain_refusal(403))
def reconciliation_csv(unit: Unit) -> Response:
    """Staff's downloadable reconciliation report (the latest stored one): every difference
    between ledger and gateway."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_reconciliation_rows(money.latest_report(unit.session, unit.actor)))
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
