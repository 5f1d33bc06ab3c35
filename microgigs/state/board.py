"""The board: open gigs matching a search, filters and a sort, one page at a time.

The whole search lives in the URL (?q=&category=&skills=&mode=&pay_min=&pay_max=&hours_min=
&hours_max=&due_within=&employer=&sort=&page=) so a reload or a shared link shows the same
results; searching is a navigation to the new URL, and the page's on_load reads it back.
Parsing and writing that URL is services.search.BoardQuery's job.
"""

from dataclasses import dataclass

import reflex as rx

from microgigs.i18n import _
from microgigs.services import amounts, center, gigs
from microgigs.services.gigs import GigCard, board_cache
from microgigs.services.gigs.cards import localize_all
from microgigs.services.search import BoardQuery
from microgigs.services.validation import parse_id
from microgigs.state.session import Audience, SessionState

ALL = "all"  # the select's value for "no choice" (Radix does not allow "")
# (value, English text): the page shows each text translated (components/i18n.translated).
SORT_CHOICES = (("newest", _("Newest")), ("pay", _("Highest pay")), ("deadline", _("Deadline soonest")), ("match", _("Best match")))
MODE_CHOICES = ((ALL, _("Anywhere")), *gigs.LOCATION_MODE_NAMES.items())
DUE_CHOICES = (
    (ALL, _("Any time")),
    ("7", _("Within 7 days")),
    ("14", _("Within 14 days")),
    ("30", _("Within 30 days")),
    ("60", _("Within 60 days")),
)


def form_to_params(form_data: dict) -> dict[str, str]:
    """The filter form's fields as URL parameters ("all" and blanks dropped)."""
    out = {}
    for key, value in form_data.items():
        value = str(value if value is not None else "").strip()
        if value and value != ALL:
            out[str(key)] = value
    return out


def page_window(page: int, pages: int, width: int = 5) -> list[int]:
    """The page numbers to offer as links around the current one."""
    start = max(1, min(page - width // 2, pages - width + 1))
    return list(range(start, min(pages, start + width - 1) + 1))


@dataclass
class RecommendedCard:
    card: GigCard
    reason: str


@dataclass
class Choice:
    value: str
    text: str


class BoardState(SessionState):
    query: str = ""
    category: str = ALL
    skills_text: str = ""
    mode: str = ALL
    pay_min: str = ""
    pay_max: str = ""
    # The pay filters' unit: the center's currency ("$", "¥", "KWD"), whole units.
    pay_unit: str = "$"
    hours_min: str = ""
    hours_max: str = ""
    due_within: str = ALL
    employer: str = ALL
    sort: str = "newest"
    form_key: str = ""
    page: int = 1
    pages: int = 1
    total: int = 0
    total_capped: bool = False  # at least `total` match ("500+ open gigs")
    total_estimated: bool = False  # `total` is an estimate ("about 490 open gigs")
    cards: list[GigCard] = []
    page_numbers: list[int] = []
    employers: list[Choice] = []
    recommended: list[RecommendedCard] = []
    saved_ids: list[int] = []
    save_error: str = ""
    loaded: bool = False
    # What the page's links and filter panel need from the URL, worked out once by `_load`
    # (as computed vars they parsed the URL parameters again on every snapshot and delta:
    # a tenth of a new tab's state work, issue 17).
    has_filters: bool = False
    filter_panel_open: bool = False
    previous_url: str = ""
    next_url: str = ""
    page_links: list[dict[str, str]] = []

    @rx.var
    def count_text(self) -> str:
        return gigs.board_count_text(self.total, capped=self.total_capped, estimated=self.total_estimated, language=self.language)

    @rx.event
    def load_board(self):
        filters = BoardQuery.from_params(dict(self.router.url.query_parameters))
        self._read(lambda session, actor: self._load(session, actor, filters), Audience.ANYONE)

    def _load(self, session, actor, filters: BoardQuery) -> None:
        skill_ids = gigs.student_skill_ids(session, actor)
        result = board_cache.board_page_for(session, filters, gigs.BOARD_PAGE_SIZE, skill_ids)
        # The employer select's options (hundreds on a busy board) are drawn only when needed,
        # and after the page of gigs: at once for a URL naming an employer (the select shows
        # that choice), once the page is drawn for an open filter panel (filter_panel_shown),
        # and for a closed one when it is opened (show_filters).
        if filters.employer is not None:
            self._load_employers(session)
        show_recommended = bool(skill_ids) and not filters.has_filters and filters.page == 1
        recs = gigs.recommended_for(session, actor) if show_recommended else []
        self._load_saved(session, actor)
        viewer_tz = actor.timezone if actor is not None else None  # a visitor: each gig's own zone
        localize_all(result.cards, self.language, viewer_tz)
        localize_all([r.card for r in recs], self.language, viewer_tz)
        self.query = filters.q
        self.category = filters.category or ALL
        self.skills_text = ", ".join(filters.skills)
        self.mode = filters.mode or ALL
        self.pay_min = "" if filters.pay_min is None else str(filters.pay_min)
        self.pay_max = "" if filters.pay_max is None else str(filters.pay_max)
        currency = center.current(session).currency
        self.pay_unit = amounts.currency_symbol(currency) or currency.upper()
        self.hours_min = "" if filters.hours_min is None else str(filters.hours_min)
        self.hours_max = "" if filters.hours_max is None else str(filters.hours_max)
        self.due_within = ALL if filters.due_within is None else str(filters.due_within)
        self.employer = ALL if filters.employer is None else str(filters.employer)
        self.sort = filters.sort
        self.form_key = filters.url()
        self.recommended = [RecommendedCard(card=r.card, reason=self._tr(r.reason)) for r in recs]
        self.cards = result.cards
        self.total = result.total
        self.total_capped = result.capped
        self.total_estimated = result.estimated
        self.page = result.page
        self.pages = result.pages
        self.page_numbers = page_window(result.page, result.pages)
        self.has_filters = filters.has_filters
        self.filter_panel_open = filters.uses_filter_panel
        self.previous_url = filters.url(page=result.page - 1)
        self.next_url = filters.url(page=result.page + 1)
        self.page_links = [
            {"number": str(n), "href": filters.url(page=n), "current": "true" if n == result.page else ""} for n in self.page_numbers
        ]
        self.save_error = ""
        self.loaded = True

    def _load_employers(self, session, actor=None) -> None:
        self.employers = [Choice(value=str(oid), text=name) for oid, name in gigs.employer_choices(session)]

    def _load_saved(self, session, actor) -> None:
        self.saved_ids = gigs.saved_gig_ids(session, actor) if self.is_student else []

    def _read_employers(self) -> None:
        self._read(self._load_employers, Audience.ANYONE)

    @rx.event
    def show_filters(self):
        """The filter panel was opened: fill its employer select (once per page; clicking the
        summary again closes it)."""
        if not self.employers:
            self._read_employers()

    @rx.event
    def filter_panel_shown(self):
        """The filter panel is on the page open (it mounts with the results): fill its employer
        select now, after the page of gigs has been drawn, as it stands now."""
        if self.filter_panel_open:
            self._read_employers()

    @rx.event
    def search(self, form_data: dict):
        """Go to the URL of this search (its on_load does the reading)."""
        params = form_to_params(form_data)
        params.pop("page", None)
        return rx.redirect(BoardQuery.from_params(params).url())

    @rx.event
    def toggle_save(self, gig_id: int):
        """Save or unsave a gig for the signed-in student (the service checks who is asking)."""
        gig_id = parse_id(gig_id)
        if gig_id is None:
            return None
        self.save_error = ""
        save = gigs.unsave_gig if gig_id in self.saved_ids else gigs.save_gig

        def save_and_list(session, actor) -> list[int]:
            save(session, actor, gig_id)
            return gigs.saved_gig_ids(session, actor)  # in the same unit of work: one sign-in check

        acted = self._act(save_and_list)
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            self.save_error = self._tr(acted.error)
            return None
        self.saved_ids = acted.value
        return None
