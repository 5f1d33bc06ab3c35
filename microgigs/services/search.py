"""Board search: the query a student builds (words, filters, sort, page), read from and
written back to the URL, and the full-text index behind it.

SQLite: an FTS5 table `gig_fts` (title, summary, skills, employer; rowid = gig id) kept in
sync by triggers on gig, gigskill and organization, so every writer keeps it current. It is
created (and filled from the existing gigs) the first time a search needs it, so a database
built by `create_all` or by a migration gets it without a separate step.
PostgreSQL: a stored tsvector `gig.search_document` over the same text (weighted title,
skills, summary, employer) with a GIN index, kept current by triggers on the same tables; the
migration "postgres search document" makes and fills it (Postgres databases are built by
migrations). Matched with `@@ to_tsquery`, ranked with ts_rank. It also holds a lexeme per
skill id (`_skill7`, migration bbe93a017199), so words and a skills filter meet in the index.
(The same query as LIKE scans, the benchmark's baseline, is benchmarks/naive_search.py: it
shares `filter_conditions` and `sort_columns` with this module.)
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from urllib.parse import urlencode

from sqlalchemy import Integer, and_, cast, column, func, literal_column, table, text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlmodel import Session, select

from microgigs.models import Gig, GigSkill, Skill
from microgigs.services import center
from microgigs.services.amounts import whole_units_to_cents

# The vocabulary module itself, not the gigs package: the package's board reads import this module.
from microgigs.services.gigs.vocabulary import CATEGORIES, LOCATION_MODES
from microgigs.services.statuses import GigStatus
from microgigs.services.validation import clean_line, clean_text

SORTS = ("newest", "pay", "deadline", "match")
MODES = LOCATION_MODES
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
# PostgreSQL's stored document: made by a migration (not on the model, so SQLite's
# `create_all` never sees it), with a GIN index and triggers that keep it current.
SEARCH_DOCUMENT = literal_column("gig.search_document")
# Its lexeme for a skill, "_skill<id>": a typed word (letters and digits only) never matches it.
SKILL_LEXEME = "_skill"


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


TRIGGERS = ("gig_fts_ai", "gig_fts_au", "gig_fts_ad", "gigskill_fts_ai", "gigskill_fts_ad", "organization_fts_au")


def ensure_index(session: Session) -> bool:
    """Create the SQLite full-text index and its triggers if missing, filling it once; True
    when it was (re)made. (PostgreSQL's index comes with the schema, from its migration:
    nothing to do.)

    A migration in batch mode rebuilds the gig table and drops its triggers: then the
    triggers are made again and the index refilled, so it never silently goes stale."""
    if _dialect(session) != "sqlite":
        return False
    names = ", ".join(f"'{n}'" for n in ("gig_fts", *TRIGGERS))
    present = session.exec(text(f"SELECT count(*) FROM sqlite_master WHERE name IN ({names})")).one()[0]
    if present == 1 + len(TRIGGERS):
        return False
    for statement in FTS_DDL:
        session.exec(text(statement))
    session.exec(text("DELETE FROM gig_fts"))
    session.exec(text(FTS_FILL))
    return True


def drop_triggers(session: Session) -> None:
    """Before a bulk load on SQLite: without its triggers the index is not updated row by row
    (a gig's skills would rewrite its index row once per skill). The load must end with
    rebuild_index, in the same transaction, so no reader ever sees the index stale."""
    if _dialect(session) != "sqlite":
        return
    for name in TRIGGERS:
        session.exec(text(f"DROP TRIGGER IF EXISTS {name}"))


def rebuild_index(session: Session) -> None:
    """Refill the index from the gigs (after bulk loads that bypassed the triggers)."""
    if _dialect(session) != "sqlite" or ensure_index(session):
        return
    session.exec(text("DELETE FROM gig_fts"))
    session.exec(text(FTS_FILL))


def words(query: str) -> list[str]:
    """The searchable words of any string (punctuation and operators dropped)."""
    return _WORD.findall(clean_text(query)[:MAX_QUERY].lower())[:20]


def is_prefix(position: int, word: str, count: int) -> bool:
    """The last word, from two letters on, matches as a prefix (it may be half typed: "surv"
    finds "survey"); the others match whole. Prefixes of every word would cost a merge of
    all their terms in every search, with little to gain."""
    return position == count - 1 and len(word) > 1


def fts_match(query: str) -> str:
    """An FTS5 MATCH expression in which every word is a quoted literal: nothing the
    user types can be read as FTS syntax."""
    found = words(query)
    return " ".join(f'"{w}"*' if is_prefix(i, w, len(found)) else f'"{w}"' for i, w in enumerate(found))


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
        def get(name: str) -> str:
            value = params.get(name)
            return str(value) if value is not None else ""

        skills: list[str] = []
        for name in get("skills").split(","):
            name = clean_line(name, limit=60)
            if name and name.lower() not in {s.lower() for s in skills}:
                skills.append(name)
        return cls(
            q=clean_line(get("q"), limit=MAX_QUERY),
            category=get("category") if get("category") in CATEGORIES else "",
            skills=skills[:MAX_FILTER_SKILLS],
            mode=get("mode") if get("mode") in MODES else "",
            # Whole units of the center's currency: up to 100,000,000 for one with small units (yen).
            pay_min=_int(get("pay_min"), 0, 100_000_000),
            pay_max=_int(get("pay_max"), 0, 100_000_000),
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

    @property
    def uses_filter_panel(self) -> bool:
        """Something besides the words is chosen: a filter or a sort (the board's filter panel)."""
        return bool(replace(self, q="", page=1).to_params())


# Counting every match of a broad query costs as much as reading the whole board, so the
# count stops a little past what the page links can show and the board says "500+" (25
# pages of 20; deeper pages count further).
COUNT_CAP = 500
# A word search checks the filters of at most this many of its newest hits (each check is a
# row look-up, 1–3 microseconds): past that, the count is estimated from them ("about 490")
# and best match ranks the matches found among them, so no search reads every hit of a
# common word. The page of a newest / pay / deadline sort is still exact: it is read from
# the board's index in order.
SCAN_BUDGET = 2_000


@dataclass
class SearchResult:
    gig_ids: list[int]
    total: int
    page: int
    pages: int
    # True when `total` is a lower bound: at least that many gigs match.
    capped: bool = False
    # True when `total` is estimated from a sample of the hits ("about 490").
    estimated: bool = False


def count_limit(page: int, per_page: int) -> int:
    """How far to count: the cap, or a few pages past the one asked for."""
    return max(COUNT_CAP, (page + 5) * per_page)


def filter_conditions(session: Session, query: BoardQuery, today: date) -> tuple[list, list[int]]:
    """What every board search asks besides its words and skills, as SQL conditions (an open
    gig still taking applications, and each filter), and the ids of the skills asked for. A
    never-true condition stands in when nothing can match: a skill that does not exist, or
    words that are only punctuation."""
    conditions = [Gig.status == GigStatus.OPEN, Gig.application_deadline >= today]
    if query.category:
        conditions.append(Gig.category == query.category)
    if query.mode:
        conditions.append(Gig.location_mode == query.mode)
    if query.pay_min is not None or query.pay_max is not None:
        # Whole units of the center's currency; a gig in another currency (from before the
        # center changed it) cannot be compared without an exchange rate, so it does not match.
        currency = center.current(session).currency
        conditions.append(Gig.currency == currency)
    if query.pay_min is not None:
        conditions.append(Gig.pay_cents >= whole_units_to_cents(query.pay_min, currency))
    if query.pay_max is not None:
        conditions.append(Gig.pay_cents <= whole_units_to_cents(query.pay_max, currency))
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
        skill_ids = list(session.exec(select(Skill.id).where(func.lower(Skill.name).in_([s.lower() for s in query.skills]))))
        if not skill_ids:
            conditions.append(literal_column("0") == 1)  # no such skill: nothing can match
    if query.q and not words(query.q):
        # Only punctuation: nothing can match a word search.
        conditions.append(literal_column("0") == 1)
    return conditions, skill_ids


def sort_columns(sort: str, rank=None, overlap=None) -> list:
    """The ORDER BY of a sort, ties newest first. `rank` (lower is better) orders best match;
    without it, `overlap` (how many of the student's skills a gig asks for) puts the gigs
    that fit the student first."""
    if sort == "pay":
        return [Gig.pay_cents.desc(), Gig.id.desc()]
    if sort == "deadline":
        return [Gig.application_deadline.asc(), Gig.id.desc()]
    if sort == "match" and rank is not None:
        return [rank, Gig.id.desc()]
    if overlap is not None:
        return [overlap.desc(), Gig.published_at.desc(), Gig.id.desc()]
    return [Gig.published_at.desc(), Gig.id.desc()]


def search_gigs(
    session: Session,
    query: BoardQuery,
    *,
    per_page: int = 20,
    today: date | None = None,
    match_skill_ids: list[int] | None = None,
) -> SearchResult:
    """Open gigs still taking applications that match `query`, one page of ids in order."""
    today = today or date.today()
    conditions, skill_ids = filter_conditions(session, query, today)
    stmt = select(Gig.id)
    rank = None
    text_words = words(query.q)
    matches = None
    if text_words and _dialect(session) == "sqlite":
        ensure_index(session)
        matches = literal_column("gig_fts").op("MATCH")(fts_match(query.q))
    elif text_words:
        # PostgreSQL: the stored, weighted document (title A, skills B, summary C, employer D;
        # kept current by triggers, see the migration "postgres search document") through its
        # GIN index. Each word a quoted lexeme (words hold no quotes), the last one a prefix,
        # as in SQLite.
        lexemes = (f"'{w}':*" if is_prefix(i, w, len(text_words)) else f"'{w}'" for i, w in enumerate(text_words))
        tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), " & ".join(lexemes))
        wanted = tsquery
        if skill_ids:
            # The document holds a lexeme per skill id (migration bbe93a017199): words and
            # skills meet inside the GIN index instead of in the rows. Ranked by the words alone.
            wanted = tsquery.op("&&")(cast(" | ".join(f"'{SKILL_LEXEME}{i}'" for i in skill_ids), TSQUERY))
            skill_ids = []
        conditions.append(SEARCH_DOCUMENT.op("@@")(wanted))
        rank = -func.ts_rank(SEARCH_DOCUMENT, tsquery)

    # Which rows a query starts from. A word search on SQLite starts from its words (see
    # _word_search). Otherwise counting starts from the skills' gigs when a skill is asked for,
    # or reads the board's index, and stops at the cap; the page reads the board's index in
    # sort order when the matches are many (the first page is found early), or else sorts
    # what the count read. `+ 0` keeps SQLite from starting from a set it should only probe.
    smallest = "skills" if skill_ids else None
    # Set by a word search that finds its words in most gigs (see _word_search).
    probe_each_row = {"words": False}

    def restricted(driver: str | None):
        """The query with every condition, starting from `driver` (None: the board's index)."""
        out, where, order_rank = stmt, list(conditions), rank
        if matches is not None:
            if driver == "words":
                out = out.join(_fts, _fts.c.rowid == Gig.id)
                where.append(matches)
                # bm25, lower is better; a hit in the title counts most, then skills, summary, employer.
                order_rank = func.bm25(literal_column("gig_fts"), 10.0, 3.0, 5.0, 2.0)
            elif probe_each_row["words"]:
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

    def page_of(select_stmt, order_rank, page: int, peek: int = 0) -> list[int]:
        """The ids of one page in sort order, and `peek` more after it if there are."""
        ordered = select_stmt.order_by(*sort_columns(query.sort, order_rank, overlap)).offset((page - 1) * per_page).limit(per_page + peek)
        return list(session.connection().execute(ordered).scalars())

    def one_page(select_stmt, order_rank, total: int, capped: bool) -> SearchResult:
        pages = max(1, -(-total // per_page))
        page = min(max(1, query.page), pages)
        ids = page_of(select_stmt, order_rank, page)
        return SearchResult(gig_ids=ids, total=total, page=page, pages=pages, capped=capped)

    def in_sort_order(rows: list) -> list:
        """Rows of `_RAW` (+ rank, overlap) in the query's sort order, as ORDER BY would give them."""
        if query.sort == "pay":
            return sorted(rows, key=lambda r: (r[2], r[0]), reverse=True)
        if query.sort == "deadline":
            return sorted(rows, key=lambda r: (r[3], -r[0]))
        if query.sort == "match" and (matches is not None or rank is not None):
            return sorted(rows, key=lambda r: (r[4], -r[0]))
        if overlap is not None:
            return sorted(rows, key=lambda r: (r[5], r[1] is not None, r[1] or 0, r[0]), reverse=True)
        return sorted(rows, key=lambda r: (r[1] is not None, r[1] or 0, r[0]), reverse=True)

    if matches is not None:
        plan = _Plan(session, query, per_page, matches, conditions, restricted, page_of, in_sort_order, probe_each_row)
        return _word_search(plan)

    # Best match ranks the newest COUNT_CAP matches at most and pages through them (as SQLite
    # does): ranking every match of a common word would read each of them.
    ranks_newest = query.sort == "match" and rank is not None
    limit = COUNT_CAP if ranks_newest else count_limit(query.page, per_page)
    if smallest is None and overlap is None and rank is None:
        # Filters only: the sort's covering index answers both the count (stopping at the cap,
        # inside SQLite) and the page (read in order), so no row comes up to Python.
        board, board_rank = restricted(None)
        counted = session.exec(select(func.count()).select_from(board.limit(limit + 1).subquery())).one()
        return one_page(board, board_rank, min(counted, limit), counted > limit)

    # One pass reads every match, but no more than the cap, with the columns the sorts need;
    # when that is all of them, they are counted and sorted here and the page is a slice.
    # (PostgreSQL's word searches come here too: their matches are found through the GIN
    # index in no useful order, and one read of them beats a count and a page that each
    # visit every match's row.)
    first, first_rank = restricted(smallest)
    ranked = query.sort == "match" and first_rank is not None  # PostgreSQL's ts_rank
    if ranks_newest:
        first = first.order_by(Gig.id.desc())  # newest first: past the cap, these are the ones ranked
    # Through the session (not its connection): the first read of a search flushes what the
    # unit of work has pending, so a search sees the caller's own changes.
    rows = session.execute(
        first.with_only_columns(
            *_RAW,
            first_rank if ranked else literal_column("0"),
            overlap if overlap is not None else literal_column("0"),
        ).limit(limit + 1)
    ).all()
    if len(rows) > limit and ranks_newest:
        # Best match past the cap ranks the newest `limit` matches, which this read holds.
        ordered = in_sort_order(rows[:limit])
        pages = -(-limit // per_page)
        page = min(max(1, query.page), pages)
        return SearchResult(
            gig_ids=[r[0] for r in ordered[(page - 1) * per_page : page * per_page]], total=limit, page=page, pages=pages, capped=True
        )
    if len(rows) > limit:
        # More than the cap: "1,000+". The page comes from the board's index in sort order
        # (the first rows are found early).
        paged, paged_rank = restricted(None)
        return one_page(paged, paged_rank, limit, True)
    pages = max(1, -(-len(rows) // per_page))
    page = min(max(1, query.page), pages)
    ids = [r[0] for r in in_sort_order(rows)[(page - 1) * per_page : page * per_page]]
    return SearchResult(gig_ids=ids, total=len(rows), page=page, pages=pages)


def _about(n: float) -> int:
    """An estimate as people say it: two significant figures (488 -> 490, 37.4 -> 37)."""
    if n < 100:
        return round(n)
    digits = len(str(int(n))) - 2
    return int(round(n, -digits))


@dataclass
class _Plan:
    """What a word search needs from search_gigs: the query and its conditions, and the
    helpers that build, order and page its statements."""

    session: Session
    query: BoardQuery
    per_page: int
    matches: object  # the MATCH condition
    conditions: list  # every condition but the words and the skills
    restricted: object  # driver -> (statement, rank)
    page_of: object  # (statement, rank, page) -> ids of that page in sort order
    in_sort_order: object  # rows -> rows
    probe_each_row: dict


def _word_search(plan: _Plan) -> SearchResult:
    """A word search on SQLite. Its hits are read newest first (the full-text index keeps
    them in id order) and each is looked up once for the filters, stopping at the cap or after
    SCAN_BUDGET hits. Best match ranks what that read found (bm25 only for those rows); the
    other sorts take their page from those rows when no older gig could come before it, or
    else read the board's index in sort order, probing the words."""
    session, query, per_page, matches = plan.session, plan.query, plan.per_page, plan.matches
    ranked = query.sort == "match"
    # Best match always ranks the same set (so its pages agree); other sorts count further for deep pages.
    limit = COUNT_CAP if ranked else count_limit(query.page, per_page)
    # The id of the oldest hit the budget reaches (none: fewer hits than the budget).
    scan_from = session.exec(select(_fts.c.rowid).where(matches).order_by(_fts.c.rowid.desc()).offset(SCAN_BUDGET - 1).limit(1)).first()
    if scan_from is not None:
        # Probing the full-text index for one row costs about 0.2 ms, listing a hit well under a
        # microsecond: probing pays only when most gigs match (few rows are read before a page
        # is full). The budget's hits tell how dense they are among the newest gigs.
        newest = session.exec(select(func.max(Gig.id))).one() or 0
        plan.probe_each_row["words"] = SCAN_BUDGET * 2 > newest - scan_from + 1
    scan, rank = plan.restricted("words")
    if scan_from is not None:
        scan = scan.where(_fts.c.rowid >= scan_from)
    rows = (
        session.connection()
        .execute(
            scan.with_only_columns(*_RAW, rank if ranked else literal_column("0"), literal_column("0"))
            .order_by(_fts.c.rowid.desc())
            .limit(limit + 1)
        )
        .all()
    )
    found = len(rows)
    capped = found > limit
    estimated = not capped and scan_from is not None
    total = min(found, limit)
    if estimated:
        # The budget read SCAN_BUDGET hits and found `found` that pass the filters: assume the
        # older hits pass as often.
        hits = session.exec(select(func.count()).select_from(_fts).where(matches)).one()
        guess = found * hits / SCAN_BUDGET
        capped, estimated = guess > limit, guess <= limit
        total = limit if capped else max(found, _about(guess))

    pages = max(1, -(-total // per_page))
    if ranked:
        # Best match pages through what it ranked, and no further.
        ordered = plan.in_sort_order(rows[:limit])
        pages = max(1, -(-len(ordered) // per_page))
        page = min(max(1, query.page), pages)
        ids = [r[0] for r in ordered[(page - 1) * per_page : page * per_page]]
        return SearchResult(gig_ids=ids, total=total, page=page, pages=pages, capped=capped, estimated=estimated)
    if not capped and not estimated:
        page = min(max(1, query.page), pages)
        ids = [r[0] for r in plan.in_sort_order(rows)[(page - 1) * per_page : page * per_page]]
        return SearchResult(gig_ids=ids, total=total, page=page, pages=pages)

    # An estimate may be short or long: any page may be asked for, and what it holds decides.
    page = max(1, query.page) if estimated else min(max(1, query.page), pages)
    # The rows read are every match from the newest down to `covered_from`: the page can come
    # from them unless an older gig sorts before the page's last row.
    covered_from = rows[-1][0] if found > limit else scan_from
    ordered = plan.in_sort_order(rows)
    last_known = estimated and page >= pages  # is there a page after it? Read one row more to know.
    if not last_known and len(ordered) >= page * per_page and not _older_gig_sorts_before(plan, ordered[page * per_page - 1], covered_from):
        ids = [r[0] for r in ordered[(page - 1) * per_page : page * per_page]]
        more = False
    else:
        paged, paged_rank = plan.restricted(None)
        ids = plan.page_of(paged, paged_rank, page, peek=1)
        more, ids = len(ids) > per_page, ids[:per_page]
    out = SearchResult(gig_ids=ids, total=total, page=page, pages=pages, capped=capped, estimated=estimated)
    if last_known and more:
        out.pages = page + 1  # the estimate fell short: offer the next page
    elif last_known or (estimated and len(ids) < per_page):
        # The last page (an empty one is past it): now the count is known.
        out.total = (page - 1) * per_page + len(ids)
        out.pages, out.estimated = max(1, page - 1) if not ids and page > 1 else page, False
    return out


# Raw column values (no ORM, no type conversion): SQLite orders the stored text itself, so
# sorting that text here gives the same order as ORDER BY would.
_RAW = [literal_column(f"gig.{name}") for name in ("id", "published_at", "pay_cents", "application_deadline")]


def _older_gig_sorts_before(plan: _Plan, last: tuple, covered_from: int) -> bool:
    """Whether a gig older than `covered_from` that passes the filters (words and skills left
    out: a superset) sorts strictly before `last`, the page's last row. Asked of the board's
    index for the sort, it reads only the few rows above `last`."""
    if plan.query.sort == "pay":
        before = literal_column("gig.pay_cents") > last[2]
    elif plan.query.sort == "deadline":
        before = literal_column("gig.application_deadline") < last[3]
    elif last[1] is None:
        return True  # an open gig is always published; be safe if one is not
    else:
        before = literal_column("gig.published_at") > last[1]
    probe = select(Gig.id).where(*plan.conditions, before, Gig.id < covered_from).limit(1)
    return plan.session.connection().execute(probe).first() is not None
