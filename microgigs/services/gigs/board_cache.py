"""The board page and the gig page as anyone sees them who has no skills to match and manages
nothing (visitors, students without skills), kept between readers (services/kept_reads.py:
dropped when a `board` change notice or 30 seconds say so).

What is kept is the same for every reader: its cards' pay and deadline are written in English
for each gig's own zone, and each reader gets a copy that the state (or the first page's HTML)
writes again for their language and zone (cards.localize): one kept page serves both languages."""

import dataclasses
from datetime import date

from sqlmodel import Session

from microgigs.models import User
from microgigs.services import search
from microgigs.services.errors import DomainError
from microgigs.services.gigs.board import BoardPage, GigDetail, gig_detail, list_board
from microgigs.services.gigs.cards import GigCard
from microgigs.services.kept_reads import KeptReads

BOARD_PAGES: KeptReads[BoardPage] = KeptReads("board pages")
GIG_PAGES: KeptReads[GigDetail | None] = KeptReads("gig pages", max_entries=1024)


def shared_board_page(session: Session, filters: search.BoardQuery, per_page: int, today: date | None = None) -> BoardPage:
    """`list_board` for these filters with no skills to match, kept between readers."""
    today = today or date.today()
    page = BOARD_PAGES.get((filters.url(), per_page, today), lambda: list_board(session, filters=filters, per_page=per_page, today=today))
    return dataclasses.replace(page, cards=[_copy_card(card) for card in page.cards])


def board_page_for(session: Session, filters: search.BoardQuery, per_page: int, match_skill_ids: list[int]) -> BoardPage:
    """The board page as a viewer with these skills sees it: with none to match, the kept one."""
    if match_skill_ids:
        return list_board(session, filters=filters, per_page=per_page, match_skill_ids=match_skill_ids)
    return shared_board_page(session, filters, per_page)


def shares_the_public_gig_page(viewer: User | None) -> bool:
    """Visitors and students see a gig page alike (only its managers and staff see more)."""
    return viewer is None or viewer.role == "student"


def shared_gig_page(session: Session, gig_id: int) -> GigDetail | None:
    """The gig as a visitor may see it (None: no such gig, or not public), kept between readers."""

    def read() -> GigDetail | None:
        try:
            return gig_detail(session, None, gig_id)
        except DomainError:
            return None

    detail = GIG_PAGES.get(gig_id, read)
    if detail is None:
        return None
    return dataclasses.replace(
        detail,
        card=_copy_card(detail.card),
        questions=[dataclasses.replace(q) for q in detail.questions],
        employer_record=list(detail.employer_record),
    )


def clear() -> None:
    BOARD_PAGES.clear()
    GIG_PAGES.clear()


def _copy_card(card: GigCard) -> GigCard:
    """A reader's own copy (its skills list too); four times quicker than dataclasses.replace,
    which for a board page's twenty cards was a visible part of a page load."""
    fresh = object.__new__(GigCard)
    fresh.__dict__.update(card.__dict__)
    fresh.skills = list(card.skills)
    return fresh
