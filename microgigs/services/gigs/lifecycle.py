"""The gig lifecycle: which status may follow which, and `move_gig`, the only code that
changes a gig's status.

draft -> in_review -> open -> filled -> in_progress -> completed; side exits rejected
(back to draft when edited), cancelled and expired. Who may ask for a move is the caller's
rule (publishing, drafts, applications, engagements, gig_completion, closing); this module
only moves.
"""

from collections.abc import Mapping

from sqlmodel import Session

from microgigs.models import Gig, User
from microgigs.services.lifecycle import Lifecycle
from microgigs.services.statuses import GigStatus

# Allowed moves; anything else is refused with a readable reason.
MOVES: Mapping[GigStatus, frozenset[GigStatus]] = {
    GigStatus.DRAFT: frozenset({GigStatus.IN_REVIEW, GigStatus.OPEN, GigStatus.CANCELLED}),
    GigStatus.IN_REVIEW: frozenset({GigStatus.OPEN, GigStatus.REJECTED, GigStatus.CANCELLED}),
    GigStatus.OPEN: frozenset({GigStatus.FILLED, GigStatus.CANCELLED, GigStatus.EXPIRED}),
    GigStatus.FILLED: frozenset({GigStatus.IN_PROGRESS, GigStatus.COMPLETED, GigStatus.CANCELLED}),
    GigStatus.IN_PROGRESS: frozenset({GigStatus.COMPLETED, GigStatus.CANCELLED}),
    GigStatus.REJECTED: frozenset({GigStatus.DRAFT}),
    GigStatus.COMPLETED: frozenset(),
    GigStatus.CANCELLED: frozenset(),
    GigStatus.EXPIRED: frozenset(),
}

# Every move stamps updated_at (the review queue is oldest first by it).
GIG = Lifecycle("gig", MOVES, moved_at="updated_at")


def move_gig(session: Session, actor: User | None, gig: Gig, new_status: str, reason: str = "") -> Gig:
    """Apply one lifecycle move after the caller has authorized it: the status, its reason and
    the audit row ("gig.<status>", with the previous status and the reason), or a readable
    refusal with nothing written. A gig's first opening is its publication date."""
    GIG.move(session, actor, gig, new_status, reason=reason)
    gig.status_reason = reason
    if new_status == GigStatus.OPEN and gig.published_at is None:
        # Published once: a gig keeps the date it first opened.
        gig.published_at = gig.updated_at
    return gig
