"""Paying the student: the transfer of the held pay after approval, and the payouts that wait.

A payout that cannot go now (no payout account yet, or the gateway timed out) is remembered
on the engagement's payment with its idempotency key and sent later by `retry_payouts` /
`onboarding.payout_account_updated`, never twice. A payout the gateway refuses for good (the
account cannot receive transfers, an invalid request) stops in "payout_failed": the student
is told what to fix and staff send it again (`retry_failed_payout`).
"""

import logging

from sqlmodel import Session, select

from microgigs.integrations.payments import GatewayRefused, GatewayUnavailable, PaymentGateway
from microgigs.models import Engagement, EngagementPayment, Gig, LedgerEntry, PayoutAccount, User, utcnow
from microgigs.services import audit, gig_completion, notifications, policy
from microgigs.services.engagement_lifecycle import move_engagement
from microgigs.services.errors import DomainError, NotFound
from microgigs.services.payment_lifecycle import WAITING_PAYOUT, advance_payment, payment_of
from microgigs.services.payments import gateway as gateways
from microgigs.services.payments.ledger import record_entry
from microgigs.services.statuses import EngagementStatus, PaymentState

log = logging.getLogger("microgigs.payments")

PAYOUT_REFUSED_MESSAGE = (
    "The payment service refused the payout ({reason}). The student must check their payout details "
    "(Earnings → Update payout details); then the career center sends it again."
)


def send_to_student(
    session: Session,
    engagement: Engagement,
    *,
    amount: int,
    kind: str,
    key: str,
    gateway: PaymentGateway,
    final_state: str,
    request_key: str | None = None,
) -> bool:
    """Transfer `amount` of the held pay to the student, or remember it to send later.

    Returns True when the money went. The same `key` is used on every try, so a transfer
    that happened but whose answer was lost is returned again by the gateway, not repeated.
    `request_key` (a staff retry after a refusal) replaces it on the request only: the
    gateway stores a refusal under its key, and a refused transfer moved no money. The
    ledger rows always use `key`, so this payout can be written into the ledger once.

    A refusal (not a timeout) stops in "payout_failed": the student is told what to fix.
    """
    payment = payment_of(session, engagement)
    payment.payout_amount_cents, payment.payout_kind, payment.payout_key = amount, kind, key
    session.add(payment)
    destination = ""
    if gateway.needs_payout_account:
        account = session.get(PayoutAccount, engagement.student_id)
        if account is None or not account.payouts_enabled:
            if payment.state == PaymentState.PAYOUT_FAILED:
                return False  # a staff retry before the student fixed the account: stays failed
            if payment.state != PaymentState.AWAITING_PAYOUT_ACCOUNT:
                advance_payment(
                    session,
                    payment,
                    PaymentState.AWAITING_PAYOUT_ACCOUNT,
                    "Approved. The student must set up payouts (Earnings → Set up payouts) to receive it.",
                )
                notifications.notify(
                    session,
                    engagement.student_id,
                    "payout.account_needed",
                    "You have money waiting: set up payouts to receive it",
                    "/earnings",
                    email=True,
                )
            return False
        destination = account.account_id
    payment.payout_attempts += 1
    try:
        result = gateway.transfer_to_student(
            engagement_id=engagement.id,
            student_id=engagement.student_id,
            amount_cents=amount,
            currency=engagement.currency,
            source_reference=engagement.checkout_ref,
            idempotency_key=request_key or key,
            destination=destination,
        )
    except GatewayUnavailable as exc:
        log.warning("payout for engagement %s did not go (attempt %s): %s", engagement.id, payment.payout_attempts, exc)
        if payment.state == PaymentState.PAYOUT_FAILED:
            payment.message = "The payment service did not answer the retry; try again in a minute."
        else:
            if payment.state != PaymentState.PAYOUT_PENDING:
                advance_payment(session, payment, PaymentState.PAYOUT_PENDING)
            payment.message = "The payout is being retried automatically."
        payment.updated_at = utcnow()
        return False
    except GatewayRefused as exc:
        log.warning("payout for engagement %s refused (attempt %s): %s", engagement.id, payment.payout_attempts, exc)
        first = payment.state != PaymentState.PAYOUT_FAILED
        if first:
            advance_payment(session, payment, PaymentState.PAYOUT_FAILED, reason=str(exc)[:300])
        # The gateway keeps this refusal under the key we sent; a refused transfer moved no
        # money, so the next try (a staff retry) gets a new key, fixed here once and reused
        # by every retry until one is answered (a timed-out retry may have gone through).
        payment.payout_request_key = f"{key}-retry-{payment.payout_attempts}"
        payment.message = PAYOUT_REFUSED_MESSAGE.format(reason=str(exc).rstrip(".")[:200])
        payment.updated_at = utcnow()
        if first:
            _tell_of_refusal(session, engagement)
        return False
    record_entry(session, engagement, "held", -amount, f"{key}-release", result.reference)
    record_entry(session, engagement, kind, amount, key, result.reference)
    payment.transfer_id = result.reference
    payment.payout_amount_cents, payment.payout_kind, payment.payout_key, payment.payout_request_key = 0, "", "", ""
    advance_payment(session, payment, final_state, "")
    return True


def _tell_of_refusal(session: Session, engagement: Engagement) -> None:
    """A refused payout: the student learns what to fix, staff that it waits for them."""
    gig = session.get(Gig, engagement.gig_id)
    notifications.notify(
        session,
        engagement.student_id,
        "payout.refused",
        f"Your payout for {gig.title} was refused: open Earnings and choose Update payout details, then the career center sends it again",
        "/earnings",
        email=True,
    )
    staff_ids = session.exec(select(User.id).where(User.role.in_(("staff", "admin")), User.is_active)).all()
    for staff_id in staff_ids:
        notifications.notify(
            session,
            staff_id,
            "payment.payout_failed",
            f"A payout was refused: {gig.title} (engagement {engagement.id})",
            "/staff/money",
        )


def pay_out(session: Session, engagement: Engagement, gateway: PaymentGateway | None = None) -> bool:
    """Move the held pay to the student (after approval): the engagement is paid. False: it
    waits (see the payment's state) and the engagement stays approved."""
    gateway = gateway or gateways.current_gateway()
    sent = send_to_student(
        session,
        engagement,
        amount=engagement.pay_cents,
        kind="transferred",
        key=f"engagement-{engagement.id}-transfer",
        gateway=gateway,
        final_state=PaymentState.PAID,
    )
    if sent and engagement.status == EngagementStatus.APPROVED:
        move_engagement(session, None, engagement, EngagementStatus.PAID)
    return sent


def send_waiting_payout(
    session: Session, engagement: Engagement, gateway: PaymentGateway, *, states=WAITING_PAYOUT, request_key: str | None = None
) -> bool:
    """Send a remembered payout; on success tell the student (and close an approved engagement)."""
    payment = payment_of(session, engagement)
    if payment.state not in states or not payment.payout_key:
        return False
    kind = payment.payout_kind
    refunded = session.exec(
        select(LedgerEntry.id).where(LedgerEntry.engagement_id == engagement.id, LedgerEntry.kind == "refunded")
    ).first()
    sent = send_to_student(
        session,
        engagement,
        amount=payment.payout_amount_cents,
        kind=kind,
        key=payment.payout_key,
        gateway=gateway,
        final_state=PaymentState.PARTIALLY_REFUNDED if refunded else PaymentState.PAID,
        request_key=request_key,
    )
    if not sent:
        return False
    gig = session.get(Gig, engagement.gig_id)
    if engagement.status == EngagementStatus.APPROVED:
        move_engagement(session, None, engagement, EngagementStatus.PAID, late=True, kind=kind)
        gig_completion.complete_gig_if_done(session, gig)
    else:
        # A cancelled engagement's kill fee that waited: the engagement stays cancelled, and
        # the audit log still shows the student was paid.
        audit.record(session, None, "engagement.paid", "engagement", engagement.id, late=True, kind=kind)
    notifications.notify(session, engagement.student_id, "engagement.paid", f"Paid: {gig.title}", "/earnings", email=True)
    return True


def retry_failed_payout(session: Session, actor, engagement_id: int, gateway: PaymentGateway | None = None) -> str:
    """Staff send a refused payout again, once its cause is fixed (e.g. the student re-onboarded).

    Idempotent: the request key was fixed on the payment when the gateway refused (the
    payout's own key plus the attempt number); every retry sends that same key until one is
    answered, so a double click or a retry after a timeout gets the same transfer back, and
    the ledger rows keep the payout's key, so it is never paid twice.
    Returns what happened, in words for the staff member.
    """
    policy.require(policy.is_staff(actor), "Only career-center staff can retry payouts.")
    engagement = session.get(Engagement, engagement_id)
    if engagement is None:
        raise NotFound("That engagement")
    payment = payment_of(session, engagement)
    if payment.state in (PaymentState.PAID, PaymentState.PARTIALLY_REFUNDED):
        raise DomainError("This payout was already sent.")
    if payment.state != PaymentState.PAYOUT_FAILED:
        raise DomainError("This payout has not failed; nothing to retry.")
    gateway = gateway or gateways.current_gateway()
    if payment.gateway != gateway.name:
        raise DomainError(f"This payout started on {payment.gateway}; switch the gateway back to retry it.")
    request_key = payment.payout_request_key or payment.payout_key
    audit.record(session, actor, "payment.payout_retried", "engagement", engagement.id, key=request_key)
    if gateway.needs_payout_account:
        account = session.get(PayoutAccount, engagement.student_id)
        if account is None or not account.payouts_enabled:
            return "Not sent: the student's payout account cannot receive payouts yet. Ask them to finish Update payout details."
    if send_waiting_payout(session, engagement, gateway, states=(PaymentState.PAYOUT_FAILED,), request_key=request_key):
        return "Payout sent."
    return f"Not sent: {payment.message}"


def retry_payouts(session: Session, now=None, gateway: PaymentGateway | None = None) -> int:
    """Job: send every payout that timed out or waited for an account that is now enabled."""
    waiting = session.exec(select(EngagementPayment).where(EngagementPayment.state.in_(WAITING_PAYOUT))).all()
    if not waiting:
        return 0
    gateway = gateway or gateways.current_gateway()
    sent = 0
    for payment in waiting:
        engagement = session.get(Engagement, payment.engagement_id)
        if payment.gateway != gateway.name:
            continue  # money started on another gateway stays where it is
        sent += send_waiting_payout(session, engagement, gateway)
    session.flush()
    return sent
