"""The board: open gigs matching a search, one page at a time.

The search lives in the URL (?q=&category=&page=) so a reload or a shared link
shows the same results; searching is a navigation to the new URL, and the page's
on_load reads it back.
"""

from urllib.parse import urlencode

import reflex as rx

from microgigs.db import session_scope
from microgigs.services import gigs
from microgigs.services.gigs import GigCard
from microgigs.state.session import SessionState

ALL_CATEGORIES = "all"  # the select's value for "no category" (Radix does not allow "")
PER_PAGE = 20


def board_url(query: str = "", category: str = "", page: int = 1) -> str:
    """The board's URL for a search; empty parts are left out."""
    params: dict[str, str] = {}
    query = (query or "").strip()[:200]
    if query:
        params["q"] = query
    if category and category != ALL_CATEGORIES:
        params["category"] = category
    if page > 1:
        params["page"] = str(page)
    return f"/?{urlencode(params)}" if params else "/"


def parse_page(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or "1"), 10_000))
    except ValueError:
        return 1


def parse_category(raw: str | None) -> str:
    """A known category, or "" for all (anything else in the URL is ignored)."""
    return raw if raw in gigs.CATEGORIES else ""


def page_window(page: int, pages: int, width: int = 5) -> list[int]:
    """The page numbers to offer as links around the current one."""
    start = max(1, min(page - width // 2, pages - width + 1))
    return list(range(start, min(pages, start + width - 1) + 1))


class BoardState(SessionState):
    query: str = ""
    category: str = ALL_CATEGORIES
    page: int = 1
    pages: int = 1
    total: int = 0
    cards: list[GigCard] = []
    page_numbers: list[int] = []
    loaded: bool = False

    @rx.var
    def count_text(self) -> str:
        if self.total == 1:
            return "1 open gig"
        return f"{self.total:,} open gigs"

    @rx.var
    def has_filters(self) -> bool:
        return bool(self.query) or self.category != ALL_CATEGORIES

    @rx.var
    def previous_url(self) -> str:
        return board_url(self.query, self.category, self.page - 1)

    @rx.var
    def next_url(self) -> str:
        return board_url(self.query, self.category, self.page + 1)

    @rx.var
    def page_links(self) -> list[dict[str, str]]:
        return [
            {"number": str(n), "href": board_url(self.query, self.category, n), "current": "true" if n == self.page else ""}
            for n in self.page_numbers
        ]

    @rx.event
    def load_board(self):
        params = self.router.url.query_parameters
        query = (params.get("q") or "").strip()[:200]
        category = parse_category(params.get("category"))
        with session_scope() as session:
            self._actor(session)
            result = gigs.list_board(session, query=query, category=category, page=parse_page(params.get("page")), per_page=PER_PAGE)
        self.query = query
        self.category = category or ALL_CATEGORIES
        self.cards = result.cards
        self.total = result.total
        self.page = result.page
        self.pages = result.pages
        self.page_numbers = page_window(result.page, result.pages)
        self.loaded = True

    @rx.event
    def set_query(self, value: str):
        self.query = str(value)[:200]

    @rx.event
    def set_category(self, value: str):
        self.category = value if value in gigs.CATEGORIES else ALL_CATEGORIES

    @rx.event
    def search(self, form_data: dict):
        """Go to the URL of this search (its on_load does the reading)."""
        return rx.redirect(board_url(str(form_data.get("q", "")), str(form_data.get("category", "")), 1))
