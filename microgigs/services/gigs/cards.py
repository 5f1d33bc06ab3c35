"""A gig's card: what a list of gigs (the board, saved gigs, recommendations, a posted
draft) shows of each, read with only the columns a card needs.

A card's shown texts (pay, deadline, due date) are for one reader: `cards_for` writes them in
English for the gig's own zone (what a kept board page holds), `localize` again for a viewer's
language and zone (a state does, with `self.language` and the person's User.timezone)."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from microgigs import i18n
from microgigs.models import Gig, Organization
from microgigs.services.gigs.deadlines import shown_day, shown_deadline
from microgigs.services.gigs.lookups import skill_names_by_gig


@dataclass
class GigCard:
    """What the board shows of one gig."""

    id: int
    title: str
    summary: str
    employer: str
    category: str
    pay: str  # for the reader: "$1,234.50" / "1234,50 US$"
    estimated_hours: int
    location_mode: str
    due_date: str  # ISO day ("2026-12-30")
    application_deadline: str  # ISO day: the last day to apply, ending 23:59 in `timezone`
    skills: list[str]
    status: str
    pay_cents: int = 0  # in the currency's minor units
    currency: str = "usd"
    timezone: str = "UTC"  # the gig's own zone (an IANA name)
    deadline_text: str = ""  # for the reader: "Dec 26, 2026, 11:59 PM EST" in their zone
    deadline_note: str = ""  # "" or, when the reader's zone is not the gig's, "(end of Dec 26 in America/New_York)"
    due_text: str = ""  # for the reader: "Dec 30, 2026"


def localize(card: GigCard, language: str, viewer_tz: str | None = None) -> GigCard:
    """Write `card`'s shown texts for a reader of `language` in zone `viewer_tz` (None: a
    visitor, shown the gig's own zone), in place; returns the card."""
    if card.application_deadline:
        shown = shown_deadline(date.fromisoformat(card.application_deadline), card.timezone, language, viewer_tz)
        card.deadline_text, card.deadline_note = shown.text, shown.note
    if card.due_date:
        card.due_text = shown_day(date.fromisoformat(card.due_date), language)
    if card.currency:
        card.pay = i18n.format_money(card.pay_cents, card.currency, language)
    return card


def localize_all(cards: list[GigCard], language: str, viewer_tz: str | None = None) -> list[GigCard]:
    for card in cards:
        localize(card, language, viewer_tz)
    return cards


def cards_for(session: Session, gigs_with_employer: list[tuple[Gig, str]]) -> list[GigCard]:
    """Cards for (gig, employer name) pairs; a gig may be a row with the card's columns."""
    skills = skill_names_by_gig(session, [g.id for g, _ in gigs_with_employer])
    return [
        localize(
            GigCard(
                id=g.id,
                title=g.title,
                summary=g.summary,
                employer=employer,
                category=g.category,
                pay="",
                estimated_hours=g.estimated_hours,
                location_mode=g.location_mode,
                due_date=g.due_date.isoformat(),
                application_deadline=g.application_deadline.isoformat(),
                skills=skills[g.id],
                status=g.status,
                pay_cents=g.pay_cents,
                currency=g.currency,
                timezone=g.timezone or "UTC",
            ),
            i18n.DEFAULT,
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
                Gig.timezone,
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
