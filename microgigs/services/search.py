"""Board search: the query a student builds (words, filters, sort, page), read from and
written back to the URL, and the full-text index behind it.

SQLite: an FTS5 table `gig_fts` (title, summary, skills, employer; rowid = gig id) kept in
sync by triggers on gig, gigskill and organization, so every writer keeps it current. It is
created (and filled from the existing gigs) the first time a search needs it, so a database
built by `create_all` or by a migration gets it without a separate step.
PostgreSQL: to_tsvector/websearch_to_tsquery over the same text.
`naive=True` runs the same query with LIKE scans instead (the benchmark's baseline).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from urllib.parse import urlencode

from sqlalchemy import Integer, and_, column, func, literal_column, or_, table, text
from sqlmodel import Session, select

from microgigs.models import Gig, GigSkill, Organization, Skill
from microgigs.services.validation import clean_text

SORTS = ("newest", "pay", "deadline", "match")
MODES = ("remote", "onsite", "hybrid")
MAX_QUERY = 200
MAX_FILTER_SKILLS = 8
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS gig_fts USING fts5("
    "title, summary, skills, employer, tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')",
    """CREATE TRIGGER IF NOT EXISTS gig_fts_ai AFTER INSERT ON gig BEGIN
        INSERT INTO gig_fts(rowid, title, summary, skills, employer) VALUES (
            new.id, new.title, new.summary,
            (SELECT coalesce(group_concat(s.name, ' '), '') FROM gigskill gs JOIN skill s ON s.id = gs.skill_id WHERE gs.gig_id = new.id),
            (SELECT coalesce(name, '') FROM organization WHERE id = new.organization_id));
    END""",
    """CREATE TRIGGER IF NOT EXISTS gig_fts_au AFTER UPDATE OF title, summary, organization_id ON gig BEGIN
        UPDATE gig_fts SET title = new.title, summary = new.summary,
            employer = (SELECT coalesce(name, '') FROM organization WHERE id = new.organization_id)
        WHERE rowid = new.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS gig_fts_ad AFTER DELETE ON gig BEGIN
        DELETE FROM gig_fts WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS gigskill_fts_ai AFTER INSERT ON gigskill BEGIN
        UPDATE gig_fts SET skills = (SELECT coalesce(group_concat(s.name, ' '), '') FROM gigskill gs JOIN skill s ON s.id = gs.skill_id WHERE gs.gig_id = new.gig_id)
        WHERE rowid = new.gig_id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS gigskill_fts_ad AFTER DELETE ON gigskill BEGIN
        UPDATE gig_fts SET skills = (SELECT coalesce(group_concat(s.name, ' '), '') FROM gigskill gs JOIN skill s ON s.id = gs.skill_id WHERE gs.gig_id = old.gig_id)
        WHERE rowid = old.gig_id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS organization_fts_au AFTER UPDATE OF name ON organization BEGIN
        UPDATE gig_fts SET employer = new.name WHERE rowid IN (SELECT id FROM gig WHERE organization_id = new.id);
    END""",
)
FTS_FILL = """INSERT INTO gig_fts(rowid, title, summary, skills, employer)
    SELECT g.id, g.title, g.summary,
        coalesce((SELECT group_concat(s.name, ' ') FROM gigskill gs JOIN skill s ON s.id = gs.skill_id WHERE gs.gig_id = g.id), ''),
        coalesce(o.name, '')
    FROM gig g LEFT JOIN organization o ON o.id = g.organization_id"""

_fts = table("gig_fts", column("rowid", Integer))


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


TRIGGERS = ("gig_fts_ai", "gig_fts_au", "gig_fts_ad", "gigskill_fts_ai", "gigskill_fts_ad", "organization_fts_au")


def ensure_index(session: Session) -> None:
    """Create the SQLite full-text index and its triggers if missing, filling it once.

    A migration in batch mode rebuilds the gig table and drops its triggers: then the
    triggers are made again and the index refilled, so it never silently goes stale."""
    if _dialect(session) != "sqlite":
        return
    names = ", ".join(f"'{n}'" for n in ("gig_fts", *TRIGGERS))
    present = session.exec(text(f"SELECT count(*) FROM sqlite_master WHERE name IN ({names})")).one()[0]
    if present == 1 + len(TRIGGERS):
        return
    for statement in FTS_DDL:
        session.exec(text(statement))
    session.exec(text("DELETE FROM gig_fts"))
    session.exec(text(FTS_FILL))


def rebuild_index(session: Session) -> None:
    """Refill the index from the gigs (after bulk loads that bypassed the triggers)."""
    if _dialect(session) != "sqlite":
        return
    ensure_index(session)
    session.exec(text("DELETE FROM gig_fts"))
    session.exec(text(FTS_FILL))


def words(query: str) -> list[str]:
    """The searchable words of any string (punctuation and operators dropped)."""
    return _WORD.findall(clean_text(query)[:MAX_QUERY].lower())[:20]


def fts_match(query: str) -> str:
    """An FTS5 MATCH expression in which every word is a quoted literal: nothing the
    user types can be read as FTS syntax. Words of two or more letters match as prefixes."""
    return " ".join(f'"{w}"*' if len(w) > 1 else f'"{w}"' for w in words(query))


# --- the query a student builds ---------------------------------------------------


def _int(raw: str | None, low: int, high: int) -> int | None:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None


@dataclass
class BoardQuery:
    """One board search. Bad or unknown URL values are dropped, never an error."""

    q: str = ""
    category: str = ""
    skills: list[str] = field(default_factory=list)
    mode: str = ""
    pay_min: int | None = None  # whole currency units per student
    pay_max: int | None = None
    hours_min: int | None = None
    hours_max: int | None = None
    due_within: int | None = None  # days from today
    employer: int | None = None  # organization id
    sort: str = "newest"
    page: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "BoardQuery":
        from microgigs.services.gigs import CATEGORIES

        def get(name: str) -> str:
            value = params.get(name)
            return str(value) if value is not None else ""

        skills: list[str] = []
        for name in get("skills").split(","):
            name = clean_text(name)[:60]
            if name and name.lower() not in {s.lower() for s in skills}:
                skills.append(name)
        return cls(
            q=clean_text(get("q"))[:MAX_QUERY],
            category=get("category") if get("category") in CATEGORIES else "",
            skills=skills[:MAX_FILTER_SKILLS],
            mode=get("mode") if get("mode") in MODES else "",
            pay_min=_int(get("pay_min"), 0, 100_000),
            pay_max=_int(get("pay_max"), 0, 100_000),
            hours_min=_int(get("hours_min"), 0, 400),
            hours_max=_int(get("hours_max"), 0, 400),
            due_within=_int(get("due_within"), 1, 365),
            employer=_int(get("employer"), 1, 10**9),
            sort=get("sort") if get("sort") in SORTS else "newest",
            page=_int(get("page"), 1, 10_000) or 1,
        )

    def to_params(self) -> dict[str, str]:
        """Only what differs from the defaults, in a stable order."""
        out: dict[str, str] = {}
        if self.q:
            out["q"] = self.q
        if self.category:
            out["category"] = self.category
        if self.skills:
            out["skills"] = ",".join(self.skills)
        if self.mode:
            out["mode"] = self.mode
        for name in ("pay_min", "pay_max", "hours_min", "hours_max", "due_within", "employer"):
            value = getattr(self, name)
            if value is not None:
                out[name] = str(value)
        if self.sort != "newest":
            out["sort"] = self.sort
        if self.page > 1:
            out["page"] = str(self.page)
        return out

    def url(self, **changes) -> str:
        params = replace(self, **changes).to_params() if changes else self.to_params()
        return f"/?{urlencode(params)}" if params else "/"

    @property
    def has_filters(self) -> bool:
        return bool(replace(self, page=1, sort="newest").to_params())


# Counting every match of a broad query costs as much as reading the whole board, so the
# count stops a little past what the page links can show and the board says "1,000+".
COUNT_CAP = 1_000


@dataclass
class SearchResult:
    gig_ids: list[int]
    total: int
    page: int
    pages: int
    # True when `total` is a lower bound: at least that many gigs match.
    capped: bool = False


def count_limit(page: int, per_page: int) -> int:
    """How far to count: the cap, or a few pages past the one asked for."""
    return max(COUNT_CAP, (page + 5) * per_page)


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_gigs(
    session: Session,
    query: BoardQuery,
    *,
    per_page: int = 20,
    today: date | None = None,
    match_skill_ids: list[int] | None = None,
    naive: bool = False,
) -> SearchResult:
    """Open gigs still taking applications that match `query`, one page of ids in order."""
    today = today or date.today()
    conditions = [Gig.status == "open", Gig.application_deadline >= today]
    if query.category:
        conditions.append(Gig.category == query.category)
    if query.mode:
        conditions.append(Gig.location_mode == query.mode)
    if query.pay_min is not None:
        conditions.append(Gig.pay_cents >= query.pay_min * 100)
    if query.pay_max is not None:
        conditions.append(Gig.pay_cents <= query.pay_max * 100)
    if query.hours_min is not None:
        conditions.append(Gig.estimated_hours >= query.hours_min)
    if query.hours_max is not None:
        conditions.append(Gig.estimated_hours <= query.hours_max)
    if query.due_within is not None:
        conditions.append(Gig.due_date <= today + timedelta(days=query.due_within))
    if query.employer is not None:
        conditions.append(Gig.organization_id == query.employer)
    skill_ids: list[int] = []
    if query.skills:
        skill_ids = list(
            session.exec(select(Skill.id).where(func.lower(Skill.name).in_([s.lower() for s in query.skills])))
        )
        if not skill_ids:
            conditions.append(literal_column("0") == 1)  # no such skill: nothing can match

    stmt = select(Gig.id)
    rank = None
    text_words = words(query.q)
    fts_hits: int | None = None
    matches = None
    if query.q and not text_words:
        # Only punctuation: nothing can match a word search.
        conditions.append(literal_column("0") == 1)
    elif text_words and naive:
        stmt = stmt.join(Organization, Organization.id == Gig.organization_id)
        concat = func.group_concat if _dialect(session) == "sqlite" else func.string_agg
        skill_text = (
            select(concat(Skill.name, " "))
            .join(GigSkill, GigSkill.skill_id == Skill.id)
            .where(GigSkill.gig_id == Gig.id)
            .scalar_subquery()
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
    elif text_words and _dialect(session) == "sqlite":
        ensure_index(session)
        matches = literal_column("gig_fts").op("MATCH")(fts_match(query.q))
        fts_hits = session.exec(select(func.count()).select_from(_fts).where(matches)).one()
    elif text_words:
        stmt = stmt.join(Organization, Organization.id == Gig.organization_id)
        skill_text = (
            select(func.string_agg(Skill.name, " "))
            .join(GigSkill, GigSkill.skill_id == Skill.id)
            .where(GigSkill.gig_id == Gig.id)
            .scalar_subquery()
        )
        # Weighted like the SQLite index: a hit in the title counts most, then skills, summary, employer.
        document = (
            func.setweight(func.to_tsvector("simple", Gig.title), literal_column("'A'")).op("||")(
                func.setweight(func.to_tsvector("simple", func.coalesce(skill_text, "")), literal_column("'B'"))
            ).op("||")(func.setweight(func.to_tsvector("simple", Gig.summary), literal_column("'C'"))).op("||")(
                func.setweight(func.to_tsvector("simple", Organization.name), literal_column("'D'"))
            )
        )
        # Each word a quoted lexeme (words hold no quotes), a prefix from two letters on, as in SQLite.
        tsquery = func.to_tsquery("simple", " & ".join(f"'{w}':*" if len(w) > 1 else f"'{w}'" for w in text_words))
        conditions.append(document.op("@@")(tsquery))
        rank = -func.ts_rank(document, tsquery)

    # Which rows a query starts from. Counting starts from the smallest set of hits (words or
    # skills) and looks each one up, or reads the board's index when there is no such set, and
    # stops at the cap. The page reads the board's index in sort order and probes each row
    # when the matches are many (the first page is found early); otherwise it starts from the
    # smallest set and sorts what it finds. bm25 needs the full-text cursor, so a text search
    # sorted by best match always starts from the words. `+ 0` keeps SQLite from starting
    # from a set it should only probe.
    skill_hits = None
    if skill_ids:
        skill_hits = session.exec(select(func.count()).select_from(GigSkill).where(GigSkill.skill_id.in_(skill_ids))).one()
    sizes = {name: n for name, n in (("words", fts_hits), ("skills", skill_hits)) if n is not None}
    smallest = min(sizes, key=sizes.get) if sizes else None
    # A probe of the full-text index costs tens of microseconds, a listed hit well under one:
    # probing pays only when most gigs match (so few rows are read before the page is full).
    dense_words = bool(fts_hits) and fts_hits * 2 > (session.exec(select(func.max(Gig.id))).one() or 0)

    def restricted(driver: str | None):
        """The query with every condition, starting from `driver` (None: the board's index)."""
        out, where, order_rank = stmt, list(conditions), rank
        if matches is not None:
            if driver == "words":
                out = out.join(_fts, _fts.c.rowid == Gig.id)
                where.append(matches)
                # bm25, lower is better; a hit in the title counts most, then skills, summary, employer.
                order_rank = func.bm25(literal_column("gig_fts"), 10.0, 3.0, 5.0, 2.0)
            elif dense_words:
                # Most gigs match (a common word): ask the index about each row read, rather
                # than listing every hit first; the page's rows come after a few dozen probes.
                probe = select(_fts.c.rowid).where(matches, _fts.c.rowid == Gig.id)
                where.append(probe.exists())
            else:
                where.append((Gig.id + 0).in_(select(_fts.c.rowid).where(matches)))
        if skill_ids:
            if driver == "skills":
                where.append(Gig.id.in_(select(GigSkill.gig_id).where(GigSkill.skill_id.in_(skill_ids))))
            else:
                has_skill = select(GigSkill.gig_id).where(GigSkill.gig_id == Gig.id, GigSkill.skill_id.in_(skill_ids))
                where.append(has_skill.exists())
        return out.where(and_(*where)), order_rank

    overlap = None
    if query.sort == "match" and match_skill_ids and rank is None and matches is None:
        overlap = (
            select(func.count())
            .select_from(GigSkill)
            .where(GigSkill.gig_id == Gig.id, GigSkill.skill_id.in_(match_skill_ids))
            .scalar_subquery()
        )

    def order_by(order_rank) -> list:
        if query.sort == "pay":
            return [Gig.pay_cents.desc(), Gig.id.desc()]
        if query.sort == "deadline":
            return [Gig.application_deadline.asc(), Gig.id.desc()]
        if query.sort == "match" and order_rank is not None:
            return [order_rank, Gig.id.desc()]
        if overlap is not None:
            return [overlap.desc(), Gig.published_at.desc(), Gig.id.desc()]
        return [Gig.published_at.desc(), Gig.id.desc()]

    def one_page(select_stmt, order_rank, total: int, capped: bool) -> SearchResult:
        pages = max(1, -(-total // per_page))
        page = min(max(1, query.page), pages)
        ordered = select_stmt.order_by(*order_by(order_rank)).offset((page - 1) * per_page).limit(per_page)
        return SearchResult(gig_ids=list(session.exec(ordered)), total=total, page=page, pages=pages, capped=capped)

    if naive:  # the baseline: count every match, then sort them all
        counting, naive_rank = restricted(smallest)
        return one_page(counting, naive_rank, session.exec(select(func.count()).select_from(counting.subquery())).one(), False)

    limit = count_limit(query.page, per_page)
    if smallest is None and overlap is None:
        # Filters only: the sort's covering index answers both the count (stopping at the cap,
        # inside SQLite) and the page (read in order), so no row comes up to Python.
        board, board_rank = restricted(None)
        counted = session.exec(select(func.count()).select_from(board.limit(limit + 1).subquery())).one()
        return one_page(board, board_rank, min(counted, limit), counted > limit)

    # One pass reads every match, but no more than the cap, with the columns the sorts need;
    # when that is all of them, they are counted and sorted here and the page is a slice.
    driver = "words" if query.sort == "match" and matches is not None else smallest
    first, first_rank = restricted(driver)
    ranked = query.sort == "match" and first_rank is not None
    # bm25 costs microseconds a row: with more hits than the cap, count without it first.
    rank_now = ranked and (fts_hits is None or fts_hits <= limit)
    # Raw column values (no ORM, no type conversion): SQLite orders the stored text itself, so
    # sorting that text here gives the same order as ORDER BY would.
    raw = [literal_column(f"gig.{name}") for name in ("id", "published_at", "pay_cents", "application_deadline")]
    rows = session.connection().execute(
        first.with_only_columns(
            *raw,
            first_rank if rank_now else literal_column("0"),
            overlap if overlap is not None else literal_column("0"),
        ).limit(limit + 1)
    ).all()
    if len(rows) > limit:
        # More than the cap: "1,000+". The page comes from the board's index in sort order
        # (the first rows are found early), or from the words when sorted by best match.
        paged, paged_rank = restricted("words" if ranked else None)
        return one_page(paged, paged_rank, limit, True)

    if ranked and not rank_now:
        return one_page(first, first_rank, len(rows), False)

    def newest(row) -> tuple:
        return (row[1] is not None, row[1] or 0, row[0])

    if query.sort == "pay":
        rows = sorted(rows, key=lambda r: (r[2], r[0]), reverse=True)
    elif query.sort == "deadline":
        rows = sorted(rows, key=lambda r: (r[3], -r[0]))
    elif ranked:
        rows = sorted(rows, key=lambda r: (r[4], -r[0]))
    elif overlap is not None:
        rows = sorted(rows, key=lambda r: (r[5], *newest(r)), reverse=True)
    else:
        rows = sorted(rows, key=newest, reverse=True)
    total = len(rows)
    pages = max(1, -(-total // per_page))
    page = min(max(1, query.page), pages)
    ids = [r[0] for r in rows[(page - 1) * per_page : page * per_page]]
    return SearchResult(gig_ids=ids, total=total, page=page, pages=pages)
