"""Money for an engagement: funding, the platform fee, holding, paying out, and the ledger.

Every movement is a LedgerEntry whose idempotency key is built from our own ids,
so doing the same movement twice is refused by the database rather than paid twice.
Per engagement, always: funded = platform_fee + held + transferred + refunded.
"""

from dataclasses import dataclass

from sqlmodel import Session, select

from microgigs.integrations.payments import PaymentGateway, get_gateway
from microgigs.models import Engagement, LedgerEntry, utcnow
from microgigs.settings import get_settings


def platform_fee_cents(pay_cents: int) -> int:
    settings = get_settings()
    return round(pay_cents * settings.platform_fee_percent / 100) + settings.platform_fee_fixed_cents


def current_gateway() -> PaymentGateway:
    return get_gateway(get_settings().payment_gateway)


def _entry(session: Session, engagement: Engagement, kind: str, amount: int, key: str, ref: str = "") -> None:
    session.add(
        LedgerEntry(
            engagement_id=engagement.id,
            kind=kind,
            amount_cents=amount,
            currency=engagement.currency,
            gateway=engagement.gateway,
            gateway_ref=ref,
            idempotency_key=key,
        )
    )


def start_funding(session: Session, engagement: Engagement, gateway: PaymentGateway | None = None) -> None:
    """Ask the gateway for the employer's payment; record it at once when it is already in."""
    gateway = gateway or current_gateway()
    engagement.gateway = gateway.name
    result = gateway.start_funding(
        engagement_id=engagement.id,
        amount_cents=engagement.pay_cents + engagement.fee_cents,
        currency=engagement.currency,
        idempotency_key=f"engagement-{engagement.id}-fund",
    )
    engagement.checkout_ref = result.reference
    session.add(engagement)
    if result.completed:
        record_funded(session, engagement, result.reference)


def record_funded(session: Session, engagement: Engagement, reference: str) -> None:
    """The employer's money arrived: fee to the platform, pay held for the student."""
    total = engagement.pay_cents + engagement.fee_cents
    _entry(session, engagement, "funded", total, f"engagement-{engagement.id}-funded", reference)
    _entry(session, engagement, "platform_fee", engagement.fee_cents, f"engagement-{engagement.id}-fee", reference)
    _entry(session, engagement, "held", engagement.pay_cents, f"engagement-{engagement.id}-held", reference)
    engagement.funded_at = utcnow()
    if engagement.status == "funding":
        engagement.status = "active"
    session.add(engagement)


def pay_out(session: Session, engagement: Engagement, gateway: PaymentGateway | None = None) -> None:
    """Move the held pay to the student (after approval)."""
    gateway = gateway or current_gateway()
    key = f"engagement-{engagement.id}-transfer"
    result = gateway.transfer_to_student(
        engagement_id=engagement.id,
        student_id=engagement.student_id,
        amount_cents=engagement.pay_cents,
        currency=engagement.currency,
        source_reference=engagement.checkout_ref,
        idempotency_key=key,
    )
    _entry(session, engagement, "held", -engagement.pay_cents, f"{key}-release", result.reference)
    _entry(session, engagement, "transferred", engagement.pay_cents, key, result.reference)
    engagement.status = "paid"
    engagement.paid_at = utcnow()
    session.add(engagement)


def settle_cancellation(session: Session, engagement: Engagement, *, work_started: bool, gateway: PaymentGateway | None = None) -> None:
    """Give back the held money of a cancelled engagement.

    Before work starts the employer gets everything back, fee included. After, the
    student keeps the kill fee (a settable share of the pay) and the rest is refunded.
    """
    kill_fee = round(engagement.pay_cents * get_settings().kill_fee_percent / 100) if work_started else 0
    settle_held(
        session, engagement, student_cents=kill_fee, student_kind="kill_fee", refund_fee=not work_started, reason="cancel", gateway=gateway
    )


def settle_held(
    session: Session,
    engagement: Engagement,
    *,
    student_cents: int,
    refund_fee: bool,
    reason: str,
    student_kind: str = "transferred",
    gateway: PaymentGateway | None = None,
) -> None:
    """Split the held pay: `student_cents` to the student, the rest back to the employer
    (with the platform fee too when `refund_fee`). Used by cancellations and dispute decisions."""
    if engagement.funded_at is None:
        return  # nothing was ever charged
    if not 0 <= student_cents <= engagement.pay_cents:
        raise ValueError("the student's share must be between nothing and the whole pay")
    gateway = gateway or current_gateway()
    key = f"engagement-{engagement.id}-{reason}"
    refund = engagement.pay_cents - student_cents + (engagement.fee_cents if refund_fee else 0)
    _entry(session, engagement, "held", -engagement.pay_cents, f"{key}-release")
    if refund_fee:
        _entry(session, engagement, "platform_fee", -engagement.fee_cents, f"{key}-fee-back")
    if student_cents:
        result = gateway.transfer_to_student(
            engagement_id=engagement.id,
            student_id=engagement.student_id,
            amount_cents=student_cents,
            currency=engagement.currency,
            source_reference=engagement.checkout_ref,
            idempotency_key=f"{key}-student",
        )
        _entry(session, engagement, student_kind, student_cents, f"{key}-student", result.reference)
    if refund:
        result = gateway.refund(
            engagement_id=engagement.id,
            amount_cents=refund,
            currency=engagement.currency,
            source_reference=engagement.checkout_ref,
            idempotency_key=f"{key}-refund",
        )
        _entry(session, engagement, "refunded", refund, f"{key}-refund", result.reference)


@dataclass(frozen=True)
class LedgerBalance:
    funded: int
    platform_fee: int
    held: int
    transferred: int
    refunded: int

    @property
    def balanced(self) -> bool:
        return self.funded == self.platform_fee + self.held + self.transferred + self.refunded


def balance(session: Session, engagement_id: int) -> LedgerBalance:
    sums = {"funded": 0, "platform_fee": 0, "held": 0, "transferred": 0, "refunded": 0}
    for kind, amount in session.exec(
        select(LedgerEntry.kind, LedgerEntry.amount_cents).where(LedgerEntry.engagement_id == engagement_id)
    ):
        # A kill fee is money transferred to the student on cancellation.
        sums["transferred" if kind == "kill_fee" else kind] += amount
    return LedgerBalance(**sums)
