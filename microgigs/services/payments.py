"""Money for an engagement: funding, the platform fee, holding, paying out, and the ledger.

Every movement is a LedgerEntry whose idempotency key is built from our own ids,
so doing the same movement twice is refused by the database rather than paid twice.
Per engagement, always: funded = platform_fee + held + transferred + refunded.

The engagement's EngagementPayment row says where the money stands at the gateway; its
state only moves forward (MOVES), so a late or repeated webhook cannot undo anything.
A payout that cannot go now (no payout account yet, or the gateway timed out) is
remembered on that row with its idempotency key and sent later by
`retry_payouts` / `payout_account_updated`, never twice. A payout the gateway refuses for
good (the account cannot receive transfers, an invalid request) stops in "payout_failed":
the student is told what to fix and staff send it again (`retry_failed_payout`).
"""

import logging
from dataclasses import dataclass

from sqlmodel import Session, select

from microgigs.integrations.payments import (
    ChargeRefunds,
    CheckoutStatus,
    GatewayRefused,
    GatewayUnavailable,
    PaymentGateway,
    get_gateway,
)
from microgigs.models import (
    Engagement,
    EngagementPayment,
    Gig,
    LedgerEntry,
    PayoutAccount,
    User,
    utcnow,
)
from microgigs.services import audit, notifications, policy
from microgigs.services.errors import DomainError, NotFound
from microgigs.settings import get_settings

log = logging.getLogger("microgigs.payments")

# Where the money of one engagement may go next. Anything else is ignored (a stale event).
MOVES: dict[str, set[str]] = {
    "unfunded": {"checkout_open", "funded", "cancelled"},
    "checkout_open": {"checkout_expired", "payment_failed", "funded", "cancelled"},
    # After an expired or failed checkout the manager opens a new one (a new attempt, a new key).
    "checkout_expired": {"checkout_open", "funded", "cancelled"},
    "payment_failed": {"checkout_open", "funded", "cancelled"},
    "funded": {"payout_pending", "awaiting_payout_account", "payout_failed", "paid", "refunded", "partially_refunded"},
    "payout_pending": {"awaiting_payout_account", "payout_failed", "paid", "partially_refunded"},
    "awaiting_payout_account": {"payout_pending", "payout_failed", "paid", "partially_refunded"},
    # Refused for good: only a staff retry (after the cause is fixed) moves it on.
    "payout_failed": {"paid", "partially_refunded"},
    # Money that arrives for a cancelled engagement goes straight back.
    "cancelled": {"refunded"},
    "paid": set(),
    "refunded": set(),
    "partially_refunded": set(),
}
WAITING_PAYOUT = ("payout_pending", "awaiting_payout_account")

# What each state means to the people involved.
STATE_LABELS = {
    "unfunded": "Not funded yet",
    "checkout_open": "Waiting for the employer's payment",
    "checkout_expired": "Checkout expired — not funded",
    "payment_failed": "Payment failed — not funded",
    "funded": "Funded — pay held until approval",
    "payout_pending": "Payout being sent",
    "awaiting_payout_account": "Approved — waiting for the student's payout account",
    "payout_failed": "Payout refused — the student must update their payout details",
    "paid": "Paid to the student",
    "refunded": "Refunded to the employer",
    "partially_refunded": "Kill fee paid, rest refunded",
    "cancelled": "Cancelled before payment",
}


def platform_fee_cents(pay_cents: int) -> int:
    settings = get_settings()
    return round(pay_cents * settings.platform_fee_percent / 100) + settings.platform_fee_fixed_cents


def current_gateway() -> PaymentGateway:
    return get_gateway(get_settings().payment_gateway)


def _entry(session: Session, engagement: Engagement, kind: str, amount: int, key: str, ref: str = "") -> None:
    if amount == 0:
        return  # nothing moved; a zero row would only clutter the ledger
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


def payment_of(session: Session, engagement: Engagement) -> EngagementPayment:
    payment = session.get(EngagementPayment, engagement.id)
    if payment is None:
        # Engagements from before this table existed start where their ledger says they are.
        state = "funded" if engagement.funded_at is not None else "unfunded"
        payment = EngagementPayment(
            engagement_id=engagement.id,
            gateway=engagement.gateway,
            state=state,
            charge_id=engagement.checkout_ref if state == "funded" else "",
        )
        session.add(payment)
    return payment


def _advance(payment: EngagementPayment, to: str, message: str | None = None) -> bool:
    """Move forward if `to` is a next state; otherwise leave everything as it is."""
    if to not in MOVES[payment.state]:
        log.info("payment of engagement %s: ignoring %s -> %s", payment.engagement_id, payment.state, to)
        return False
    payment.state = to
    if message is not None:
        payment.message = message
    payment.updated_at = utcnow()
    return True


# --- funding ----------------------------------------------------------------------------


def start_funding(session: Session, engagement: Engagement, gateway: PaymentGateway | None = None) -> None:
    """Ask the gateway for the employer's payment; record it at once when it is already in.

    A gateway that is down leaves the engagement unfunded with a message: the manager
    opens the checkout again from the payments page.
    """
    gateway = gateway or current_gateway()
    engagement.gateway = gateway.name
    session.add(engagement)
    payment = payment_of(session, engagement)
    payment.gateway = gateway.name
    payment.checkout_attempt += 1
    suffix = "" if payment.checkout_attempt == 1 else f"-{payment.checkout_attempt}"
    public = get_settings().public_url.rstrip("/")
    gig = session.get(Gig, engagement.gig_id)
    try:
        result = gateway.start_funding(
            engagement_id=engagement.id,
            amount_cents=engagement.pay_cents + engagement.fee_cents,
            currency=engagement.currency,
            idempotency_key=f"engagement-{engagement.id}-fund{suffix}",
            fee_cents=engagement.fee_cents,
            description=gig.title if gig else "",
            success_url=f"{public}/payments/?funded={engagement.id}",
            cancel_url=f"{public}/payments/",
        )
    except (GatewayUnavailable, GatewayRefused) as exc:
        log.warning("could not open a checkout for engagement %s: %s", engagement.id, exc)
        payment.message = "The payment service did not answer; open the checkout again from Payments."
        session.add(payment)
        return
    engagement.checkout_ref = result.reference
    if result.completed:
        record_funded(session, engagement, result.reference)
        return
    payment.checkout_session_id, payment.checkout_url = result.reference, result.url
    _advance(payment, "checkout_open", "")
    session.add(payment)


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
    payment = payment_of(session, engagement)
    if payment.state != "cancelled":
        _advance(payment, "funded", "")
    payment.charge_id = reference
    session.add(payment)


def apply_checkout(session: Session, status: CheckoutStatus, *, failed: bool = False, gateway: PaymentGateway | None = None) -> str:
    """Bring an engagement up to date with its checkout as the gateway sees it now.

    Called by every checkout webhook after re-fetching the session, so the order in which
    events arrive does not matter: a paid checkout funds once, an expired or failed one
    only marks a checkout that is still the current one. Returns what happened.
    """
    engagement = session.get(Engagement, status.engagement_id) if status.engagement_id else None
    if engagement is None:
        return "unknown engagement"
    payment = payment_of(session, engagement)
    if status.payment_status in ("paid", "no_payment_required") and status.status == "complete":
        if engagement.funded_at is not None:
            if status.charge_id and status.charge_id != engagement.checkout_ref:
                # A second checkout of this engagement was paid as well: give that one back whole.
                gateway = gateway or current_gateway()
                refund = gateway.refund(
                    engagement_id=engagement.id,
                    amount_cents=status.amount_total,
                    currency=engagement.currency,
                    source_reference=status.charge_id,
                    idempotency_key=f"engagement-{engagement.id}-duplicate-{status.session_id}",
                )
                audit.record(
                    session,
                    None,
                    "payment.duplicate_refunded",
                    "engagement",
                    engagement.id,
                    charge=status.charge_id,
                    refund=refund.reference,
                )
                return "refunded a second payment"
            return "already funded"
        payment.payment_intent_id = status.payment_intent_id
        engagement.checkout_ref = status.charge_id or status.session_id
        record_funded(session, engagement, engagement.checkout_ref)
        if engagement.status == "cancelled":
            # The employer paid a checkout after cancelling: give it all back at once.
            _refund_all_after_cancel(session, engagement, gateway or current_gateway())
            return "refunded late payment"
        audit.record(session, None, "engagement.active", "engagement", engagement.id, funded_by="checkout")
        gig = session.get(Gig, engagement.gig_id)
        notifications.notify(
            session,
            engagement.student_id,
            "engagement.funded",
            f"Funded: you can start work on {gig.title}",
            f"/engagements/{engagement.id}",
            email=True,
        )
        return "funded"
    if status.session_id != payment.checkout_session_id:
        return "not the current checkout"
    if status.status == "expired":
        moved = _advance(payment, "checkout_expired", "The checkout expired before anyone paid. Open a new one from Payments.")
    elif failed:
        moved = _advance(
            payment, "payment_failed", "The payment failed (the bank declined it). Open a new checkout from Payments to try again."
        )
    else:
        return "still waiting"
    if moved:
        session.add(payment)
        audit.record(session, None, f"payment.{payment.state}", "engagement", engagement.id, checkout=status.session_id)
        gig = session.get(Gig, engagement.gig_id)
        for manager_id in policy.manager_ids(session, gig.organization_id):
            notifications.notify(
                session, manager_id, "payment.not_funded", f"Not funded: {gig.title} — {payment.message}", "/payments", email=True
            )
        return payment.state
    return "ignored"


def _refund_all_after_cancel(session: Session, engagement: Engagement, gateway: PaymentGateway) -> None:
    settle_held(session, engagement, student_cents=0, refund_fee=True, reason="late-payment", gateway=gateway)


def open_checkout(session: Session, actor, engagement_id: int, gateway: PaymentGateway | None = None) -> str | None:
    """The URL where a manager pays for an engagement: the open checkout, or a new one.
    None when the gateway says it is paid already."""
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or actor is None:
        raise NotFound("That engagement")
    gig = session.get(Gig, engagement.gig_id)
    policy.require(policy.manages_gig(session, actor, gig), "Only the gig's managers can fund it.")
    if engagement.funded_at is not None:
        raise DomainError("This engagement is already funded.")
    if engagement.status != "funding":
        raise DomainError("This engagement is no longer waiting for funding.")
    gateway = gateway or current_gateway()
    payment = payment_of(session, engagement)
    if payment.state == "checkout_open" and payment.checkout_session_id:
        try:
            status = gateway.checkout_status(payment.checkout_session_id)
        except GatewayUnavailable as exc:
            raise DomainError("The payment service did not answer; try again in a minute.") from exc
        if status.status == "open":
            return payment.checkout_url
        apply_checkout(session, status, gateway=gateway)
        if engagement.funded_at is not None:
            return None  # paid meanwhile (its webhook is late): keep that, open nothing
        _advance(payment, "checkout_expired")
    start_funding(session, engagement, gateway)
    if engagement.funded_at is not None:
        return None  # a gateway that takes the money at once (the demo one): paid, nothing to open
    if payment.state != "checkout_open":
        raise DomainError(payment.message or "Could not open a checkout; try again in a minute.")
    audit.record(session, actor, "payment.checkout_opened", "engagement", engagement.id, attempt=payment.checkout_attempt)
    return payment.checkout_url


# --- paying the student -------------------------------------------------------------------


PAYOUT_REFUSED_MESSAGE = (
    "The payment service refused the payout ({reason}). The student must check their payout details "
    "(Earnings → Update payout details); then the career center sends it again."
)


def _send_to_student(
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
            if payment.state == "payout_failed":
                return False  # a staff retry before the student fixed the account: stays failed
            if payment.state != "awaiting_payout_account":
                _advance(
                    payment,
                    "awaiting_payout_account",
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
        if payment.state == "payout_failed":
            payment.message = "The payment service did not answer the retry; try again in a minute."
        else:
            if payment.state != "payout_pending":
                _advance(payment, "payout_pending")
            payment.message = "The payout is being retried automatically."
        payment.updated_at = utcnow()
        return False
    except GatewayRefused as exc:
        log.warning("payout for engagement %s refused (attempt %s): %s", engagement.id, payment.payout_attempts, exc)
        first = payment.state != "payout_failed"
        if first:
            _advance(payment, "payout_failed")
        # The gateway keeps this refusal under the key we sent; a refused transfer moved no
        # money, so the next try (a staff retry) gets a new key, fixed here once and reused
        # by every retry until one is answered (a timed-out retry may have gone through).
        payment.payout_request_key = f"{key}-retry-{payment.payout_attempts}"
        payment.message = PAYOUT_REFUSED_MESSAGE.format(reason=str(exc).rstrip(".")[:200])
        payment.updated_at = utcnow()
        if first:
            gig = session.get(Gig, engagement.gig_id)
            audit.record(session, None, "payment.payout_failed", "engagement", engagement.id, reason=str(exc)[:300])
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
        return False
    _entry(session, engagement, "held", -amount, f"{key}-release", result.reference)
    _entry(session, engagement, kind, amount, key, result.reference)
    payment.transfer_id = result.reference
    payment.payout_amount_cents, payment.payout_kind, payment.payout_key, payment.payout_request_key = 0, "", "", ""
    _advance(payment, final_state, "")
    return True


def pay_out(session: Session, engagement: Engagement, gateway: PaymentGateway | None = None) -> bool:
    """Move the held pay to the student (after approval). False: it waits (see payment state)."""
    gateway = gateway or current_gateway()
    sent = _send_to_student(
        session,
        engagement,
        amount=engagement.pay_cents,
        kind="transferred",
        key=f"engagement-{engagement.id}-transfer",
        gateway=gateway,
        final_state="paid",
    )
    if sent:
        engagement.status = "paid"
        engagement.paid_at = utcnow()
        session.add(engagement)
    return sent


def _finish_waiting_payout(
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
    sent = _send_to_student(
        session,
        engagement,
        amount=payment.payout_amount_cents,
        kind=kind,
        key=payment.payout_key,
        gateway=gateway,
        final_state="partially_refunded" if refunded else "paid",
        request_key=request_key,
    )
    if not sent:
        return False
    gig = session.get(Gig, engagement.gig_id)
    if engagement.status == "approved":
        engagement.status = "paid"
        engagement.paid_at = utcnow()
        session.add(engagement)
        from microgigs.services import engagements as engagement_rules

        engagement_rules._complete_gig_if_done(session, gig)
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
    if payment.state in ("paid", "partially_refunded"):
        raise DomainError("This payout was already sent.")
    if payment.state != "payout_failed":
        raise DomainError("This payout has not failed; nothing to retry.")
    gateway = gateway or current_gateway()
    if payment.gateway != gateway.name:
        raise DomainError(f"This payout started on {payment.gateway}; switch the gateway back to retry it.")
    request_key = payment.payout_request_key or payment.payout_key
    audit.record(session, actor, "payment.payout_retried", "engagement", engagement.id, key=request_key)
    if gateway.needs_payout_account:
        account = session.get(PayoutAccount, engagement.student_id)
        if account is None or not account.payouts_enabled:
            return "Not sent: the student's payout account cannot receive payouts yet. Ask them to finish Update payout details."
    if _finish_waiting_payout(session, engagement, gateway, states=("payout_failed",), request_key=request_key):
        return "Payout sent."
    return f"Not sent: {payment.message}"


def retry_payouts(session: Session, now=None, gateway: PaymentGateway | None = None) -> int:
    """Job: send every payout that timed out or waited for an account that is now enabled."""
    waiting = session.exec(select(EngagementPayment).where(EngagementPayment.state.in_(WAITING_PAYOUT))).all()
    if not waiting:
        return 0
    gateway = gateway or current_gateway()
    sent = 0
    for payment in waiting:
        engagement = session.get(Engagement, payment.engagement_id)
        if payment.gateway != gateway.name:
            continue  # money started on another gateway stays where it is
        sent += _finish_waiting_payout(session, engagement, gateway)
    session.flush()
    return sent


def payout_account_updated(session: Session, account_id: str, gateway: PaymentGateway | None = None) -> PayoutAccount | None:
    """Re-read a payout account from the gateway; once payouts are enabled, pay what waits."""
    gateway = gateway or current_gateway()
    status = gateway.account_status(account_id)
    account = session.exec(select(PayoutAccount).where(PayoutAccount.account_id == account_id)).first()
    if account is None:
        if status.student_id is None:
            return None  # not one of ours
        account = PayoutAccount(student_id=status.student_id, gateway=gateway.name, account_id=account_id)
    was_enabled = account.payouts_enabled
    account.details_submitted, account.payouts_enabled = status.details_submitted, status.payouts_enabled
    account.updated_at = utcnow()
    session.add(account)
    session.flush()
    if account.payouts_enabled and not was_enabled:
        audit.record(session, None, "payout_account.enabled", "user", account.student_id, account=account_id)
    if account.payouts_enabled:
        waiting = session.exec(
            select(Engagement)
            .join(EngagementPayment, EngagementPayment.engagement_id == Engagement.id)
            .where(Engagement.student_id == account.student_id, EngagementPayment.state.in_(WAITING_PAYOUT))
        ).all()
        for engagement in waiting:
            _finish_waiting_payout(session, engagement, gateway)
    return account


def payout_onboarding_url(session: Session, actor, gateway: PaymentGateway | None = None) -> str:
    """Where a student sets up payouts: their Express account's onboarding (created on first use)."""
    policy.require(policy.is_student(actor), "Only students have payout accounts.")
    gateway = gateway or current_gateway()
    if not gateway.needs_payout_account:
        raise DomainError("With demo payments no payout account is needed: no money moves.")
    account = session.get(PayoutAccount, actor.id)
    if account is None:
        account_id = gateway.create_payout_account(
            student_id=actor.id, email=actor.email, idempotency_key=f"student-{actor.id}-payout-account"
        )
        account = PayoutAccount(student_id=actor.id, gateway=gateway.name, account_id=account_id)
        session.add(account)
        session.flush()
        audit.record(session, actor, "payout_account.created", "user", actor.id, account=account_id)
    public = get_settings().public_url.rstrip("/")
    return gateway.onboarding_link(
        account_id=account.account_id,
        student_id=actor.id,
        refresh_url=f"{public}/payments/payout-account",
        return_url=f"{public}/earnings/?returned=1",
    )


# --- cancellations and disputes ---------------------------------------------------------


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
) -> bool:
    """Split the held pay: `student_cents` to the student, the rest back to the employer
    (with the platform fee too when `refund_fee`). Used by cancellations and dispute decisions.

    The refund happens now (a gateway that is down refuses the whole change, so nothing is
    half-done; retrying reuses the same key). The student's share leaves "held" only when
    its transfer succeeds, which may be later (no payout account yet, or a timeout).
    Returns False when the student's share is still waiting to be sent, True otherwise.
    """
    gateway = gateway or current_gateway()
    payment = payment_of(session, engagement)
    if engagement.funded_at is None:
        # Nothing was ever charged; close the open checkout so it can no longer be paid.
        if payment.state == "checkout_open" and hasattr(gateway, "expire_checkout"):
            try:
                gateway.expire_checkout(payment.checkout_session_id, f"engagement-{engagement.id}-expire-{payment.checkout_attempt}")
            except (GatewayUnavailable, GatewayRefused) as exc:
                # A payment that still arrives is refunded by apply_checkout.
                log.warning("could not expire checkout of engagement %s: %s", engagement.id, exc)
        _advance(payment, "cancelled", "Cancelled before the employer paid; nothing was charged.")
        session.add(payment)
        return True
    if not 0 <= student_cents <= engagement.pay_cents:
        raise ValueError("the student's share must be between nothing and the whole pay")
    key = f"engagement-{engagement.id}-{reason}"
    refund = engagement.pay_cents - student_cents + (engagement.fee_cents if refund_fee else 0)
    if refund:
        try:
            result = gateway.refund(
                engagement_id=engagement.id,
                amount_cents=refund,
                currency=engagement.currency,
                source_reference=engagement.checkout_ref,
                idempotency_key=f"{key}-refund",
            )
        except GatewayUnavailable as exc:
            raise DomainError("The payment service did not answer, so nothing was changed. Try again in a minute.") from exc
        except GatewayRefused as exc:
            raise DomainError(f"The payment service refused the refund: {exc}") from exc
        _entry(session, engagement, "held", -(engagement.pay_cents - student_cents), f"{key}-release")
        if refund_fee:
            _entry(session, engagement, "platform_fee", -engagement.fee_cents, f"{key}-fee-back")
        _entry(session, engagement, "refunded", refund, f"{key}-refund", result.reference)
    sent = True
    if student_cents:
        sent = _send_to_student(
            session,
            engagement,
            amount=student_cents,
            kind=student_kind,
            key=f"{key}-student",
            gateway=gateway,
            final_state="partially_refunded" if refund else "paid",
        )
    else:
        _advance(payment, "refunded", "Refunded to the employer.")
    session.add(payment)
    return sent


# --- refunds made outside MicroGigs ---------------------------------------------------------


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
        _entry(session, engagement, "held", -from_held, f"{key}-held", refund.reference)
        _entry(session, engagement, "platform_fee", -(amount - from_held), f"{key}-fee", refund.reference)
        _entry(session, engagement, "refunded", amount, key, refund.reference)
        session.flush()
        current = balance(session, engagement.id)
        left -= amount
        recorded += amount
    if recorded:
        payment = payment_of(session, engagement)
        if payment.state == "funded":  # a payout on its way or refused keeps its own state
            whole = charge.amount_refunded >= charge.amount_cents and current.transferred == 0
            _advance(payment, "refunded" if whole else "partially_refunded", "Refunded outside MicroGigs (at the payment service).")
            session.add(payment)
    return recorded


# --- the ledger ---------------------------------------------------------------------------


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
    for kind, amount in session.exec(select(LedgerEntry.kind, LedgerEntry.amount_cents).where(LedgerEntry.engagement_id == engagement_id)):
        # A kill fee is money transferred to the student on cancellation.
        sums["transferred" if kind == "kill_fee" else kind] += amount
    return LedgerBalance(**sums)
