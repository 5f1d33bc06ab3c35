"""Gigs recommended to a student: open gigs that ask for the student's skills, and why."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from microgigs.i18n import msg
from microgigs.models import Gig, GigSkill, StudentProfile, User
from microgigs.services import policy
from microgigs.services.gigs.cards import GigCard, cards_by_ids
from microgigs.services.gigs.lookups import skill_names_by_gig, student_skill_ids
from microgigs.services.statuses import GigStatus


@dataclass
class Recommendation:
    card: GigCard
    reason: str
    matched: int


RECOMMEND_FROM_NEWEST = 2_000


def recommended_for(session: Session, actor: User | None, *, limit: int = 5, today: date | None = None) -> list[Recommendation]:
    """Open gigs ranked by how many of their skills the student has, then by whether the
    hours fit the student's week; the reason says why ("3 of 4 skills · fits your 10 hours a
    week"): a message (i18n.Text) the state shows in the reader's language."""
    if not policy.is_student(actor):
        return []
    today = today or date.today()
    mine = student_skill_ids(session, actor)
    if not mine:
        return []
    matched_count = func.count(GigSkill.skill_id).label("matched")
    # Recommendations come from the newest open gigs (read from the board's index), so a
    # board of 100,000 gigs costs no more than one of a few thousand.
    newest_open = (
        select(Gig.id)
        .where(Gig.status == GigStatus.OPEN, Gig.application_deadline >= today)
        .order_by(Gig.published_at.desc(), Gig.id.desc())
        .limit(RECOMMEND_FROM_NEWEST)
    )
    candidates = session.exec(
        select(Gig.id, matched_count)
        .join(GigSkill, GigSkill.gig_id == Gig.id)
        .where(Gig.id.in_(newest_open), GigSkill.skill_id.in_(mine))
        .group_by(Gig.id)
        .order_by(matched_count.desc(), Gig.id.desc())
        .limit(200)
    ).all()
    if not candidates:
        return []
    profile = session.get(StudentProfile, actor.id)
    weekly = profile.hours_per_week if profile else 10
    gig_rows = {g.id: g for g in session.exec(select(Gig).where(Gig.id.in_([c[0] for c in candidates])))}
    totals = {gid: len(names) for gid, names in skill_names_by_gig(session, list(gig_rows)).items()}

    def fits(gig: Gig) -> bool:
        weeks = max(1.0, (gig.due_date - today).days / 7)
        return gig.estimated_hours / weeks <= weekly

    ranked = sorted(
        candidates,
        key=lambda c: (c[1] / max(1, totals[c[0]]), c[1], fits(gig_rows[c[0]]), c[0]),
        reverse=True,
    )[:limit]
    cards = {card.id: card for card in cards_by_ids(session, [gid for gid, _ in ranked])}
    out = []
    for gid, matched in ranked:
        if fits(gig_rows[gid]):
            reason = msg("{matched} of {total} skills · fits your {hours} hours a week", matched=matched, total=totals[gid], hours=weekly)
        else:
            reason = msg(
                "{matched} of {total} skills · more than your {hours} hours a week", matched=matched, total=totals[gid], hours=weekly
            )
        out.append(Recommendation(card=cards[gid], reason=reason, matched=matched))
    return out
