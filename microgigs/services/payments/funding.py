"""Funding an engagement: the employer pays pay + platform fee into the platform's balance,
where the pay is held until approval.

A gateway that takes the money at once (the demo one) funds during acceptance; a real one
opens a checkout whose webhooks (`apply_checkout`) fund the engagement once it is paid.
"""

import logging

from sqlmodel import Session

from microgigs.i18n import _, msg
from microgigs.integrations.payments import CheckoutStatus, GatewayRefused, GatewayUnavailable, PaymentGateway
from microgigs.models import Engagement, Gig, utcnow
from microgigs.services import audit, center, notifications, policy
from microgigs.services.amounts import percent_of
from microgigs.services.engagement_lifecycle import move_engagement
from microgigs.services.errors import DomainError, NotFound
from microgigs.services.payment_lifecycle import advance_payment, payment_of
from microgigs.services.payments import gateway as gateways
from microgigs.services.payments.ledger import record_entry
from microgigs.services.payments.settlement import refund_once, settle_held
from microgigs.services.row_locks import locked_row
from microgigs.services.statuses import EngagementStatus, PaymentState
from microgigs.settings import get_settings

log = logging.getLogger("microgigs.payments")


def platform_fee_cents(session: Session, pay_cents: int) -> int:
    """The platform's fee on `pay_cents` as the center set it (percent of the pay plus a fixed amount)."""
    settings = center.current(session)
    return percent_of(pay_cents, settings.platform_fee_percent) + settings.platform_fee_fixed_cents


def start_funding(session: Session, engagement: Engagement, gateway: PaymentGateway | None = None) -> None:
    """Ask the gateway for the employer's payment; record it at once when it is already in.

    A gateway that is down leaves the engagement unfunded with a message: the manager
    opens the checkout again from the payments page.
    """
    gateway = gateway or gateways.current_gateway()
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
        payment.message = _("The payment service did not answer; open the checkout again from Payments.")
        session.add(payment)
        return
    engagement.checkout_ref = result.reference
    if result.completed:
        record_funded(session, engagement, result.reference)
        return
    payment.checkout_session_id, payment.checkout_url = result.reference, result.url
    advance_payment(session, payment, PaymentState.CHECKOUT_OPEN, "")


def record_funded(session: Session, engagement: Engagement, reference: str, **audit_detail: object) -> None:
    """The employer's money arrived: fee to the platform, pay held for the student, and the
    engagement waiting for it becomes active (`audit_detail`: how it was funded)."""
    total = engagement.pay_cents + engagement.fee_cents
    record_entry(session, engagement, "funded", total, f"engagement-{engagement.id}-funded", reference)
    record_entry(session, engagement, "platform_fee", engagement.fee_cents, f"engagement-{engagement.id}-fee", reference)
    record_entry(session, engagement, "held", engagement.pay_cents, f"engagement-{engagement.id}-held", reference)
    engagement.funded_at = utcnow()
    session.add(engagement)
    if engagement.status == EngagementStatus.FUNDING:
        move_engagement(session, None, engagement, EngagementStatus.ACTIVE, **audit_detail)
    payment = payment_of(session, engagement)
    if payment.state != PaymentState.CANCELLED:
        advance_payment(session, payment, PaymentState.FUNDED, "")
    payment.charge_id = reference
    session.add(payment)


def apply_checkout(session: Session, status: CheckoutStatus, *, failed: bool = False, gateway: PaymentGateway | None = None) -> str:
    """Bring an engagement up to date with its checkout as the gateway sees it now.

    Called by every checkout webhook after re-fetching the session, so the order in which
    events arrive does not matter: a paid checkout funds once, an expired or failed one
    only marks a checkout that is still the current one. Returns what happened.
    """
    # Locked: the same news may arrive twice at once, or while the manager cancels.
    engagement = locked_row(session, Engagement, status.engagement_id) if status.engagement_id else None
    if engagement is None:
        return "unknown engagement"
    payment = payment_of(session, engagement, fresh=True)
    if status.payment_status in ("paid", "no_payment_required") and status.status == "complete":
        if engagement.funded_at is not None:
            if status.charge_id and status.charge_id != engagement.checkout_ref:
                # A second checkout of this engagement was paid as well: give that one back whole
                # (a failure fails the webhook, which Stripe sends again; never refunded twice).
                gateway = gateway or gateways.current_gateway()
                refund = refund_once(
                    session,
                    gateway,
                    engagement,
                    status.amount_total,
                    f"engagement-{engagement.id}-duplicate-{status.session_id}",
                    charge_id=status.charge_id,
                )
                audit.record(
                    session,
                    None,
                    "payment.duplicate_refunded",
                    "engagement",
                    engagement.id,
                    charge=status.charge_id,
                    refund=refund,
                )
                return "refunded a second payment"
            return "already funded"
        payment.payment_intent_id = status.payment_intent_id
        engagement.checkout_ref = status.charge_id or status.session_id
        record_funded(session, engagement, engagement.checkout_ref, funded_by="checkout")
        if engagement.status == EngagementStatus.CANCELLED:
            # The employer paid a checkout after cancelling: give it all back at once.
            settle_held(session, engagement, student_cents=0, refund_fee=True, reason="late-payment", gateway=gateway)
            return "refunded late payment"
        gig = session.get(Gig, engagement.gig_id)
        notifications.notify(
            session,
            engagement.student_id,
            "engagement.funded",
            msg("Funded: you can start work on {title}", title=gig.title),
            f"/engagements/{engagement.id}",
            email=True,
        )
        return "funded"
    if status.session_id != payment.checkout_session_id:
        return "not the current checkout"
    if status.status == "expired":
        moved = advance_payment(
            session,
            payment,
            PaymentState.CHECKOUT_EXPIRED,
            _("The checkout expired before anyone paid. Open a new one from Payments."),
            checkout=status.session_id,
        )
    elif failed:
        moved = advance_payment(
            session,
            payment,
            PaymentState.PAYMENT_FAILED,
            _("The payment failed (the bank declined it). Open a new checkout from Payments to try again."),
            checkout=status.session_id,
        )
    else:
        return "still waiting"
    if moved:
        gig = session.get(Gig, engagement.gig_id)
        for manager_id in policy.manager_ids(session, gig.organization_id):
            notifications.notify(
                session,
                manager_id,
                "payment.not_funded",
                msg("Not funded: {title} — {reason}", title=gig.title, reason=payment.message),
                "/payments",
                email=True,
            )
        return payment.state
    return "ignored"


def open_checkout(session: Session, actor, engagement_id: int, gateway: PaymentGateway | None = None) -> str | None:
    """The URL where a manager pays for an engagement: the open checkout, or a new one.
    None when the gateway says it is paid already."""
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or actor is None:
        raise NotFound("That engagement")
    gig = session.get(Gig, engagement.gig_id)
    policy.require(policy.manages_gig(session, actor, gig), _("Only the gig's managers can fund it."))
    engagement = locked_row(session, Engagement, engagement_id)  # a double click opens one checkout
    if engagement.funded_at is not None:
        raise DomainError("This engagement is already funded.")
    if engagement.status != EngagementStatus.FUNDING:
        raise DomainError("This engagement is no longer waiting for funding.")
    gateway = gateway or gateways.current_gateway()
    payment = payment_of(session, engagement, fresh=True)
    if payment.state == PaymentState.CHECKOUT_OPEN and payment.checkout_session_id:
        try:
            status = gateway.checkout_status(payment.checkout_session_id)
        except GatewayUnavailable as exc:
            raise DomainError("The payment service did not answer; try again in a minute.") from exc
        if status.status == "open":
            return payment.checkout_url
        apply_checkout(session, status, gateway=gateway)
        if engagement.funded_at is not None:
            return None  # paid meanwhile (its webhook is late): keep that, open nothing
        advance_payment(session, payment, PaymentState.CHECKOUT_EXPIRED, checkout=payment.checkout_session_id)
    start_funding(session, engagement, gateway)
    if engagement.funded_at is not None:
        return None  # a gateway that takes the money at once (the demo one): paid, nothing to open
    if payment.state != PaymentState.CHECKOUT_OPEN:
        raise DomainError(payment.message or _("Could not open a checkout; try again in a minute."))
    audit.record(session, actor, "payment.checkout_opened", "engagement", engagement.id, attempt=payment.checkout_attempt)
    return payment.checkout_url
