"""Change notices: which topics a committed transaction touched. No Reflex here.

Every flush looks at the rows it writes and records the topics they belong to
(`engagement:17`, `gig:4`, `user:9`) on the session (`session.info`). When the
transaction commits, the collected topics go to every registered listener (the app
registers `microgigs.live`); a rollback forgets them. Because the notice comes from the
rows themselves, every writer publishes: services called from states, background jobs,
and our HTTP routes alike, and no service can forget to.
"""

from collections.abc import Callable, Iterable

from sqlalchemy import event
from sqlalchemy.orm import Session

from microgigs.models import (
    Application,
    CenterSettings,
    Engagement,
    Gig,
    GigSkill,
    Notification,
    Organization,
    ScreeningQuestion,
    Skill,
    Submission,
)

_KEY = "microgigs.changed_topics"
# Something the board or a gig page shows to everyone changed (services/kept_reads.py).
BOARD_TOPIC = "board"
# The center's own settings changed (services/center.py keeps them).
CENTER_TOPIC = "center"
_listeners: list[Callable[[frozenset[str]], None]] = []
# Read models kept in memory (the board's pages): told of every committed change, this
# process's (at commit) and other workers' (live's Redis fan-out calls `tell_caches`).
_caches: list[Callable[[frozenset[str]], None]] = []


def topics_of(row: object) -> set[str]:
    """The topics a written row belongs to (what pages showing it subscribe to)."""
    if isinstance(row, Engagement):
        return {f"engagement:{row.id}", f"gig:{row.gig_id}", f"user:{row.student_id}"}
    if isinstance(row, Submission):
        return {f"engagement:{row.engagement_id}"}
    if isinstance(row, Application):
        return {f"gig:{row.gig_id}", f"user:{row.student_id}"}
    if isinstance(row, Notification):
        return {f"user:{row.user_id}"}
    if isinstance(row, Gig):
        return {f"gig:{row.id}", BOARD_TOPIC}
    if isinstance(row, (GigSkill, ScreeningQuestion)):
        return {f"gig:{row.gig_id}", BOARD_TOPIC}
    if isinstance(row, (Organization, Skill)):
        return {BOARD_TOPIC}
    if isinstance(row, CenterSettings):
        # services/center.py keeps the merged settings; the board shows amounts in its currency.
        return {CENTER_TOPIC, BOARD_TOPIC}
    engagement_id = getattr(row, "engagement_id", None)
    if engagement_id is not None and type(row).__name__ in _ENGAGEMENT_ROWS:
        return {f"engagement:{engagement_id}"}
    return set()


# Tables keyed by engagement whose rows a workspace shows (added by the workspace work).
_ENGAGEMENT_ROWS: set[str] = {"EngagementMessage", "ExtensionRequest", "Milestone", "EngagementPayment"}


def touch(session: Session, *topics: str) -> None:
    """Record topics by hand (for a change no row above describes)."""
    session.info.setdefault(_KEY, set()).update(t for t in topics if t)


def add_cache(forget: Callable[[frozenset[str]], None]) -> None:
    if forget not in _caches:
        _caches.append(forget)


def tell_caches(topics: frozenset[str]) -> None:
    """Changes committed (here or by another worker): the caches drop what they alter."""
    for forget in list(_caches):
        forget(topics)


def pending(session: Session) -> set[str]:
    return set(session.info.get(_KEY, set()))


def add_listener(listener: Callable[[frozenset[str]], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def remove_listener(listener: Callable[[frozenset[str]], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def _collect(session: Session, rows: Iterable[object]) -> None:
    found: set[str] = set()
    for row in rows:
        found |= topics_of(row)
    if found:
        touch(session, *found)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    # After the flush every new row has its id.
    _collect(session, list(session.new) + list(session.dirty) + list(session.deleted))


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    topics = frozenset(session.info.pop(_KEY, set()))
    if not topics:
        return
    tell_caches(topics)  # before anyone is told to read again
    for listener in list(_listeners):
        try:
            listener(topics)
        except Exception:
            import logging

            logging.getLogger("microgigs.changes").exception("change listener failed")


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)
