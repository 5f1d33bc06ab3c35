"""The bulk mail a person wants, and the one-click unsubscribe that turns a kind of it off.

Three kinds of mail are bulk mail (RFC 8058's sense: the person may stop them without harm):
  alerts         a saved search's new gigs (services/alerts.py); the in-app alert stays
  digest         the weekly email of gigs recommended for the student's skills (opt-in)
  notifications  mail copies of in-app notifications (services/notifications.py); the in-app
                 notification stays
Each such mail leaves with `List-Unsubscribe: <…/unsubscribe/TOKEN>` and
`List-Unsubscribe-Post: List-Unsubscribe=One-Click`. The token names one person and one kind,
is made as the mail leaves (services/mail_queue.py), and only its SHA-256 is stored.

Mail that must arrive (confirm your address, reset your password, an invitation to a team)
carries no unsubscribe: it is sent because the person (or their team) just asked for it, and
turning it off would lock them out.
"""

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, select

from microgigs.i18n import Text, _, msg
from microgigs.models import MailPreference, UnsubscribeToken, User
from microgigs.services import policy
from microgigs.services.errors import DomainError, NotFound
from microgigs.settings import get_settings

ALERTS, DIGEST, NOTIFICATIONS = "alerts", "digest", "notifications"
KINDS = (ALERTS, DIGEST, NOTIFICATIONS)
# What an unsubscribe turns off, in words (the unsubscribe page says it).
KIND_NAMES = {
    ALERTS: msg("emails about new gigs matching your saved searches"),
    DIGEST: msg("the weekly email of gigs recommended for your skills"),
    NOTIFICATIONS: msg("email copies of your notifications"),
}


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def preference(session: Session, user_id: int) -> MailPreference:
    """The person's preferences (the defaults, unsaved, when they never chose)."""
    return session.get(MailPreference, user_id) or MailPreference(user_id=user_id)


def wants(session: Session, user_id: int, kind: str) -> bool:
    """Whether this person wants mail of this kind now."""
    chosen = preference(session, user_id)
    if kind == ALERTS:
        return chosen.alert_mail
    if kind == DIGEST:
        return chosen.weekly_digest
    return chosen.notification_mail


def _set(session: Session, user_id: int, kind: str, on: bool) -> None:
    chosen = preference(session, user_id)
    if kind == ALERTS:
        chosen.alert_mail = on
    elif kind == DIGEST:
        chosen.weekly_digest = on
    else:
        chosen.notification_mail = on
    session.add(chosen)
    session.flush()


@dataclass
class MailChoices:
    weekly_digest: bool
    alert_mail: bool
    notification_mail: bool


def my_choices(session: Session, actor: User | None) -> MailChoices:
    policy.require(policy.is_signed_in(actor), _("Sign in to see your email choices."))
    chosen = preference(session, actor.id)
    return MailChoices(weekly_digest=chosen.weekly_digest, alert_mail=chosen.alert_mail, notification_mail=chosen.notification_mail)


def set_choice(session: Session, actor: User | None, kind: str, on: bool) -> MailChoices:
    """Turn one kind of bulk mail on or off for oneself (alerts and the digest are students')."""
    policy.require(policy.is_signed_in(actor), _("Sign in to choose your emails."))
    if kind not in KINDS:
        raise DomainError("Choose which emails to turn on or off.", "kind")
    if kind in (ALERTS, DIGEST):
        policy.require(policy.is_student(actor), _("Only students get alerts and the weekly digest."))
    _set(session, actor.id, kind, on is True)
    return my_choices(session, actor)


def set_weekly_digest(session: Session, actor: User | None, on: bool) -> MailChoices:
    """A student turns the weekly digest on or off (off for new accounts)."""
    policy.require(policy.is_student(actor), _("Only students get the weekly digest."))
    return set_choice(session, actor, DIGEST, on)


# --- one-click unsubscribe ----------------------------------------------------------------------


def unsubscribe_url(session: Session, user_id: int, kind: str) -> str:
    """A new unsubscribe link for this person and kind (called as the mail leaves: the token
    exists in clear only in that message)."""
    raw = secrets.token_urlsafe(32)
    session.add(UnsubscribeToken(token_hash=_hash(raw), user_id=user_id, kind=kind))
    session.flush()
    return f"{get_settings().public_url.rstrip('/')}/unsubscribe/{raw}"


def _token(session: Session, raw: str) -> UnsubscribeToken:
    row = session.exec(select(UnsubscribeToken).where(UnsubscribeToken.token_hash == _hash(raw[:200]))).first() if raw else None
    if row is None or row.kind not in KINDS:
        raise NotFound("That unsubscribe link")
    return row


def describe(session: Session, raw: str) -> Text:
    """What the link turns off, in words (the GET page); NotFound for a link that is not one."""
    return KIND_NAMES[_token(session, raw).kind]


def unsubscribe(session: Session, raw: str) -> Text:
    """The one-click POST (RFC 8058): the link itself is the proof, no sign-in, no cookie.
    Turns that kind of mail off for that person (again: a no-op) and says what in words."""
    row = _token(session, raw)
    _set(session, row.user_id, row.kind, False)
    return KIND_NAMES[row.kind]


def forget_person(session: Session, user_id: int) -> None:
    """A deleted account's choices and unsubscribe links: gone (its links then lead nowhere)."""
    session.exec(delete(UnsubscribeToken).where(UnsubscribeToken.user_id == user_id))
    session.exec(delete(MailPreference).where(MailPreference.user_id == user_id))
