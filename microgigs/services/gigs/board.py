"""Reading gigs for people: the board (search, filters, one page of cards), a gig's own
page, and the employers the board can filter by."""

from dataclasses import dataclass, field
from datetime import date

from babel import numbers
from sqlmodel import Session, select

from microgigs import i18n
from microgigs.models import Gig, Organization, ScreeningQuestion, User

# `search` as a module, never `from ...search import X`: search imports this package's
# vocabulary, so whichever of the two is imported first, this import must not need search's names yet.
from microgigs.services import policy, search, track_record
from microgigs.services.errors import NotFound
from microgigs.services.gigs.cards import GigCard, cards_by_ids, cards_for
from microgigs.services.gigs.lookups import get_gig
from microgigs.services.gigs.vocabulary import PUBLIC_STATUSES
from microgigs.services.markdown import neutralize_markup, render_markdown
from microgigs.services.statuses import GigStatus
from microgigs.services.validation import clean_line


@dataclass
class BoardPage:
    cards: list[GigCard]
    total: int
    page: int
    pages: int
    capped: bool = False  # `total` is a lower bound ("500+")
    estimated: bool = False  # `total` is estimated from a sample of the matches ("about 490")


def board_count_text(total: int, *, capped: bool = False, estimated: bool = False, language: str = i18n.DEFAULT) -> str:
    """How the board states its number of results ("1,000+ open gigs", "about 490 open gigs"),
    in `language`."""
    number = numbers.format_decimal(total, locale=i18n.language_or_default(language))
    if capped:
        return i18n.gettext(language, "{number}+ open gigs", number=number)
    if estimated:
        return i18n.gettext(language, "about {number} open gigs", number=number)
    return i18n.ngettext(language, "{number} open gig", "{number} open gigs", total, number=number)


@dataclass
class QuestionView:
    id: int
    text: str


@dataclass
class GigDetail:
    card: GigCard
    scope: str
    deliverables: str
    location: str
    slots: int
    slots_left: int
    blind_review: bool
    questions: list[QuestionView]
    viewer_manages: bool
    scope_html: str = ""
    deliverables_html: str = ""
    employer_record: list[str] = field(default_factory=list)  # track_record.summary_lines


def list_board(
    session: Session,
    *,
    query: str = "",
    category: str = "",
    page: int = 1,
    per_page: int = 20,
    today: date | None = None,
    filters: "search.BoardQuery | None" = None,
    match_skill_ids: list[int] | None = None,
) -> BoardPage:
    """Open gigs still taking applications: full-text search, filters, sort and one page.

    `filters` (a BoardQuery) carries everything; `query`/`category`/`page` are shortcuts."""
    if filters is None:
        filters = search.BoardQuery(q=clean_line(query, limit=search.MAX_QUERY), category=category, page=page)
    result = search.search_gigs(session, filters, per_page=per_page, today=today, match_skill_ids=match_skill_ids)
    return BoardPage(
        cards=cards_by_ids(session, result.gig_ids),
        total=result.total,
        page=result.page,
        pages=result.pages,
        capped=result.capped,
        estimated=result.estimated,
    )


def gig_detail(session: Session, viewer: User | None, gig_id: int) -> GigDetail:
    """A gig as its viewer may see it: anyone sees public gigs; managers and staff see their own in any state."""
    gig = get_gig(session, gig_id)
    viewer_manages = policy.manages_gig(session, viewer, gig)
    if gig.status not in PUBLIC_STATUSES and not (viewer_manages or policy.is_staff(viewer)):
        raise NotFound("That gig")
    org = session.get(Organization, gig.organization_id)
    questions = session.exec(select(ScreeningQuestion).where(ScreeningQuestion.gig_id == gig.id).order_by(ScreeningQuestion.position)).all()
    return GigDetail(
        card=cards_for(session, [(gig, org.name)])[0],
        scope=neutralize_markup(gig.scope),
        deliverables=neutralize_markup(gig.deliverables),
        scope_html=render_markdown(gig.scope),
        deliverables_html=render_markdown(gig.deliverables),
        location=gig.location,
        slots=gig.slots,
        slots_left=max(0, gig.slots - gig.filled_slots),
        blind_review=gig.blind_review,
        questions=[QuestionView(id=q.id, text=q.text) for q in questions],
        viewer_manages=viewer_manages,
        employer_record=track_record.summary_lines(track_record.shown_record(session, gig.organization_id)),
    )


def employer_choices(session: Session) -> list[tuple[int, str]]:
    """Employers with open gigs, for the board's employer filter. Asked per employer (does it
    have one open gig?) through its gigs' index, not by reading every open gig: the board
    calls this on every visit."""
    has_open_gig = select(Gig.id).where(Gig.organization_id == Organization.id, Gig.status == GigStatus.OPEN).exists()
    return [
        (oid, name)
        for oid, name in session.exec(select(Organization.id, Organization.name).where(has_open_gig).order_by(Organization.name))
    ]
