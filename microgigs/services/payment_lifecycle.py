"""The payment lifecycle: where one engagement's money stands at the gateway
(EngagementPayment.state).

It only moves forward (`MOVES`), so a late or repeated webhook cannot undo anything: a move
that is not in the table is ignored, not refused. `advance_payment` is the only code that
changes the state; the moves people must be able to trace (a checkout that expired or
failed, a payout refused) leave an audit row `payment.<state>` on the engagement.
"""

import logging

from sqlmodel import Session

from microgigs.i18n import _
from microgigs.models import Engagement, EngagementPayment
from microgigs.services.lifecycle import Lifecycle
from microgigs.services.statuses import PaymentState

log = logging.getLogger("microgigs.payments")

# Where the money of one engagement may go next. Anything else is ignored (a stale event).
MOVES: dict[str, frozenset[str]] = {
    PaymentState.UNFUNDED: frozenset({PaymentState.CHECKOUT_OPEN, PaymentState.FUNDED, PaymentState.CANCELLED}),
    PaymentState.CHECKOUT_OPEN: frozenset(
        {PaymentState.CHECKOUT_EXPIRED, PaymentState.PAYMENT_FAILED, PaymentState.FUNDED, PaymentState.CANCELLED}
    ),
    # After an expired or failed checkout the manager opens a new one (a new attempt, a new key).
    PaymentState.CHECKOUT_EXPIRED: frozenset({PaymentState.CHECKOUT_OPEN, PaymentState.FUNDED, PaymentState.CANCELLED}),
    PaymentState.PAYMENT_FAILED: frozenset({PaymentState.CHECKOUT_OPEN, PaymentState.FUNDED, PaymentState.CANCELLED}),
    PaymentState.FUNDED: frozenset(
        {
            PaymentState.PAYOUT_PENDING,
            PaymentState.AWAITING_PAYOUT_ACCOUNT,
            PaymentState.PAYOUT_FAILED,
            PaymentState.PAID,
            PaymentState.REFUNDED,
            PaymentState.PARTIALLY_REFUNDED,
        }
    ),
    PaymentState.PAYOUT_PENDING: frozenset(
        {PaymentState.AWAITING_PAYOUT_ACCOUNT, PaymentState.PAYOUT_FAILED, PaymentState.PAID, PaymentState.PARTIALLY_REFUNDED}
    ),
    PaymentState.AWAITING_PAYOUT_ACCOUNT: frozenset(
        {PaymentState.PAYOUT_PENDING, PaymentState.PAYOUT_FAILED, PaymentState.PAID, PaymentState.PARTIALLY_REFUNDED}
    ),
    # Refused for good: only a staff retry (after the cause is fixed) moves it on.
    PaymentState.PAYOUT_FAILED: frozenset({PaymentState.PAID, PaymentState.PARTIALLY_REFUNDED}),
    # Money that arrives for a cancelled engagement goes straight back.
    PaymentState.CANCELLED: frozenset({PaymentState.REFUNDED}),
    PaymentState.PAID: frozenset(),
    # Refunded outside MicroGigs (the Stripe dashboard) while the work was under way: the
    # engagement still ends, so a kill fee may wait for an account, and an approval's payout
    # stops for staff (the pay is no longer held).
    PaymentState.REFUNDED: frozenset({PaymentState.PAYOUT_FAILED}),
    PaymentState.PARTIALLY_REFUNDED: frozenset(
        {PaymentState.PAYOUT_PENDING, PaymentState.AWAITING_PAYOUT_ACCOUNT, PaymentState.PAYOUT_FAILED}
    ),
}

# A payout that will go without anyone's help: the job retries it, or an account update sends it.
WAITING_PAYOUT = (PaymentState.PAYOUT_PENDING, PaymentState.AWAITING_PAYOUT_ACCOUNT)

# What each state means to the people involved (marked: translated where shown).
STATE_LABELS = {
    PaymentState.UNFUNDED: _("Not funded yet"),
    PaymentState.CHECKOUT_OPEN: _("Waiting for the employer's payment"),
    PaymentState.CHECKOUT_EXPIRED: _("Checkout expired — not funded"),
    PaymentState.PAYMENT_FAILED: _("Payment failed — not funded"),
    PaymentState.FUNDED: _("Funded — pay held until approval"),
    PaymentState.PAYOUT_PENDING: _("Payout being sent"),
    PaymentState.AWAITING_PAYOUT_ACCOUNT: _("Approved — waiting for the student's payout account"),
    PaymentState.PAYOUT_FAILED: _("Payout refused — the student must update their payout details"),
    PaymentState.PAID: _("Paid to the student"),
    PaymentState.REFUNDED: _("Refunded to the employer"),
    PaymentState.PARTIALLY_REFUNDED: _("Kill fee paid, rest refunded"),
    PaymentState.CANCELLED: _("Cancelled before payment"),
}

PAYMENT = Lifecycle(
    "payment",
    MOVES,
    column="state",
    moved_at="updated_at",
    audit_subject="engagement",
    audit_id="engagement_id",
    audited=frozenset({PaymentState.CHECKOUT_EXPIRED, PaymentState.PAYMENT_FAILED, PaymentState.PAYOUT_FAILED}),
)


def payment_of(session: Session, engagement: Engagement, *, fresh: bool = False) -> EngagementPayment:
    """The engagement's payment row (made on first use). `fresh`: read again from the
    database (once the engagement is locked, services/row_locks.py, it is current)."""
    payment = session.get(EngagementPayment, engagement.id, populate_existing=fresh)
    if payment is None:
        # Engagements from before this table existed start where their ledger says they are.
        state = PaymentState.FUNDED if engagement.funded_at is not None else PaymentState.UNFUNDED
        payment = EngagementPayment(
            engagement_id=engagement.id,
            gateway=engagement.gateway,
            state=str(state),
            charge_id=engagement.checkout_ref if state == PaymentState.FUNDED else "",
        )
        session.add(payment)
    return payment


def advance_payment(session: Session, payment: EngagementPayment, to: str, message: str | None = None, **detail: object) -> bool:
    """Move forward if `to` is a next state (and then replace the payment's message, when
    given); otherwise leave everything as it is and return False. `detail` goes into the
    audit row of an audited move."""
    if not PAYMENT.try_move(session, None, payment, to, **detail):
        log.info("payment of engagement %s: ignoring %s -> %s", payment.engagement_id, payment.state, to)
        return False
    if message is not None:
        payment.message = message
    return True
