"""Settling held money without an approval: cancellations, dispute decisions, and refunds
someone made outside MicroGigs (at the gateway's dashboard)."""

import logging

from sqlmodel import Session, select

from microgigs.i18n import _, msg
from microgigs.integrations.payments import (
    ChargeRefunds,
    GatewayFailed,
    GatewayKeyReused,
    GatewayRefused,
    GatewayUnavailable,
    PaymentGateway,
)
from microgigs.models import Engagement, LedgerEntry
from microgigs.services.amounts import percent_of
from microgigs.services.errors import DomainError
from microgigs.services.payment_lifecycle import advance_payment, payment_of
from microgigs.services.payments import gateway as gateways
from microgigs.services.payments.ledger import balance, made_under_an_earlier_key, record_entry
from microgigs.services.payments.payouts import send_to_student
from microgigs.services.statuses import PaymentState
from microgigs.settings import get_settings

log = logging.getLogger("microgigs.payments")

# Keys one refund may go through while Stripe replays saved 500s (see refund_once); past
# that, something is wrong beyond a passing failure and a person must look.
REFUND_KEYS = 20

TRY_AGAIN = _("The payment service did not answer, so nothing was changed. Try again in a minute.")


def settle_cancellation(session: Session, engagement: Engagement, *, work_started: bool, gateway: PaymentGateway | None = None) -> None:
    """Give back the held money of a cancelled engagement.

    Before work starts the employer gets everything back, fee included. After, the
    student keeps the kill fee (a settable share of the pay) and the rest is refunded.
    """
    kill_fee = percent_of(engagement.pay_cents, get_settings().kill_fee_percent) if work_started else 0
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
) -> bool:
    """Split the held pay: `student_cents` to the student, the rest back to the employer
    (with the platform fee too when `refund_fee`). Used by cancellations and dispute decisions.

    The refund happens now (a gateway that is down refuses the whole change, so nothing is
    half-done; a retry never refunds twice, see refund_once). The student's share leaves "held" only when
    its transfer succeeds, which may be later (no payout account yet, or a timeout).
    Returns False when the student's share is still waiting to be sent, True otherwise.
    """
    gateway = gateway or gateways.current_gateway()
    payment = payment_of(session, engagement)
    if engagement.funded_at is None:
        # Nothing was ever charged; close the open checkout so it can no longer be paid.
        if payment.state == PaymentState.CHECKOUT_OPEN and hasattr(gateway, "expire_checkout"):
            try:
                gateway.expire_checkout(payment.checkout_session_id, f"engagement-{engagement.id}-expire-{payment.checkout_attempt}")
            except (GatewayUnavailable, GatewayRefused) as exc:
                # A payment that still arrives is refunded by funding.apply_checkout.
                log.warning("could not expire checkout of engagement %s: %s", engagement.id, exc)
        advance_payment(session, payment, PaymentState.CANCELLED, _("Cancelled before the employer paid; nothing was charged."))
        return True
    if not 0 <= student_cents <= engagement.pay_cents:
        raise ValueError("the student's share must be between nothing and the whole pay")
    # Only what is still held is split: a refund made at the gateway's dashboard (its webhook
    # may not be here yet) took money out of it, and Stripe refuses to refund more than is left.
    _catch_up_on_outside_refunds(session, gateway, engagement)
    current = balance(session, engagement.id)
    decided = student_cents
    student_cents = max(0, min(student_cents, current.held))
    if decided and not student_cents and student_kind != "kill_fee":
        # A decision for the student with nothing held any more: like an approval, the payout
        # stops for staff (send_to_student sends nothing that is not held) instead of "paid".
        student_cents = decided
    released = max(0, current.held - student_cents)
    fee_back = current.platform_fee if refund_fee else 0
    key = f"engagement-{engagement.id}-{reason}"
    refund = released + fee_back
    if refund:
        reference = refund_once(session, gateway, engagement, refund, f"{key}-refund")
        record_entry(session, engagement, "held", -released, f"{key}-release")
        record_entry(session, engagement, "platform_fee", -fee_back, f"{key}-fee-back")
        record_entry(session, engagement, "refunded", refund, f"{key}-refund", reference)
    sent = True
    if student_cents:
        sent = send_to_student(
            session,
            engagement,
            amount=student_cents,
            kind=student_kind,
            key=f"{key}-student",
            gateway=gateway,
            final_state=PaymentState.PARTIALLY_REFUNDED if refund or current.refunded else PaymentState.PAID,
        )
    else:
        advance_payment(session, payment, PaymentState.REFUNDED, _("Refunded to the employer."))
    return sent


def _catch_up_on_outside_refunds(session: Session, gateway: PaymentGateway, engagement: Engagement) -> None:
    """Write into the ledger the refunds made outside MicroGigs that its webhook has not brought
    yet, so a split of the held money never counts money the employer already got back."""
    if not hasattr(gateway, "charge_refunds") or not engagement.checkout_ref:
        return  # a gateway that keeps no records (demo) has no dashboard
    try:
        charge = gateway.charge_refunds(engagement.checkout_ref)
    except GatewayUnavailable as exc:
        raise DomainError(TRY_AGAIN) from exc
    if record_outside_refunds(session, engagement, charge):
        session.flush()


def refund_once(session: Session, gateway: PaymentGateway, engagement: Engagement, amount: int, key: str, charge_id: str = "") -> str:
    """Refund `amount` of the engagement's charge (or of `charge_id`, a second charge of it)
    exactly once; returns the gateway's refund id. Raises DomainError when it cannot now.

    Nothing of a failed try is kept (the caller's change rolls back), so a Stripe 500, which
    Stripe saves under the key and replays to every later try, would block the settlement for
    good. Instead the keys form a fixed sequence (`key`, `key-2`, `key-3`, ...): while Stripe
    replays a saved 500, it is first asked whether a refund of ours for this charge exists
    (a 500 whose refund did happen) and that one is recorded; otherwise the next key is tried,
    up to the first fresh answer. A fresh failure asks the person to try again: the next try
    replays the used keys (answered at once) and gets one fresh try of its own.
    A key an earlier try used for another amount (e.g. a dispute first decided as a refund,
    then as a part payment) is passed the same way, after the same look at Stripe.
    """
    charge_id = charge_id or engagement.checkout_ref
    looked_at_stripe = False
    for number in range(1, REFUND_KEYS + 1):
        try:
            return gateway.refund(
                engagement_id=engagement.id,
                amount_cents=amount,
                currency=engagement.currency,
                source_reference=charge_id,
                idempotency_key=key if number == 1 else f"{key}-{number}",
            ).reference
        except (GatewayFailed, GatewayKeyReused) as exc:
            if isinstance(exc, GatewayFailed) and not exc.replayed:
                raise DomainError(TRY_AGAIN) from exc
            # This key is spent on an earlier try; whether that one refunded, only Stripe knows.
            if not looked_at_stripe:
                looked_at_stripe = True
                made = _refund_made_earlier(session, gateway, engagement, charge_id, amount)
                if made:
                    return made
        except GatewayUnavailable as exc:
            raise DomainError(TRY_AGAIN) from exc
        except GatewayRefused as exc:
            raise DomainError(msg("The payment service refused the refund: {reason}", reason=str(exc))) from exc
    raise DomainError(
        msg(
            "The payment service failed this refund {count} times. Nothing was changed; "
            "ask the career center to check the payment service (Reconcile now).",
            count=REFUND_KEYS,
        )
    )


def _refund_made_earlier(session: Session, gateway: PaymentGateway, engagement: Engagement, charge_id: str, amount: int) -> str:
    """The id of a refund of ours the gateway made for this charge that our ledger does not
    hold (its answer was a 500 or was lost), or "" when there is none."""
    if not hasattr(gateway, "charge_refunds"):
        return ""  # a gateway that keeps no records (demo) never fails a refund
    try:
        charge = gateway.charge_refunds(charge_id)
    except GatewayUnavailable as exc:
        raise DomainError(TRY_AGAIN) from exc
    recorded = set(
        session.exec(
            select(LedgerEntry.gateway_ref).where(LedgerEntry.engagement_id == engagement.id, LedgerEntry.kind == "refunded")
        ).all()
    )
    made = [(refund.reference, refund.amount_cents) for refund in charge.refunds if refund.ours and refund.reference not in recorded]
    try:
        return made_under_an_earlier_key(made, amount)
    except ValueError as found:
        raise DomainError(
            msg(
                "The payment service holds a refund for this engagement that is not this one ({found}). Nothing was changed; "
                "ask the career center to compare it with the ledger (Reconcile now).",
                found=str(found),
            )
        ) from None


def record_outside_refunds(session: Session, engagement: Engagement, charge: ChargeRefunds) -> int:
    """Write into the ledger the refunds of the engagement's charge that MicroGigs did not make
    (e.g. from the Stripe dashboard); returns the cents newly recorded.

    Safe to call any number of times, in any order with our own refunds:
    - each outside refund is recorded once, under a key built from its gateway id;
    - our own refunds (they carry our engagement id) are skipped: the code that made them
      writes them, even when this event arrives before that transaction commits;
    - never more than the difference between the charge's amount_refunded and our ledger's
      refunded total is recorded.
    The money comes out of what is held for the student first, then out of the platform fee
    (the platform bears a refund of pay already transferred); the identity
    funded = fee + held + transferred + refunded keeps holding.
    """
    current = balance(session, engagement.id)
    left = charge.amount_refunded - current.refunded
    recorded = 0
    for refund in charge.refunds:
        key = f"engagement-{engagement.id}-outside-refund-{refund.reference}"[:120]
        if refund.ours or left <= 0:
            continue
        if session.exec(select(LedgerEntry.id).where(LedgerEntry.idempotency_key == key)).first() is not None:
            continue
        amount = min(refund.amount_cents, left)
        from_held = max(0, min(amount, current.held))
        record_entry(session, engagement, "held", -from_held, f"{key}-held", refund.reference)
        record_entry(session, engagement, "platform_fee", -(amount - from_held), f"{key}-fee", refund.reference)
        record_entry(session, engagement, "refunded", amount, key, refund.reference)
        session.flush()
        current = balance(session, engagement.id)
        left -= amount
        recorded += amount
    if recorded:
        payment = payment_of(session, engagement)
        if payment.state == PaymentState.FUNDED:  # a payout on its way or refused keeps its own state
            whole = charge.amount_refunded >= charge.amount_cents and current.transferred == 0
            advance_payment(
                session,
                payment,
                PaymentState.REFUNDED if whole else PaymentState.PARTIALLY_REFUNDED,
                "Refunded outside MicroGigs (at the payment service).",
            )
    return recorded


def record_reversal(session: Session, engagement: Engagement, transfer_id: str, amount_reversed: int) -> int:
    """Write into the ledger a reversal of one of our transfers to the student (made at the
    gateway, e.g. in the Stripe dashboard); returns the cents newly recorded.

    The money is back on the platform's balance: it leaves "transferred" and is held again for
    this engagement, until staff decide where it goes (a refund from the dashboard takes it
    from there first). `amount_reversed` is the transfer's total reversed so far, which only
    grows: only what is above the reversals already recorded for this transfer is written,
    once (the key names the total), so a repeated or late event changes nothing.
    A transfer our ledger does not know yet (its answer was lost and the retry has not run)
    raises LookupError: the webhook fails and the gateway delivers it again later.
    """
    ours = session.exec(
        select(LedgerEntry.id).where(
            LedgerEntry.engagement_id == engagement.id,
            LedgerEntry.kind.in_(("transferred", "kill_fee")),
            LedgerEntry.gateway_ref == transfer_id,
            LedgerEntry.amount_cents > 0,
        )
    ).first()
    if ours is None:
        raise LookupError(f"transfer {transfer_id} of engagement {engagement.id} is not in the ledger yet")
    prefix = f"engagement-{engagement.id}-reversed-{transfer_id}-"
    recorded = sum(
        session.exec(
            select(LedgerEntry.amount_cents).where(
                LedgerEntry.engagement_id == engagement.id, LedgerEntry.kind == "held", LedgerEntry.idempotency_key.startswith(prefix)
            )
        ).all()
    )
    more = amount_reversed - recorded
    if more <= 0:
        return 0
    key = f"{prefix}{amount_reversed}"[:120]
    record_entry(session, engagement, "transferred", -more, f"{key}-back", transfer_id)
    record_entry(session, engagement, "held", more, key, transfer_id)
    session.flush()
    return more
