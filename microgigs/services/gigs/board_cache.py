"""The board as anyone without skills to match sees it, read once and kept until it changes.

A crowd mailed "new gigs are up" opens the same few board URLs within a minute; every visitor
(and every signed-in person the board has no skills to match for) sees the same page of open
gigs for the same URL, so each page is read from the database once and kept (issue 17: the
board's search and cards were a third of a page load's work). A kept page is dropped:
- at once, when a committed change could alter it: a gig or its skills (`gig:<id>`), an
  employer (`organization:<id>`), the skill list (`skills`). The change notices come from the
  rows written (services/changes.py), in this worker and, through live's Redis fan-out, in the
  others;
- after MAX_AGE seconds whatever happened, for what no row announces (a deadline passing at
  midnight; the word index of a database restored underneath us).
A read that overlaps a change is not kept (the generation moved while it ran), so a page read
from the database as it was before a change never outlives the notice of that change.
Callers get their own copy of the kept page: a state may change its cards in place.
"""

import dataclasses
import threading
import time
from collections import OrderedDict
from datetime import date

from sqlmodel import Session

from microgigs.services import changes, search
from microgigs.services.gigs.board import BoardPage, list_board

MAX_AGE = 30.0  # seconds
MAX_PAGES = 256  # board URLs kept (a page of 20 cards is a few kB)
CHANGES_THAT_ALTER_THE_BOARD = ("gig:", "organization:", "skills")

_lock = threading.Lock()
_pages: "OrderedDict[tuple[str, int, date], tuple[float, BoardPage]]" = OrderedDict()
_generation = 0
stats = {"hits": 0, "misses": 0}  # read by the tests and the benchmark


def shared_board_page(session: Session, filters: search.BoardQuery, per_page: int, today: date | None = None) -> BoardPage:
    """`list_board` for these filters with no skills to match, from the kept pages when fresh."""
    today = today or date.today()
    key = (filters.url(), per_page, today)
    now = time.monotonic()
    with _lock:
        kept = _pages.get(key)
        if kept is not None and now - kept[0] < MAX_AGE:
            _pages.move_to_end(key)
            stats["hits"] += 1
            return _copy(kept[1])
        generation = _generation
        stats["misses"] += 1
    page = list_board(session, filters=filters, per_page=per_page, today=today)
    with _lock:
        if generation == _generation:
            _pages[key] = (now, page)
            _pages.move_to_end(key)
            while len(_pages) > MAX_PAGES:
                _pages.popitem(last=False)
    return _copy(page)


def forget(topics: frozenset[str] | set[str]) -> None:
    """Drop every kept page if one of `topics` could change the board."""
    global _generation
    if any(topic.startswith(CHANGES_THAT_ALTER_THE_BOARD) for topic in topics):
        with _lock:
            _generation += 1
            _pages.clear()


def clear() -> None:
    forget({"skills"})


def _copy(page: BoardPage) -> BoardPage:
    return dataclasses.replace(page, cards=[dataclasses.replace(card, skills=list(card.skills)) for card in page.cards])


changes.add_cache(forget)
