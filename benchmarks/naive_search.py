"""The board search as naive LIKE scans: the baseline the search benchmark measures the
full-text index against, and that the search tests hold its results to.

Not part of the app. It asks the same filters and sort as `search.search_gigs` (through
`search.filter_conditions` and `search.sort_columns`) but finds each word with a LIKE over
title, summary, employer and skills, and counts and sorts every match.
"""

from datetime import date

from sqlalchemy import func, or_
from sqlmodel import Session, select

from microgigs.models import Gig, GigSkill, Organization, Skill
from microgigs.services import search


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def like_search(session: Session, query: search.BoardQuery, *, per_page: int = 20, today: date | None = None) -> search.SearchResult:
    """One page of the gigs matching `query`, in its sort order, with every match counted."""
    conditions, skill_ids = search.filter_conditions(session, query, today or date.today())
    stmt = select(Gig.id)
    text_words = search.words(query.q)
    if text_words:
        stmt = stmt.join(Organization, Organization.id == Gig.organization_id)
        concat = func.group_concat if session.get_bind().dialect.name == "sqlite" else func.string_agg
        skill_text = (
            select(concat(Skill.name, " ")).join(GigSkill, GigSkill.skill_id == Skill.id).where(GigSkill.gig_id == Gig.id).scalar_subquery()
        )
        for word in text_words:
            pattern = _like(word)
            conditions.append(
                or_(
                    Gig.title.ilike(pattern, escape="\\"),
                    Gig.summary.ilike(pattern, escape="\\"),
                    Organization.name.ilike(pattern, escape="\\"),
                    func.coalesce(skill_text, "").ilike(pattern, escape="\\"),
                )
            )
    if skill_ids:
        conditions.append(Gig.id.in_(select(GigSkill.gig_id).where(GigSkill.skill_id.in_(skill_ids))))
    matching = stmt.where(*conditions)
    total = session.exec(select(func.count()).select_from(matching.subquery())).one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, query.page), pages)
    ordered = matching.order_by(*search.sort_columns(query.sort)).offset((page - 1) * per_page).limit(per_page)
    return search.SearchResult(gig_ids=list(session.connection().execute(ordered).scalars()), total=total, page=page, pages=pages)
