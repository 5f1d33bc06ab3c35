"""The Stripe gateway: the official SDK's StripeClient, Connect "separate charges and transfers".

- Funding: a Checkout Session with the pay and the platform fee as two lines; the
  PaymentIntent carries `transfer_group=engagement-<id>` so every movement of one
  engagement can be found again at Stripe.
- Payout: a Transfer to the student's Express account with the charge as
  `source_transaction` (the transfer waits for those funds instead of failing).
- Every POST passes the idempotency key the service built from our own ids.
- Amounts cross in the engagement's currency (lower case), converted between our minor units
  and Stripe's API units at this border only (integrations/stripe_units.py: ISK, UGX, HUF).
Network trouble becomes GatewayUnavailable (retry later, same key); Stripe's own 5xx
becomes GatewayFailed (saved under the key: the same key gets it again); a refusal becomes
GatewayRefused with Stripe's message.
"""

from collections.abc import Callable
from typing import Any, TypeVar

import stripe

from microgigs.integrations.payments import (
    AccountStatus,
    ChargeRefund,
    ChargeRefunds,
    CheckoutStatus,
    FundingResult,
    GatewayFailed,
    GatewayKeyReused,
    GatewayRefused,
    GatewayUnavailable,
    Movement,
    RefundResult,
    TransferResult,
)
from microgigs.integrations.stripe_units import from_stripe, to_stripe
from microgigs.settings import get_settings

T = TypeVar("T")


def transfer_group(engagement_id: int) -> str:
    return f"engagement-{engagement_id}"


def _id(value: Any) -> str:
    """An expandable field is an id string or an expanded object; we want the id."""
    if value is None:
        return ""
    return value if isinstance(value, str) else value.id


def _metadata(obj: Any) -> dict:
    metadata = getattr(obj, "metadata", None)
    return metadata.to_dict() if metadata else {}


def _replayed(exc: stripe.StripeError) -> bool:
    """Whether Stripe gave an answer it saved under the idempotency key, not a new one."""
    headers = {name.lower(): value for name, value in (exc.headers or {}).items()}
    return headers.get("idempotent-replayed", "").lower() == "true"


class StripeGateway:
    name = "stripe"
    label = "Stripe"
    needs_payout_account = True

    def __init__(self, client: stripe.StripeClient):
        self.client = client

    @classmethod
    def from_settings(cls) -> "StripeGateway":
        settings = get_settings()
        if not settings.stripe_secret_key:
            raise ValueError("MICROGIGS_STRIPE_SECRET_KEY is empty; set it to use the Stripe gateway.")
        options: dict[str, Any] = {
            # Our own job retries timed-out payouts with the same key; no hidden SDK retries.
            "max_network_retries": 0,
            "http_client": stripe.HTTPXClient(timeout=settings.stripe_timeout_seconds, allow_sync_methods=True),
        }
        if settings.stripe_api_base:
            base = settings.stripe_api_base.rstrip("/")
            options["base_addresses"] = {"api": base, "connect": base, "files": base}
        return cls(stripe.StripeClient(settings.stripe_secret_key, **options))

    @staticmethod
    def _call(fn: Callable[[], T]) -> T:
        try:
            return fn()
        except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
            raise GatewayUnavailable(str(exc.user_message or exc)) from exc
        except stripe.IdempotencyError as exc:
            raise GatewayKeyReused(str(exc.user_message or exc)) from exc
        except stripe.StripeError as exc:
            if exc.http_status is not None and exc.http_status >= 500:
                raise GatewayFailed(str(exc.user_message or exc), replayed=_replayed(exc)) from exc
            raise GatewayRefused(str(exc.user_message or exc), replayed=_replayed(exc)) from exc

    # --- funding ---------------------------------------------------------------------

    def start_funding(
        self,
        *,
        engagement_id: int,
        amount_cents: int,
        currency: str,
        idempotency_key: str,
        fee_cents: int = 0,
        description: str = "",
        success_url: str = "",
        cancel_url: str = "",
    ) -> FundingResult:
        currency = currency.lower()

        def line(name: str, cents: int) -> dict:
            return {
                "price_data": {"currency": currency, "unit_amount": to_stripe(cents, currency), "product_data": {"name": name}},
                "quantity": 1,
            }

        lines = [line(description or f"Engagement {engagement_id}", amount_cents - fee_cents)]
        if fee_cents:
            lines.append(line("MicroGigs platform fee", fee_cents))
        metadata = {"engagement_id": str(engagement_id)}
        session = self._call(
            lambda: self.client.v1.checkout.sessions.create(
                params={
                    "mode": "payment",
                    "line_items": lines,
                    "client_reference_id": str(engagement_id),
                    "metadata": metadata,
                    "payment_intent_data": {"transfer_group": transfer_group(engagement_id), "metadata": metadata},
                    "success_url": success_url,
                    "cancel_url": cancel_url,
                },
                options={"idempotency_key": idempotency_key},
            )
        )
        return FundingResult(reference=session.id, completed=False, url=session.url or "")

    def checkout_status(self, session_id: str) -> CheckoutStatus:
        session = self._call(lambda: self.client.v1.checkout.sessions.retrieve(session_id))
        intent_id = _id(session.payment_intent)
        charge_id = ""
        if intent_id:
            intent = self._call(lambda: self.client.v1.payment_intents.retrieve(intent_id))
            charge_id = _id(intent.latest_charge)
        engagement = _metadata(session).get("engagement_id") or session.client_reference_id
        return CheckoutStatus(
            session_id=session.id,
            engagement_id=int(engagement) if engagement else None,
            status=session.status,
            payment_status=session.payment_status,
            payment_intent_id=intent_id,
            charge_id=charge_id,
            amount_total=from_stripe(session.amount_total or 0, session.currency or "usd"),
        )

    def expire_checkout(self, session_id: str, idempotency_key: str) -> None:
        self._call(lambda: self.client.v1.checkout.sessions.expire(session_id, options={"idempotency_key": idempotency_key}))

    # --- paying out and refunding -------------------------------------------------

    def transfer_to_student(
        self,
        *,
        engagement_id: int,
        student_id: int,
        amount_cents: int,
        currency: str,
        source_reference: str,
        idempotency_key: str,
        destination: str = "",
    ) -> TransferResult:
        transfer = self._call(
            lambda: self.client.v1.transfers.create(
                params={
                    "amount": to_stripe(amount_cents, currency),
                    "currency": currency.lower(),
                    "destination": destination,
                    "source_transaction": source_reference,
                    "transfer_group": transfer_group(engagement_id),
                    "metadata": {"engagement_id": str(engagement_id), "student_id": str(student_id)},
                },
                options={"idempotency_key": idempotency_key},
            )
        )
        return TransferResult(reference=transfer.id)

    def refund(self, *, engagement_id: int, amount_cents: int, currency: str, source_reference: str, idempotency_key: str) -> RefundResult:
        refund = self._call(
            lambda: self.client.v1.refunds.create(
                params={
                    "charge": source_reference,
                    "amount": to_stripe(amount_cents, currency),
                    "metadata": {"engagement_id": str(engagement_id)},
                },
                options={"idempotency_key": idempotency_key},
            )
        )
        return RefundResult(reference=refund.id)

    # --- students' payout accounts (Express) --------------------------------------

    def create_payout_account(self, *, student_id: int, email: str, idempotency_key: str) -> str:
        account = self._call(
            lambda: self.client.v1.accounts.create(
                params={
                    "type": "express",
                    "email": email,
                    "capabilities": {"transfers": {"requested": True}},
                    "metadata": {"student_id": str(student_id)},
                },
                options={"idempotency_key": idempotency_key},
            )
        )
        return account.id

    def account_status(self, account_id: str) -> AccountStatus:
        account = self._call(lambda: self.client.v1.accounts.retrieve(account_id))
        student = _metadata(account).get("student_id")
        return AccountStatus(
            account_id=account.id,
            student_id=int(student) if student else None,
            details_submitted=bool(account.details_submitted),
            payouts_enabled=bool(account.payouts_enabled),
        )

    def onboarding_link(self, *, account_id: str, refresh_url: str, return_url: str, idempotency_key: str) -> str:
        link = self._call(
            lambda: self.client.v1.account_links.create(
                params={"account": account_id, "refresh_url": refresh_url, "return_url": return_url, "type": "account_onboarding"},
                options={"idempotency_key": idempotency_key},
            )
        )
        return link.url

    # --- webhooks and reconciliation ---------------------------------------------------

    def construct_event(self, payload: bytes, signature: str, secret: str) -> stripe.Event:
        """Verify the signature on the raw body; raises ValueError / SignatureVerificationError."""
        return self.client.construct_event(payload, signature, secret)

    def charge_refunds(self, charge_id: str) -> ChargeRefunds:
        """A charge and its refunds now; ours carry our engagement id in their metadata."""
        charge = self._call(lambda: self.client.v1.charges.retrieve(charge_id))
        refunds = self._call(lambda: self.client.v1.refunds.list(params={"charge": charge_id, "limit": 100}))
        ours = lambda amount: from_stripe(amount or 0, charge.currency)  # noqa: E731  (a refund is in its charge's currency)
        return ChargeRefunds(
            charge_id=charge.id,
            amount_cents=ours(charge.amount),
            amount_refunded=ours(charge.amount_refunded),
            refunds=tuple(
                ChargeRefund(reference=r.id, amount_cents=ours(r.amount), ours=bool(_metadata(r).get("engagement_id")))
                for r in refunds.data
                if r.status not in ("failed", "canceled")
            ),
        )

    def movements(self, engagement_id: int, charge_id: str) -> list[Movement]:
        """What Stripe holds for one engagement: its charge, transfers and refunds."""
        found: list[Movement] = []
        if charge_id:
            charge = self._call(lambda: self.client.v1.charges.retrieve(charge_id))
            if charge.paid:
                found.append(Movement(engagement_id, "charged", from_stripe(charge.amount, charge.currency), charge.id))
            refunds = self._call(lambda: self.client.v1.refunds.list(params={"charge": charge_id, "limit": 100}))
            found += [
                Movement(engagement_id, "refunded", from_stripe(r.amount, charge.currency), r.id)
                for r in refunds.data
                if r.status != "failed"
            ]
        transfers = self._call(
            lambda: self.client.v1.transfers.list(params={"transfer_group": transfer_group(engagement_id), "limit": 100})
        )
        for transfer in transfers.data:
            net = transfer.amount - (transfer.amount_reversed or 0)
            found.append(Movement(engagement_id, "transferred", from_stripe(net, transfer.currency), transfer.id))
        return found
