"""A student's saved gigs: save, unsave, and the list of the ones still public."""

from sqlmodel import Session, select

from microgigs.i18n import _
from microgigs.models import Gig, SavedGig, User
from microgigs.services import policy
from microgigs.services.errors import NotFound
from microgigs.services.gigs.cards import GigCard, cards_by_ids
from microgigs.services.gigs.lookups import get_gig
from microgigs.services.gigs.vocabulary import PUBLIC_STATUSES


def save_gig(session: Session, actor: User, gig_id: int) -> None:
    policy.require(policy.is_student(actor), _("Only students can save gigs."))
    gig = get_gig(session, gig_id)
    if gig.status not in PUBLIC_STATUSES:
        raise NotFound("That gig")
    if session.get(SavedGig, (actor.id, gig.id)) is None:
        session.add(SavedGig(user_id=actor.id, gig_id=gig.id))
        session.flush()


def unsave_gig(session: Session, actor: User, gig_id: int) -> None:
    policy.require(policy.is_student(actor), _("Only students can save gigs."))
    row = session.get(SavedGig, (actor.id, gig_id))
    if row is not None:
        session.delete(row)
        session.flush()


def is_saved(session: Session, actor: User | None, gig_id: int) -> bool:
    return policy.is_student(actor) and session.get(SavedGig, (actor.id, gig_id)) is not None


def saved_gig_ids(session: Session, actor: User) -> list[int]:
    """The ids of the student's saved gigs that are still visible, most recently saved first
    (what the board marks as saved: one query, no cards)."""
    policy.require(policy.is_student(actor), _("Only students have saved gigs."))
    return list(
        session.exec(
            select(SavedGig.gig_id)
            .join(Gig, Gig.id == SavedGig.gig_id)
            .where(SavedGig.user_id == actor.id, Gig.status.in_(PUBLIC_STATUSES))
            .order_by(SavedGig.created_at.desc())
        )
    )


def saved_cards(session: Session, actor: User) -> list[GigCard]:
    """The student's saved gigs that are still visible, most recently saved first."""
    return cards_by_ids(session, saved_gig_ids(session, actor))
