"""A filled gig is completed once every one of its engagements is finished (paid or cancelled).

Its own module because both the review of work (engagements) and a payout sent later
(payments) finish engagements, and neither should import the other.
"""

from sqlmodel import Session, select

from microgigs.models import Engagement, Gig
from microgigs.services import gigs
from microgigs.services.engagement_lifecycle import FINISHED
from microgigs.services.statuses import GigStatus


def complete_gig_if_done(session: Session, gig: Gig) -> None:
    """A filled gig whose every engagement is finished is completed."""
    if gig.status not in (GigStatus.FILLED, GigStatus.IN_PROGRESS):
        return
    statuses = session.exec(select(Engagement.status).where(Engagement.gig_id == gig.id)).all()
    if statuses and all(s in FINISHED for s in statuses):
        if gig.status == GigStatus.FILLED:
            gigs.move_gig(session, None, gig, GigStatus.IN_PROGRESS)
        gigs.move_gig(session, None, gig, GigStatus.COMPLETED)
