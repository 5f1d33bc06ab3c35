"""Delivering the mail queue: claim due mail, make its one-time link, record what happened.

The outbox table is the queue (integrations/mail.send writes it in the action's own
transaction). A worker claims due rows (an atomic update, so several processes never send
the same row at once), and for each one:
1. `prepare` makes the mail as it leaves: a mail with a one-time link gets a fresh token now
   (its hash replaces the stored one), so the token exists in clear only in that message. A
   link that was replaced, used or expired meanwhile is not sent (cancelled, with the reason).
2. the caller commits, then sends it (integrations/mail.transmit), outside any transaction;
3. `record_sent` or `record_failure`: a failure is tried again later (growing delays), and
   after MAX_ATTEMPTS, or at once when retrying cannot help, the mail is failed with its reason
   for staff (/admin/outbox), who may send it again.

A claim is a lease: a worker that dies mid-send leaves the row "sending" until the lease
lapses, then any worker takes it again. Nothing is lost; at worst a mail leaves twice (the
earlier copy's link then no longer works).
"""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from microgigs.integrations.mail import TOKEN_MASK, DeliveryFailed, OutgoingMail
from microgigs.models import OneTimeToken, OutboxMail, User, utcnow
from microgigs.services import account_security, accounts, audit, policy
from microgigs.services.errors import DomainError, NotFound

# Delay before the 2nd, 3rd, ... try: about two days from the first try to the last.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=8),
    timedelta(hours=24),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
LEASE = timedelta(minutes=10)  # far longer than an SMTP conversation may take (its timeout)
LINK_GONE = "Not sent: its one-time link was replaced by a newer one, used or expired first."


def claim_due(session: Session, now: datetime | None = None, limit: int = 20) -> list[int]:
    """Claim up to `limit` mails that are due for this worker; commits nothing. Mail carrying a
    one-time link goes first (someone is waiting for it), then the oldest."""
    now = now or utcnow()
    candidates = session.exec(
        select(OutboxMail.id)
        .where(OutboxMail.status.in_(("queued", "sending")), OutboxMail.next_attempt_at <= now)
        .order_by(OutboxMail.token_id.is_(None), OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(limit)
    ).all()
    return [mail_id for mail_id in candidates if claim(session, mail_id, now)]


def claim(session: Session, mail_id: int, now: datetime | None = None) -> bool:
    """Claim one due mail for this worker (a lease of LEASE); False when another worker has it
    or it is not due. Only one worker's update matches: the row is no longer due once claimed."""
    now = now or utcnow()
    result = session.exec(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, OutboxMail.status.in_(("queued", "sending")), OutboxMail.next_attempt_at <= now)
        .values(status="sending", next_attempt_at=now + LEASE, attempts=OutboxMail.attempts + 1)
    )
    return result.rowcount == 1


def _token_usable(row: OneTimeToken | None, now: datetime) -> bool:
    """Whether the link the mail carries still works (not used, replaced or expired)."""
    if row is None:
        return False
    try:
        account_security.check_unspent(row, now)
    except DomainError:
        return False
    return True


def prepare(session: Session, mail_id: int, now: datetime | None = None) -> OutgoingMail | None:
    """The claimed mail as it leaves, its one-time token (if any) made now; None when it must not
    leave (its link is gone: the mail is cancelled). The caller commits before sending."""
    now = now or utcnow()
    # Read afresh: the claim was a bulk update.
    mail = session.get(OutboxMail, mail_id, populate_existing=True)
    if mail is None or mail.status != "sending":
        return None
    text, html = mail.text_body, mail.html_body
    if mail.token_id is not None:
        token = session.get(OneTimeToken, mail.token_id, populate_existing=True)
        if not _token_usable(token, now):
            mail.status, mail.last_error = "cancelled", LINK_GONE
            session.add(mail)
            session.flush()
            return None
        raw = secrets.token_urlsafe(32)
        token.token_hash = accounts.hash_token(raw)
        session.add(token)
        session.flush()
        text, html = text.replace(TOKEN_MASK, raw), html.replace(TOKEN_MASK, raw)
    return OutgoingMail(mail_id=mail.id, to_address=mail.to_address, subject=mail.subject, text_body=text, html_body=html)


def record_sent(session: Session, mail_id: int, now: datetime | None = None) -> None:
    mail = session.get(OutboxMail, mail_id)
    if mail is None:
        return
    mail.status, mail.sent_at, mail.last_error = "sent", now or utcnow(), ""
    session.add(mail)


def record_failure(session: Session, mail_id: int, failure: DeliveryFailed, now: datetime | None = None) -> None:
    """Try again later, or give up (for good or after MAX_ATTEMPTS) keeping the reason for staff."""
    now = now or utcnow()
    mail = session.get(OutboxMail, mail_id)
    if mail is None:
        return
    mail.last_error = failure.reason[:500]
    if failure.permanent or mail.attempts >= MAX_ATTEMPTS:
        mail.status = "failed"
    else:
        mail.status = "queued"
        mail.next_attempt_at = now + RETRY_DELAYS[min(mail.attempts, len(RETRY_DELAYS)) - 1]
    session.add(mail)


def send_again(session: Session, actor: User | None, mail_id: int) -> OutboxMail:
    """Staff put a failed mail back in the queue (after fixing the SMTP settings, say)."""
    policy.require(policy.is_staff(actor), "Only career-center staff and admins can send mail again.")
    mail = session.get(OutboxMail, mail_id)
    if mail is None:
        raise NotFound("That mail")
    if mail.status != "failed":
        raise DomainError("Only a mail that failed can be sent again.")
    mail.status, mail.attempts, mail.next_attempt_at = "queued", 0, utcnow()
    session.add(mail)
    audit.record(session, actor, "mail.sent_again", "outboxmail", mail.id)
    session.flush()
    return mail
