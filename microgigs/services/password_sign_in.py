"""Signing in with an email address and a password: who is slowed down, and what a failure counts.

A failed sign-in must slow an attacker without locking the owner out (services/throttle.py):
the attempt is refused before the password is checked while its failure keys are full (a
refused guess costs no hashing and tells nothing), and a wrong password counts against those
keys. That count must outlive the refusal, so a wrong password is an answer here, not an
error: the caller's unit of work commits the count and shows the message.
"""

from dataclasses import dataclass

from sqlmodel import Session

from microgigs.models import User
from microgigs.services import accounts, sso, throttle
from microgigs.services.errors import DomainError


@dataclass(frozen=True)
class Attempt:
    """A sign-in that was checked: the account, or (`user` None) the message for a failure,
    which has been counted."""

    user: User | None
    failure: str = ""


def attempt(session: Session, email: str, password: str, *, client: str, device_token: str | None) -> Attempt:
    """Check `email` and `password` from this client address and browser (its device cookie).

    Raises throttle.Throttled while this attempt's failure keys are full (nothing counted), and
    sso.SsoRequired for the right password of an account that signs in through the campus (not
    a failure: the password was right)."""
    failure_keys = throttle.sign_in_failure_keys(session, email, client, device_token)
    throttle.check(session, failure_keys, throttle.TOO_MANY_SIGN_INS)
    try:
        user = accounts.authenticate(session, email, password)
    except DomainError as error:
        throttle.record(session, failure_keys)
        return Attempt(user=None, failure=error.message)
    sso.check_local_sign_in(session, user)
    return Attempt(user=user)
