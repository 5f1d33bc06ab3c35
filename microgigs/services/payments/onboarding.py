"""Students' payout accounts (Stripe Express): onboarding, and paying what waited for one."""

import time
from collections.abc import Callable

from sqlmodel import Session, select

from microgigs.i18n import _
from microgigs.integrations.payments import GatewayFailed, GatewayKeyReused, GatewayUnavailable, PaymentGateway
from microgigs.models import Engagement, EngagementPayment, PayoutAccount, utcnow
from microgigs.services import audit, policy
from microgigs.services.errors import DomainError
from microgigs.services.payment_lifecycle import WAITING_PAYOUT
from microgigs.services.payments import gateway as gateways
from microgigs.services.payments.payouts import send_waiting_payout
from microgigs.settings import get_settings


def payout_account_updated(session: Session, account_id: str, gateway: PaymentGateway | None = None) -> PayoutAccount | None:
    """Re-read a payout account from the gateway; once payouts are enabled, pay what waits."""
    gateway = gateway or gateways.current_gateway()
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
            send_waiting_payout(session, engagement, gateway)
    return account


# Account creation and links move no money, so a spent key is simply passed for the next one.
KEYS_PER_TRY = 10


def payout_onboarding_url(session: Session, actor, gateway: PaymentGateway | None = None) -> str:
    """Where a student sets up payouts: their Express account's onboarding (created on first use).
    Raises GatewayUnavailable when Stripe did not answer (the student tries again)."""
    policy.require(policy.is_student(actor), _("Only students have payout accounts."))
    gateway = gateway or gateways.current_gateway()
    if not gateway.needs_payout_account:
        raise DomainError("With demo payments no payout account is needed: no money moves.")
    account = session.get(PayoutAccount, actor.id)
    if account is None:
        account_id = _under_a_fresh_key(
            f"student-{actor.id}-payout-account",
            lambda key: gateway.create_payout_account(student_id=actor.id, email=actor.email, idempotency_key=key),
        )
        account = PayoutAccount(student_id=actor.id, gateway=gateway.name, account_id=account_id)
        session.add(account)
        session.flush()
        audit.record(session, actor, "payout_account.created", "user", actor.id, account=account_id)
    public = get_settings().public_url.rstrip("/")
    # An Account Link is single-use and short-lived, so each visit needs a new one: the key
    # is our ids plus the minute, which still folds a double click into one link.
    return _under_a_fresh_key(
        f"payout-account-{actor.id}-link-{int(time.time() // 60)}",
        lambda key: gateway.onboarding_link(
            account_id=account.account_id,
            refresh_url=f"{public}/payments/payout-account",
            return_url=f"{public}/earnings/?returned=1",
            idempotency_key=key,
        ),
    )


def _under_a_fresh_key(key: str, call: Callable[[str], str]) -> str:
    """`call` under `key`, then `key-2`, `key-3`... while Stripe replays a 500 it saved under a key
    (it gives that answer to every retry with the key, which would block the student for good)
    or the key was used with other parameters (a changed email). A fresh failure is raised: the
    student's next try replays the spent keys at once and gets one fresh try of its own. An
    account a failed try may have made stays unused."""
    for number in range(1, KEYS_PER_TRY + 1):
        try:
            return call(key if number == 1 else f"{key}-{number}")
        except GatewayFailed as exc:
            if not exc.replayed:
                raise
        except GatewayKeyReused:
            pass
    raise GatewayUnavailable(f"Stripe failed {KEYS_PER_TRY} tries to set up payouts.")
