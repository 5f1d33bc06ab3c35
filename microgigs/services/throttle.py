"""Failed sign-in throttling, per account (email as typed) and per client address.

Too many failures in the window -> sign-in is refused for a while, with one message
whether or not the email names an account (so it reveals nothing).
"""

from datetime import timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, select

from microgigs.models import SignInAttempt, utcnow
from microgigs.services.errors import DomainError

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_ADDRESS = 20
TOO_MANY = "Too many failed sign-ins. Wait 15 minutes and try again, or reset your password."


class Throttled(DomainError):
    def __init__(self) -> None:
        super().__init__(TOO_MANY)


def _key(email: str) -> str:
    return (email or "").strip().lower()[:254]


def check(session: Session, email: str, ip_address: str) -> None:
    """Raise Throttled when this email or this address has failed too often lately."""
    since = utcnow() - WINDOW
    by_email = session.exec(
        select(func.count()).select_from(SignInAttempt).where(SignInAttempt.email == _key(email), SignInAttempt.created_at > since)
    ).one()
    if by_email >= MAX_FAILURES_PER_EMAIL:
        raise Throttled()
    if ip_address:
        by_address = session.exec(
            select(func.count())
            .select_from(SignInAttempt)
            .where(SignInAttempt.ip_address == ip_address[:64], SignInAttempt.created_at > since)
        ).one()
        if by_address >= MAX_FAILURES_PER_ADDRESS:
            raise Throttled()


def record_failure(session: Session, email: str, ip_address: str) -> None:
    """Count one failed sign-in; old rows are pruned as we go."""
    session.exec(delete(SignInAttempt).where(SignInAttempt.created_at <= utcnow() - WINDOW))
    session.add(SignInAttempt(email=_key(email), ip_address=(ip_address or "")[:64]))
    session.flush()


def clear_for_email(session: Session, email: str) -> None:
    """A successful sign-in forgets this account's failures (not the address's)."""
    session.exec(delete(SignInAttempt).where(SignInAttempt.email == _key(email)))
