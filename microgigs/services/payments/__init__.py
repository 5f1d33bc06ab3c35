"""Money for an engagement, one module per job:

- `gateway`: which payment gateway moves the money (the one seam tests swap);
- `ledger`: every movement is a LedgerEntry; funded = platform_fee + held + transferred + refunded;
- `funding`: the employer pays (checkout, webhooks' checkout news, the platform fee);
- `payouts`: the held pay goes to the student, or waits and is sent later, never twice;
- `onboarding`: students' payout accounts;
- `settlement`: cancellations, dispute decisions and refunds made outside MicroGigs.

Where the money stands at the gateway (EngagementPayment.state) is the payment lifecycle's
(services/payment_lifecycle.py): it only moves forward, so a late or repeated webhook cannot
undo anything. Every outbound call carries an idempotency key built from our own ids.

Callers use the names below (`payments.pay_out`, `payments.balance`, ...).
"""

from microgigs.services.payment_lifecycle import MOVES, STATE_LABELS, WAITING_PAYOUT, payment_of
from microgigs.services.payments.funding import apply_checkout, open_checkout, platform_fee_cents, record_funded, start_funding
from microgigs.services.payments.gateway import current_gateway
from microgigs.services.payments.ledger import LedgerBalance, balance
from microgigs.services.payments.onboarding import payout_account_updated, payout_onboarding_url
from microgigs.services.payments.payouts import (
    PAYOUT_REFUSED_MESSAGE,
    pay_out,
    payment_label,
    payout_refused,
    retry_failed_payout,
    retry_payouts,
    stored_message,
)
from microgigs.services.payments.settlement import record_outside_refunds, record_reversal, settle_cancellation, settle_held

__all__ = [
    "MOVES",
    "PAYOUT_REFUSED_MESSAGE",
    "STATE_LABELS",
    "WAITING_PAYOUT",
    "LedgerBalance",
    "apply_checkout",
    "balance",
    "current_gateway",
    "open_checkout",
    "pay_out",
    "payment_label",
    "payment_of",
    "payout_account_updated",
    "payout_onboarding_url",
    "payout_refused",
    "platform_fee_cents",
    "record_funded",
    "record_outside_refunds",
    "record_reversal",
    "retry_failed_payout",
    "retry_payouts",
    "settle_cancellation",
    "settle_held",
    "start_funding",
    "stored_message",
]
