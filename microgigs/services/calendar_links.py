"""A person's private calendar link: <public url>/calendar/<token>.ics.

Whoever holds the URL reads the feed (calendar apps send no cookie), so the token is a secret:
made here, shown once to its owner, and kept only as its SHA-256 (like sign-in sessions). One
link per person: making a new one replaces the old (which stops working at once), revoking
deletes it. Both are audited, like the other changes to how an account is reached.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from microgigs.i18n import _
from microgigs.models import CalendarFeed, User, utcnow
from microgigs.services import accounts, audit, policy
from microgigs.services.errors import NotFound
from microgigs.settings import get_settings

ROUTE_PREFIX = "/calendar/"
NOT_YOURS = _("Calendar links are for students and employer managers.")
MAX_TOKEN_CHARS = 100  # a token we made is 43; anything longer is not one of ours


@dataclass(frozen=True)
class CalendarLink:
    """What the account page shows: whether a link exists and since when. `url` holds the link
    only right after it was made (the database cannot give it back)."""

    exists: bool
    created_at: datetime | None = None
    url: str = ""


def feed_url(token: str) -> str:
    return f"{get_settings().public_url.rstrip('/')}{ROUTE_PREFIX}{token}.ics"


def link_of(session: Session, actor: User | None) -> CalendarLink:
    policy.require(policy.may_keep_calendar_feed(actor), NOT_YOURS)
    row = session.get(CalendarFeed, actor.id)
    return CalendarLink(exists=row is not None, created_at=row.created_at if row else None)


def create_link(session: Session, actor: User | None) -> CalendarLink:
    """A new link for the actor; an existing one is replaced and stops working now."""
    policy.require(policy.may_keep_calendar_feed(actor), NOT_YOURS)
    token = secrets.token_urlsafe(32)
    row = session.get(CalendarFeed, actor.id)
    replaced = row is not None
    if row is None:
        row = CalendarFeed(user_id=actor.id, token_hash="")
    row.token_hash = accounts.hash_token(token)
    row.created_at = utcnow()
    session.add(row)
    session.flush()
    audit.record(session, actor, "calendar_link.replaced" if replaced else "calendar_link.created", "user", actor.id)
    return CalendarLink(exists=True, created_at=row.created_at, url=feed_url(token))


def revoke_link(session: Session, actor: User | None) -> None:
    """The actor's link stops working (nothing to revoke is not an error: the result is the same)."""
    policy.require(policy.may_keep_calendar_feed(actor), NOT_YOURS)
    row = session.get(CalendarFeed, actor.id)
    if row is not None:
        session.delete(row)
        session.flush()
        audit.record(session, actor, "calendar_link.revoked", "user", actor.id)


def owner_of_token(session: Session, token: str | None) -> User:
    """The person whose live link this token is; NotFound for an unknown or revoked token, and for
    an account that may no longer keep one (deleted, deactivated, no longer a student or manager)."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        raise NotFound("That calendar")
    row = session.exec(select(CalendarFeed).where(CalendarFeed.token_hash == accounts.hash_token(token))).first()
    user = session.get(User, row.user_id) if row is not None else None
    if user is None or user.deleted_at is not None or not policy.may_keep_calendar_feed(user):
        raise NotFound("That calendar")
    return user
