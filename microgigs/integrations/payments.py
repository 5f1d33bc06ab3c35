"""Payment gateways behind one small interface.

The demo gateway is the embedded default: it moves no money and answers at once,
with the same states a real gateway would reach, so the whole product can be used
without keys. The Stripe gateway uses Connect "separate charges and transfers": the
employer pays a Checkout Session into the platform balance, and on approval a Transfer
(with the charge as `source_transaction`) moves the pay to the student's Express account.

Every POST carries the idempotency key the caller built from our own ids, so a retry
after a timeout can never charge, pay or refund twice.
"""

from dataclasses import dataclass
from typing import Any, Protocol


class GatewayUnavailable(Exception):
    """The gateway did not answer (timeout, connection, 5xx). Safe to retry with the same key."""


class GatewayFailed(GatewayUnavailable):
    """The gateway answered with its own failure (5xx). Stripe saves that answer under the
    idempotency key and gives it again to every retry with the same key; whether money moved
    is unknown until the gateway is asked.

    `replayed`: this is the saved answer of an earlier request with the same key, given
    again (Stripe's `Idempotent-Replayed: true`); False for a failure of this very request."""

    def __init__(self, message: str = "", *, replayed: bool = False):
        super().__init__(message)
        self.replayed = replayed


class GatewayRefused(Exception):
    """The gateway answered no (bad request, card declined...). Retrying the same call will not help.

    `replayed`: the saved refusal of an earlier request with the same key (Stripe saves a
    refusal made by a running endpoint, e.g. an account that could not receive transfers),
    given again even if its cause is fixed by now."""

    def __init__(self, message: str = "", *, replayed: bool = False):
        super().__init__(message)
        self.replayed = replayed


class GatewayKeyReused(GatewayRefused):
    """The idempotency key was used before for a request with other parameters (Stripe's
    idempotency_error): the gateway ran nothing now; what the earlier request did is unknown."""


@dataclass(frozen=True)
class FundingResult:
    reference: str  # the gateway's id for the charge / checkout
    completed: bool  # True when the money is already in (demo); False when a checkout must finish
    url: str = ""  # where the payer goes to pay (a Checkout Session's page)


@dataclass(frozen=True)
class CheckoutStatus:
    """A checkout as the gateway sees it now (re-fetched, never taken from a possibly stale event)."""

    session_id: str
    engagement_id: int | None
    status: str  # open | complete | expired
    payment_status: str  # paid | unpaid | no_payment_required
    payment_intent_id: str = ""
    charge_id: str = ""
    amount_total: int = 0


@dataclass(frozen=True)
class TransferResult:
    reference: str


@dataclass(frozen=True)
class RefundResult:
    reference: str


@dataclass(frozen=True)
class AccountStatus:
    account_id: str
    student_id: int | None
    details_submitted: bool
    payouts_enabled: bool


@dataclass(frozen=True)
class Movement:
    """One money movement the gateway knows about, for reconciliation with our ledger."""

    engagement_id: int
    kind: str  # charged | transferred | refunded
    amount_cents: int
    reference: str


@dataclass(frozen=True)
class ChargeRefund:
    reference: str
    amount_cents: int
    ours: bool  # made by MicroGigs (carries our engagement id); else e.g. from the Stripe dashboard


@dataclass(frozen=True)
class ChargeRefunds:
    """A charge's refunds as the gateway sees them now (re-fetched, never from the event)."""

    charge_id: str
    amount_cents: int
    amount_refunded: int
    refunds: tuple[ChargeRefund, ...] = ()


class PaymentGateway(Protocol):
    name: str
    label: str
    # Whether a student needs their own connected account before money can be sent to them.
    needs_payout_account: bool

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
    ) -> FundingResult: ...

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
    ) -> TransferResult: ...

    def refund(
        self, *, engagement_id: int, amount_cents: int, currency: str, source_reference: str, idempotency_key: str
    ) -> RefundResult: ...


class DemoGateway:
    """No keys, no money: every charge and transfer succeeds at once."""

    name = "demo"
    label = "demo payments — no money moves"
    needs_payout_account = False

    def start_funding(
        self, *, engagement_id: int, amount_cents: int, currency: str, idempotency_key: str, **_details: Any
    ) -> FundingResult:
        return FundingResult(reference=f"demo_charge_{engagement_id}", completed=True)

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
        return TransferResult(reference=f"demo_transfer_{engagement_id}")

    def refund(self, *, engagement_id: int, amount_cents: int, currency: str, source_reference: str, idempotency_key: str) -> RefundResult:
        return RefundResult(reference=f"demo_refund_{engagement_id}")
