"""Gateway webhooks: store each event once by its id, then bring our records up to date.

Rules that keep money safe whatever the network does:
- an event id already stored is a no-op (Stripe delivers at least once);
- the event's own copy of an object may be stale, so checkouts and accounts are re-fetched
  from the gateway and our state is derived from what is true now, not from the event;
- the payment state only moves forward (services/payment_lifecycle.MOVES), so events may arrive in
  any order;
- unknown types are stored and acknowledged, nothing else.
"""

import json
import logging
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from microgigs.i18n import msg
from microgigs.models import (
    Engagement,
    EngagementPayment,
    GatewayEvent,
    PayoutAccount,
    User,
)
from microgigs.services import audit, notifications, payments
from microgigs.services.payments import gateway as gateways
from microgigs.services.row_locks import locked_row

log = logging.getLogger("microgigs.payments.webhooks")


@dataclass(frozen=True)
class VerifiedEvent:
    """A webhook event whose signature has been checked (by the HTTP route)."""

    id: str
    type: str
    object: dict = field(default_factory=dict)  # data.object as the event carries it
    account: str = ""  # the connected account, for Connect events


def _staff_ids(session: Session) -> list[int]:
    return list(session.exec(select(User.id).where(User.role.in_(("staff", "admin")), User.is_active)).all())


def _payment_by_charge(session: Session, charge_id: str) -> EngagementPayment | None:
    return session.exec(select(EngagementPayment).where(EngagementPayment.charge_id == charge_id)).first()


def _engagement_id(obj: dict) -> int | None:
    value = (obj.get("metadata") or {}).get("engagement_id") or obj.get("client_reference_id")
    return int(value) if value and str(value).isdigit() else None


def handle(session: Session, endpoint: str, event: VerifiedEvent, payload: str, gateway=None) -> str:
    """Store and apply one verified event; returns what happened (for the log and tests).

    Runs in the caller's transaction: if applying fails, the stored event rolls back too,
    so the gateway's next delivery tries again.
    """
    if session.get(GatewayEvent, event.id) is not None:
        return "duplicate"
    session.add(GatewayEvent(id=event.id, endpoint=endpoint, type=event.type, account=event.account, payload=payload))
    try:
        session.flush()
    except IntegrityError:  # the same event arriving twice at the same moment
        session.rollback()
        return "duplicate"
    handler = HANDLERS.get(event.type)
    if handler is None:
        return "ignored"
    gateway = gateway or gateways.current_gateway()
    outcome = handler(session, event, gateway)
    log.info("webhook %s %s: %s", event.type, event.id, outcome)
    return outcome


# --- checkout ------------------------------------------------------------------------------


def _checkout(session: Session, event: VerifiedEvent, gateway, *, failed: bool = False) -> str:
    status = gateway.checkout_status(event.object["id"])  # re-fetched: the event may be stale
    return payments.apply_checkout(session, status, failed=failed, gateway=gateway)


def _checkout_failed(session: Session, event: VerifiedEvent, gateway) -> str:
    return _checkout(session, event, gateway, failed=True)


# --- charges and transfers ----------------------------------------------------------------------


def _charge_refunded(session: Session, event: VerifiedEvent, gateway) -> str:
    """A refund of one of our charges: ours are in the ledger already; one made elsewhere
    (the Stripe dashboard) is written into it now, once, from the charge as it is now."""
    payment = _payment_by_charge(session, event.object.get("id", ""))
    if payment is None:
        return "unknown charge"
    engagement = locked_row(session, Engagement, payment.engagement_id)  # staff may be settling it now
    charge = gateway.charge_refunds(payment.charge_id)  # re-fetched: the event may be stale
    recorded = payments.record_outside_refunds(session, engagement, charge)
    if not recorded:
        return "already recorded"
    audit.record(
        session,
        None,
        "payment.refunded_outside",
        "engagement",
        engagement.id,
        amount_cents=recorded,
        amount_refunded=charge.amount_refunded,
    )
    for staff_id in _staff_ids(session):
        notifications.notify(
            session,
            staff_id,
            "payment.refunded_outside",
            msg("A payment was refunded outside MicroGigs (engagement {engagement})", engagement=engagement.id),
            "/staff/money",
            email=True,
        )
    return "recorded"


def _dispute_created(session: Session, event: VerifiedEvent, gateway) -> str:
    payment = _payment_by_charge(session, event.object.get("charge", ""))
    if payment is None:
        return "unknown charge"
    if payment.charge_disputed:
        return "already recorded"
    payment.charge_disputed = True
    session.add(payment)
    audit.record(session, None, "payment.charge_disputed", "engagement", payment.engagement_id, amount=event.object.get("amount", 0))
    for staff_id in _staff_ids(session):
        notifications.notify(
            session,
            staff_id,
            "payment.charge_disputed",
            msg("A card payment was disputed (engagement {engagement})", engagement=payment.engagement_id),
            "/staff/money",
            email=True,
        )
    return "recorded"


def _transfer_created(session: Session, event: VerifiedEvent, gateway) -> str:
    """Confirm a transfer we made: its id on the payment (a payout whose answer was lost
    learns its transfer here). A repeat, or an event after our own answer, changes nothing."""
    engagement_id = _engagement_id(event.object)
    payment = session.get(EngagementPayment, engagement_id) if engagement_id else None
    if payment is None or event.object.get("transfer_group") != f"engagement-{engagement_id}":
        return "not ours"
    transfer_id = event.object.get("id", "")
    if payment.transfer_id == transfer_id:
        return "already recorded"
    if payment.transfer_id:
        # A second transfer for one engagement should never happen: staff must look.
        audit.record(
            session, None, "payment.unexpected_transfer", "engagement", engagement_id, transfer=transfer_id, known=payment.transfer_id
        )
        for staff_id in _staff_ids(session):
            notifications.notify(
                session,
                staff_id,
                "payment.unexpected_transfer",
                msg("A second payout appeared for engagement {engagement}", engagement=engagement_id),
                "/staff/money",
                email=True,
            )
        return "unexpected transfer"
    payment.transfer_id = transfer_id
    session.add(payment)
    audit.record(session, None, "payment.transfer_created", "engagement", engagement_id, transfer=transfer_id)
    return "recorded"


def _transfer_reversed(session: Session, event: VerifiedEvent, gateway) -> str:
    """A transfer of ours reversed at the gateway: the money comes back into the ledger (held
    again, see payments.record_reversal) and staff are told, once per amount reversed."""
    engagement_id = _engagement_id(event.object)
    payment = session.get(EngagementPayment, engagement_id) if engagement_id else None
    if payment is None or event.object.get("transfer_group") != f"engagement-{engagement_id}":
        return "not ours"
    engagement = locked_row(session, Engagement, engagement_id)  # staff may be settling it now
    session.refresh(payment)
    transfer_id = event.object.get("id", "")
    recorded = payments.record_reversal(session, engagement, transfer_id, int(event.object.get("amount_reversed") or 0))
    payment.transfer_reversed = True
    session.add(payment)
    if not recorded:
        return "already recorded"
    audit.record(session, None, "payment.transfer_reversed", "engagement", engagement_id, transfer=transfer_id, amount_cents=recorded)
    for staff_id in _staff_ids(session):
        notifications.notify(
            session,
            staff_id,
            "payment.transfer_reversed",
            msg("A payout was reversed (engagement {engagement})", engagement=engagement_id),
            "/staff/money",
        )
    return "recorded"


# --- Connect: students' accounts and their payouts --------------------------------------------


def _account_updated(session: Session, event: VerifiedEvent, gateway) -> str:
    account = payments.payout_account_updated(session, event.object.get("id") or event.account, gateway)
    return "updated" if account else "not ours"


def _payout(session: Session, event: VerifiedEvent, gateway) -> str:
    account = session.exec(select(PayoutAccount).where(PayoutAccount.account_id == event.account)).first()
    if account is None:
        return "not ours"
    status = "paid" if event.type == "payout.paid" else "failed"
    account.last_payout_status = status
    session.add(account)
    if status == "failed":
        audit.record(
            session,
            None,
            "payout_account.payout_failed",
            "user",
            account.student_id,
            account=event.account,
            payout=event.object.get("id", ""),
        )
        notifications.notify(
            session,
            account.student_id,
            "payout.failed",
            msg("Your bank refused a payout from Stripe: open Earnings, choose Update payout details and check your bank account"),
            "/earnings",
            email=True,
        )
    return status


HANDLERS = {
    "checkout.session.completed": _checkout,
    "checkout.session.async_payment_succeeded": _checkout,
    "checkout.session.async_payment_failed": _checkout_failed,
    "checkout.session.expired": _checkout,
    "charge.refunded": _charge_refunded,
    "charge.dispute.created": _dispute_created,
    "transfer.created": _transfer_created,
    "transfer.reversed": _transfer_reversed,
    "account.updated": _account_updated,
    "payout.paid": _payout,
    "payout.failed": _payout,
}


def event_from_payload(payload: bytes) -> VerifiedEvent:
    """Our view of an event whose signature the route has already verified."""
    data = json.loads(payload)
    return VerifiedEvent(
        id=data["id"], type=data["type"], object=(data.get("data") or {}).get("object") or {}, account=data.get("account") or ""
    )
