"""Paying the student: the transfer of the held pay after approval, and the payouts that wait.

A payout that cannot go now (no payout account yet, or the gateway did not answer or
failed) is remembered on the engagement's payment with its idempotency key and sent later
by `retry_payouts` / `onboarding.payout_account_updated` with that same key, never twice.
The job tries a payout at most PAYOUT_TRIES_BEFORE_STAFF times: Stripe saves a 500 under
its key and gives it to every retry with that key, so past the bound the payout stops in
"payout_failed" and staff are told. A payout the gateway refuses (the account cannot
receive transfers, an invalid request) stops there at once: the student is told what to
fix. Staff send it again (`retry_failed_payout`) under a new request key, after asking the
gateway whether a transfer for the engagement was made already.
"""

import logging
import re

from sqlmodel import Session, select

from microgigs.i18n import Text as _Text
from microgigs.i18n import _, msg, translate
from microgigs.integrations.payments import GatewayFailed, GatewayRefused, GatewayUnavailable, PaymentGateway
from microgigs.models import Engagement, EngagementPayment, Gig, LedgerEntry, PayoutAccount, User, utcnow
from microgigs.services import audit, gig_completion, notifications, policy
from microgigs.services.amounts import format_cents
from microgigs.services.engagement_lifecycle import move_engagement
from microgigs.services.errors import DomainError, NotFound
from microgigs.services.payment_lifecycle import STATE_LABELS, WAITING_PAYOUT, advance_payment, payment_of
from microgigs.services.payments import gateway as gateways
from microgigs.services.payments.ledger import balance, made_under_an_earlier_key, record_entry
from microgigs.services.row_locks import locked_row
from microgigs.services.statuses import EngagementStatus, PaymentState

log = logging.getLogger("microgigs.payments")

# Tries of one payout that may go unanswered or fail at the gateway before staff take over.
# Retrying with the same key cannot get past a saved 500, and Stripe forgets keys after 24
# hours (a retry after that could pay twice), so the job never retries without end.
PAYOUT_TRIES_BEFORE_STAFF = 5

# A payout in "payout_failed" stopped for one of two causes, told apart by its message: the
# gateway refused it (the student must fix their details) or kept failing (staff send it).
# The messages are kept in English on the payment (a reader's page translates them: stored_message).
PAYOUT_REFUSED_PREFIX = "The payment service refused the payout"
PAYOUT_REFUSED_MESSAGE = _(
    "The payment service refused the payout ({reason}). The student must check their payout details "
    "(Earnings → Update payout details); then the career center sends it again."
)
PAYOUT_STUCK_MESSAGE = _(
    "The payment service failed this payout {tries} times ({reason}). Nothing is retried by itself any more: "
    "the career center sends it again (Retry payout), which first checks that it was not paid already."
)
# A third cause: the employer got money back outside MicroGigs (the Stripe dashboard), so the
# pay is no longer all held; nothing may be sent that is not held, staff settle it by hand.
PAYOUT_NOT_HELD_PREFIX = "The employer was refunded"
PAYOUT_NOT_HELD_MESSAGE = _(
    "The employer was refunded {refunded} outside MicroGigs, so the pay is no longer held ({held} of {amount}); "
    "career-center staff must settle it with the employer."
)
PAYOUT_NOT_HELD_LABEL = _("Payout on hold — the employer was refunded outside MicroGigs; the career center settles it")

PAYOUT_DELAYED_LABEL = _("Payout delayed — the payment service kept failing; the career center sends it")
PAYOUT_RETRY_FAILED_MESSAGE = _("The payment service failed the retry ({reason}); try again later.")
PAYOUT_RETRY_UNANSWERED_MESSAGE = _("The payment service did not answer the retry; try again in a minute.")
PAYOUT_RETRYING_MESSAGE = _("The payout is being retried automatically.")

# The stored messages with values in them, as patterns that give the values back.
_TEMPLATES = [PAYOUT_REFUSED_MESSAGE, PAYOUT_STUCK_MESSAGE, PAYOUT_NOT_HELD_MESSAGE, PAYOUT_RETRY_FAILED_MESSAGE]


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.*?)" for i, part in enumerate(parts)) + r"\Z", re.DOTALL)


_PATTERNS = [(template, _pattern(template)) for template in _TEMPLATES]


def stored_message(language: str, message: str) -> str:
    """A payment's stored message (English, written from the constants above) in `language`:
    a fixed one looked up, one with values read back into its template and translated; any
    other (the gateway's own words) as it is."""
    for template, pattern in _PATTERNS:
        found = pattern.match(message or "")
        if found:
            return translate(language, _Text(template, **found.groupdict()))
    return translate(language, _Text(message or ""))


def payout_refused(payment: EngagementPayment) -> bool:
    """Whether a failed payout was refused by the gateway (the student must update their payout
    details), rather than stopped because the gateway kept failing (nothing for them to fix)."""
    return payment.state == PaymentState.PAYOUT_FAILED and payment.message.startswith(PAYOUT_REFUSED_PREFIX)


def payment_label(payment: EngagementPayment, language: str = "en") -> str:
    """The payment's state in words (in `language`); a failed payout says which of its causes stopped it."""
    if payment.state == PaymentState.PAYOUT_FAILED and payment.message.startswith(PAYOUT_NOT_HELD_PREFIX):
        return translate(language, _Text(PAYOUT_NOT_HELD_LABEL))
    if payment.state == PaymentState.PAYOUT_FAILED and not payout_refused(payment):
        return translate(language, _Text(PAYOUT_DELAYED_LABEL))
    return translate(language, _Text(STATE_LABELS.get(payment.state, payment.state)))


class _EarlierTransferDiffers(Exception):
    """The gateway holds a transfer for this engagement that is not this payout."""


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
    `request_key` (a staff retry) replaces it on the request only; as a new key could repeat
    a transfer made under an earlier one, the gateway is asked first for a transfer already
    made for this engagement, and that one is recorded instead. The ledger rows always use
    `key`, so this payout can be written into the ledger once.

    A refusal stops in "payout_failed" at once; failures without an answer after
    PAYOUT_TRIES_BEFORE_STAFF tries.
    """
    payment = payment_of(session, engagement)
    payment.payout_amount_cents, payment.payout_kind, payment.payout_key = amount, kind, key
    session.add(payment)
    held = balance(session, engagement.id).held
    if amount > held:
        _not_held(session, engagement, payment, amount, held)
        return False
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
                    msg("You have money waiting: set up payouts to receive it"),
                    "/earnings",
                    email=True,
                )
            return False
        destination = account.account_id
    payment.payout_attempts += 1

    def transfer(idempotency_key: str) -> str:
        return gateway.transfer_to_student(
            engagement_id=engagement.id,
            student_id=engagement.student_id,
            amount_cents=amount,
            currency=engagement.currency,
            source_reference=engagement.checkout_ref,
            idempotency_key=idempotency_key,
            destination=destination,
        ).reference

    try:
        reference = _transfer_made_earlier(gateway, engagement, amount) if request_key else ""
        if not reference:
            try:
                reference = transfer(request_key or key)
            except GatewayRefused as exc:
                if not (request_key and exc.replayed):
                    raise
                # A staff retry whose key was spent on an earlier retry that was refused while
                # its answer got lost: that old refusal says nothing about now, and a refused
                # transfer moved no money (no transfer of ours exists, asked above): a new key.
                payment.payout_request_key = f"{key}-retry-{payment.payout_attempts}"
                reference = transfer(payment.payout_request_key)
    except GatewayUnavailable as exc:
        _not_sent(session, engagement, payment, exc, key)
        return False
    except GatewayRefused as exc:
        _refused(session, engagement, payment, exc, key)
        return False
    except _EarlierTransferDiffers as exc:
        payment.message = str(exc)
        payment.updated_at = utcnow()
        return False
    record_entry(session, engagement, "held", -amount, f"{key}-release", reference)
    record_entry(session, engagement, kind, amount, key, reference)
    payment.transfer_id = reference
    payment.payout_amount_cents, payment.payout_kind, payment.payout_key, payment.payout_request_key = 0, "", "", ""
    advance_payment(session, payment, final_state, "")
    return True


def _transfer_made_earlier(gateway: PaymentGateway, engagement: Engagement, amount: int) -> str:
    """The id of the transfer the gateway already made for this engagement's payout (under an
    earlier key whose answer was lost or failed), or "" when there is none."""
    if not hasattr(gateway, "movements"):
        return ""  # a gateway that keeps no records (demo) never loses an answer
    made = [(m.reference, m.amount_cents) for m in gateway.movements(engagement.id, "") if m.kind == "transferred"]
    try:
        return made_under_an_earlier_key(made, amount)
    except ValueError as found:
        raise _EarlierTransferDiffers(
            f"The payment service already holds a transfer for this engagement that is not this payout ({found}). "
            "Compare it with the ledger (Reconcile now) before paying by hand."
        ) from None


def _not_held(session: Session, engagement: Engagement, payment: EngagementPayment, amount: int, held: int) -> None:
    """Less is held than this payout (the employer was refunded outside MicroGigs): nothing is
    sent, the payout stops for staff, who settle it with the employer."""
    log.warning("payout for engagement %s stopped: %s held, %s to send", engagement.id, held, amount)
    refunded = sum(
        session.exec(
            select(LedgerEntry.amount_cents).where(
                LedgerEntry.engagement_id == engagement.id,
                LedgerEntry.kind == "refunded",
                LedgerEntry.idempotency_key.contains("-outside-refund-"),  # see settlement.record_outside_refunds
            )
        ).all()
    )
    first = payment.state != PaymentState.PAYOUT_FAILED
    if first:
        advance_payment(session, payment, PaymentState.PAYOUT_FAILED, reason="not held")
    payment.message = PAYOUT_NOT_HELD_MESSAGE.format(
        refunded=format_cents(refunded, engagement.currency),
        held=format_cents(held, engagement.currency),
        amount=format_cents(amount, engagement.currency),
    )
    payment.updated_at = utcnow()
    if first:
        _tell_of_failure(session, engagement, refused=False, not_held=True)


def _not_sent(session: Session, engagement: Engagement, payment: EngagementPayment, exc: GatewayUnavailable, key: str) -> None:
    """No answer, or the gateway's own failure: retried by the job with the same key, up to the
    bound; a staff retry stays with staff."""
    log.warning("payout for engagement %s did not go (attempt %s): %s", engagement.id, payment.payout_attempts, exc)
    reason = str(exc).rstrip(".")[:200]
    if payment.state == PaymentState.PAYOUT_FAILED:
        if isinstance(exc, GatewayFailed):
            # Stripe saved this failure under the key: the next retry needs a new one (it looks
            # for a transfer made under this one first).
            payment.payout_request_key = f"{key}-retry-{payment.payout_attempts}"
            payment.message = PAYOUT_RETRY_FAILED_MESSAGE.format(reason=reason)
        else:
            payment.message = PAYOUT_RETRY_UNANSWERED_MESSAGE
    elif payment.payout_attempts >= PAYOUT_TRIES_BEFORE_STAFF:
        advance_payment(session, payment, PaymentState.PAYOUT_FAILED, reason=reason[:300], tries=payment.payout_attempts)
        payment.payout_request_key = f"{key}-retry-{payment.payout_attempts}"
        payment.message = PAYOUT_STUCK_MESSAGE.format(tries=payment.payout_attempts, reason=reason)
        _tell_of_failure(session, engagement, refused=False)
    else:
        if payment.state != PaymentState.PAYOUT_PENDING:
            advance_payment(session, payment, PaymentState.PAYOUT_PENDING)
        payment.message = PAYOUT_RETRYING_MESSAGE
    payment.updated_at = utcnow()


def _refused(session: Session, engagement: Engagement, payment: EngagementPayment, exc: GatewayRefused, key: str) -> None:
    """Refused for good: "payout_failed", the student told what to fix, staff retry later."""
    log.warning("payout for engagement %s refused (attempt %s): %s", engagement.id, payment.payout_attempts, exc)
    first = payment.state != PaymentState.PAYOUT_FAILED
    if first:
        advance_payment(session, payment, PaymentState.PAYOUT_FAILED, reason=str(exc)[:300])
    # Stripe saves a refusal made by a running endpoint (the account cannot receive
    # transfers) under the key and refuses that key again even after the cause is fixed (only
    # a request with invalid parameters is not saved). A refused transfer moved no money, so
    # the next try (a staff retry) gets a new key, fixed here once and reused by every retry
    # until one is answered (a retry whose answer was lost may have gone through).
    payment.payout_request_key = f"{key}-retry-{payment.payout_attempts}"
    payment.message = PAYOUT_REFUSED_MESSAGE.format(reason=str(exc).rstrip(".")[:200])
    payment.updated_at = utcnow()
    if first:
        _tell_of_failure(session, engagement, refused=True)


def _tell_of_failure(session: Session, engagement: Engagement, *, refused: bool, not_held: bool = False) -> None:
    """A payout stopped in "payout_failed": staff learn that it waits for them; the student
    learns what to fix (refused) or that it is delayed (the gateway kept failing, or the pay is
    no longer held)."""
    gig = session.get(Gig, engagement.gig_id)
    if not_held:
        kind = "payout.delayed"
        title = msg("Your payout for {title} is on hold: the career center is settling it with the employer", title=gig.title)
    elif refused:
        kind = "payout.refused"
        title = msg(
            "Your payout for {title} was refused: open Earnings and choose Update payout details, then the career center sends it again",
            title=gig.title,
        )
    else:
        kind = "payout.delayed"
        title = msg("Your payout for {title} is delayed: the payment service kept failing, so the career center sends it", title=gig.title)
    notifications.notify(session, engagement.student_id, kind, title, "/earnings", email=True)
    staff_ids = session.exec(select(User.id).where(User.role.in_(("staff", "admin")), User.is_active)).all()
    if not_held:
        what = msg(
            "A payout cannot be sent, the employer was refunded outside MicroGigs: {title} (engagement {engagement})",
            title=gig.title,
            engagement=engagement.id,
        )
    elif refused:
        what = msg("A payout was refused: {title} (engagement {engagement})", title=gig.title, engagement=engagement.id)
    else:
        what = msg(
            "A payout failed {count} times at the payment service: {title} (engagement {engagement})",
            count=PAYOUT_TRIES_BEFORE_STAFF,
            title=gig.title,
            engagement=engagement.id,
        )
    for staff_id in staff_ids:
        notifications.notify(
            session,
            staff_id,
            "payment.payout_failed",
            what,
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
    """Send a remembered payout; on success tell the student (and close an approved engagement).
    The engagement is locked first: the retry job, staff and a webhook may send it at once."""
    engagement = locked_row(session, Engagement, engagement.id)
    payment = payment_of(session, engagement, fresh=True)
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
    notifications.notify(session, engagement.student_id, "engagement.paid", msg("Paid: {title}", title=gig.title), "/earnings", email=True)
    return True


def retry_failed_payout(session: Session, actor, engagement_id: int, gateway: PaymentGateway | None = None) -> str:
    """Staff send a failed payout again, once its cause is fixed (e.g. the student re-onboarded,
    or the payment service works again).

    Never pays twice: it first asks the gateway for a transfer already made for this
    engagement (under an earlier key whose answer was lost or failed) and records that one.
    Otherwise it sends under the request key fixed on the payment when the last try was
    refused or failed (the payout's own key plus the attempt number); every retry sends that
    same key until one is answered, so a double click gets the same transfer back, and the
    ledger rows keep the payout's key, so it is written once.
    Less held than the payout (the employer was refunded outside MicroGigs) sends nothing: the
    payout says so and waits for staff to settle it with the employer.
    Returns what happened, in words for the staff member.
    """
    policy.require(policy.is_staff(actor), _("Only career-center staff can retry payouts."))
    engagement = locked_row(session, Engagement, engagement_id)
    if engagement is None:
        raise NotFound("That engagement")
    payment = payment_of(session, engagement, fresh=True)
    if payment.state in (PaymentState.PAID, PaymentState.PARTIALLY_REFUNDED):
        raise DomainError("This payout was already sent.")
    if payment.state != PaymentState.PAYOUT_FAILED:
        raise DomainError("This payout has not failed; nothing to retry.")
    gateway = gateway or gateways.current_gateway()
    if payment.gateway != gateway.name:
        raise DomainError(msg("This payout started on {gateway}; switch the gateway back to retry it.", gateway=payment.gateway))
    request_key = payment.payout_request_key or payment.payout_key
    audit.record(session, actor, "payment.payout_retried", "engagement", engagement.id, key=request_key)
    if gateway.needs_payout_account:
        account = session.get(PayoutAccount, engagement.student_id)
        if account is None or not account.payouts_enabled:
            return msg("Not sent: the student's payout account cannot receive payouts yet. Ask them to finish Update payout details.")
    if send_waiting_payout(session, engagement, gateway, states=(PaymentState.PAYOUT_FAILED,), request_key=request_key):
        return msg("Payout sent.")
    return msg("Not sent: {message}", message=_Text(payment.message))


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
