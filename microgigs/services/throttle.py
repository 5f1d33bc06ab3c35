"""Throttles: how often a client, an email address, an account or a device may do something.

Each limit is a bucket (what is counted), a number and a window. A request names the keys it
counts against (the client's address, the address it mails, ...); when any of them is full the
request is refused with Throttled, which says how long to wait (HTTP routes answer 429 with
Retry-After). Counts live in the database (rate-limit hits, keys hashed), so every worker and
process shares them. A refused request is not counted: waiting is always enough.

The messages never depend on whether an address has an account: a request about an unknown
address counts and is refused exactly like one about a known address.

Failed sign-ins: a stranger's failures must slow an attacker without ever locking the owner out.
A browser the account signed in from before carries a device cookie (KnownDevice); failures from
such a device count only against that device. Failures from unknown browsers count per client
address, per client address and account, and per account for unknown browsers together -- so a
flood of guesses blocks new devices for that account for a while, but not the owner's own
phone or laptop, nor a password reset (which also makes that browser known).
"""

import hashlib
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session, select

from microgigs.i18n import Text, _, msg
from microgigs.models import KnownDevice, RateLimitHit, User, utcnow
from microgigs.services.errors import DomainError

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    bucket: str
    max_hits: int
    window: timedelta


# Self-service actions that send mail or create accounts: per address mailed (tight: nobody needs
# a fourth link within the hour) and per client address (loose: a whole workshop of students
# may sign up from one campus network address at once).
SIGN_UP_PER_CLIENT = Limit("sign_up:client", 100, HOUR)
SIGN_UP_PER_ADDRESS = Limit("sign_up:address", 3, HOUR)
RESET_PER_CLIENT = Limit("password_reset:client", 50, HOUR)
RESET_PER_ADDRESS = Limit("password_reset:address", 3, HOUR)
RESEND_PER_CLIENT = Limit("confirm_resend:client", 50, HOUR)
RESEND_PER_ACCOUNT = Limit("confirm_resend:account", 3, HOUR)
INVITE_PER_CLIENT = Limit("invite:client", 100, DAY)
INVITE_PER_INVITER = Limit("invite:inviter", 50, DAY)
INVITE_PER_ADDRESS = Limit("invite:address", 3, DAY)
# The public credential check (page and API): cheap to ask, RSA to answer.
CREDENTIAL_CHECK_PER_CLIENT = Limit("credential_check:client", 60, MINUTE)

# Failed sign-ins (see the module's doc). Per client address it is loose for the same reason as
# sign-ups (a lab behind one address); per client and account it is tight.
SIGN_IN_WINDOW = timedelta(minutes=15)
FAILURES_PER_KNOWN_DEVICE = Limit("sign_in_failure:device", 10, SIGN_IN_WINDOW)
FAILURES_PER_CLIENT_AND_ACCOUNT = Limit("sign_in_failure:client_account", 5, SIGN_IN_WINDOW)
FAILURES_PER_ACCOUNT_FROM_NEW_DEVICES = Limit("sign_in_failure:account", 10, SIGN_IN_WINDOW)
FAILURES_PER_CLIENT = Limit("sign_in_failure:client", 100, SIGN_IN_WINDOW)

KNOWN_DEVICE_DAYS = 365
TOO_MANY_REQUESTS = _("Too many requests like this one. Wait {wait} and try again.")
TOO_MANY_SIGN_INS = _(
    "Too many failed sign-ins. Wait {wait} and try again, sign in from a device you have used before, or reset your password."
)


class Throttled(DomainError):
    def __init__(self, template: str, retry_after: int):
        self.retry_after = max(1, retry_after)
        # The template is a literal msgid with a {wait} placeholder (in the catalogue).
        super().__init__(Text(template, wait=_in_words(self.retry_after)))


def _in_words(seconds: int) -> Text:
    if seconds == 1:
        return msg("1 second")
    if seconds < 90:
        return msg("{count} seconds", count=seconds)
    minutes = math.ceil(seconds / 60)
    if minutes < 90:
        return msg("{count} minutes", count=minutes)
    return msg("{count} hours", count=math.ceil(minutes / 60))


def key_of(*parts: object) -> str:
    """A stable key from what a limit counts against (lower-cased, so Ada@ and ada@ are one)."""
    return "\x1f".join(str(part).strip().lower() for part in parts)


def _hash(limit: Limit, key: str) -> str:
    # backslashreplace: a key typed into a page may hold a lone surrogate, which UTF-8 refuses.
    return hashlib.sha256(f"{limit.bucket}\x1f{key}".encode("utf-8", "backslashreplace")).hexdigest()


Counted = Sequence[tuple[Limit, str]]


def check(session: Session, counted: Counted, template: str = TOO_MANY_REQUESTS) -> None:
    """Raise Throttled when any (limit, key) is full; an empty key is not counted."""
    now = utcnow()
    wait = 0.0
    for limit, key in counted:
        if not key:
            continue
        # The max_hits-th newest hit in the window: while it is in the window, the bucket is full.
        filled_at = session.exec(
            select(RateLimitHit.created_at)
            .where(
                RateLimitHit.bucket == limit.bucket,
                RateLimitHit.key_hash == _hash(limit, key),
                RateLimitHit.created_at > now - limit.window,
            )
            .order_by(RateLimitHit.created_at.desc())
            .offset(limit.max_hits - 1)
            .limit(1)
        ).first()
        if filled_at is not None:
            filled_at = filled_at if filled_at.tzinfo else filled_at.replace(tzinfo=now.tzinfo)
            wait = max(wait, (filled_at + limit.window - now).total_seconds())
    if wait > 0:
        raise Throttled(template, math.ceil(wait))


def record(session: Session, counted: Counted) -> None:
    """Count one hit against each (limit, key); hits older than their window are pruned."""
    now = utcnow()
    for limit, key in counted:
        if not key:
            continue
        session.exec(delete(RateLimitHit).where(RateLimitHit.bucket == limit.bucket, RateLimitHit.created_at <= now - limit.window))
        session.add(RateLimitHit(bucket=limit.bucket, key_hash=_hash(limit, key), created_at=now))
    session.flush()


def hit(session: Session, counted: Counted, template: str = TOO_MANY_REQUESTS) -> None:
    """Check, then count this request (the usual case: every request counts)."""
    check(session, counted, template)
    record(session, counted)


# --- failed sign-ins and known devices ------------------------------------------------------


def _device_hash(device_token: str | None) -> str:
    return hashlib.sha256(device_token.encode()).hexdigest() if device_token else ""


def is_known_device(session: Session, email: str, device_token: str | None) -> bool:
    """Whether this browser's device cookie signed in to the account with this email before."""
    if not device_token or len(device_token) > 100:
        return False
    found = session.exec(
        select(KnownDevice.id)
        .join(User, User.id == KnownDevice.user_id)
        .where(User.email == key_of(email), KnownDevice.token_hash == _device_hash(device_token))
    ).first()
    return found is not None


def sign_in_failure_keys(session: Session, email: str, client: str, device_token: str | None) -> list[tuple[Limit, str]]:
    """What a failed sign-in with this email, from this client and browser, counts against."""
    if is_known_device(session, email, device_token):
        return [(FAILURES_PER_KNOWN_DEVICE, key_of(_device_hash(device_token), email))]
    return [
        (FAILURES_PER_CLIENT_AND_ACCOUNT, key_of(client, email)),
        (FAILURES_PER_ACCOUNT_FROM_NEW_DEVICES, key_of(email)),
        (FAILURES_PER_CLIENT, key_of(client)),
    ]


def remember_device(session: Session, user: User, device_token: str | None) -> str:
    """After a successful sign-in (or a reset from the mailed link): this browser is one of the
    account's own. Returns the device token the cookie should carry (the same one if it had one)."""
    token = device_token if device_token and len(device_token) <= 100 else secrets.token_urlsafe(24)
    digest = _device_hash(token)
    row = session.exec(select(KnownDevice).where(KnownDevice.token_hash == digest, KnownDevice.user_id == user.id)).first()
    if row is None:
        row = KnownDevice(token_hash=digest, user_id=user.id)
    row.last_seen_at = utcnow()
    session.add(row)
    session.flush()
    return token
