"""A gig's card: what a list of gigs (the board, saved gigs, recommendations, a posted
draft) shows of each, read with only the columns a card needs."""

from dataclasses import dataclass

from sqlmodel import Session, select

from microgigs.models import Gig, Organization
from microgigs.services.amounts import format_cents
from microgigs.services.gigs.lookups import skill_names_by_gig


@dataclass
class GigCard:
    """What the board shows of one gig."""

    id: int
    title: str
    summary: str
    employer: str
    category: str
    pay: str
    estimated_hours: int
    location_mode: str
    due_date: str
    application_deadline: str
    skills: list[str]
    status: str


def cards_for(session: Session, gigs_with_employer: list[tuple[Gig, str]]) -> list[GigCard]:
    """Cards for (gig, employer name) pairs; a gig may be a row with the card's columns."""
    skills = skill_names_by_gig(session, [g.id for g, _ in gigs_with_employer])
    return [
        GigCard(
            id=g.id,
            title=g.title,
            summary=g.summary,
            employer=employer,
            category=g.category,
            pay=format_cents(g.pay_cents, g.currency),
            estimated_hours=g.estimated_hours,
            location_mode=g.location_mode,
            due_date=g.due_date.isoformat(),
            application_deadline=g.application_deadline.isoformat(),
            skills=skills[g.id],
            status=g.status,
        )
        for g, employer in gigs_with_employer
    ]


def cards_by_ids(session: Session, gig_ids: list[int]) -> list[GigCard]:
    """Cards for these gigs, in the order given: two queries, only the columns a card shows."""
    if not gig_ids:
        return []
    rows = (
        session.connection()
        .execute(
            select(
                Gig.id,
                Gig.title,
                Gig.summary,
                Gig.category,
                Gig.pay_cents,
                Gig.currency,
                Gig.estimated_hours,
                Gig.location_mode,
                Gig.due_date,
                Gig.application_deadline,
                Gig.status,
                Organization.name.label("employer"),
            )
            .join(Organization, Organization.id == Gig.organization_id)
            .where(Gig.id.in_(gig_ids))
        )
        .all()
    )
    by_id = {row.id: (row, row.employer) for row in rows}
    return cards_for(session, [by_id[i] for i in gig_ids if i in by_id])
