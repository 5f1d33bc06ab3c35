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


@dataclass
class SearchResult:
    gig_ids: list[int]
    total: int
    page: int
    pages: int


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
    if query.skills:
        wanted = select(GigSkill.gig_id).join(Skill, Skill.id == GigSkill.skill_id).where(
            func.lower(Skill.name).in_([s.lower() for s in query.skills])
        )
        conditions.append(Gig.id.in_(wanted))

    stmt = select(Gig.id)
    rank = None
    text_words = words(query.q)
    if query.q and not text_words:
        # Only punctuation: nothing can match a word search.
        conditions.append(literal_column("0") == 1)
    elif text_words and naive:
        stmt = stmt.join(Organization, Organization.id == Gig.organization_id)
        skill_text = (
            select(func.group_concat(Skill.name, " "))
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
        stmt = stmt.join(_fts, _fts.c.rowid == Gig.id)
        conditions.append(literal_column("gig_fts").op("MATCH")(fts_match(query.q)))
        # bm25, lower is better; a hit in the title counts most, then skills, summary, employer.
        rank = func.bm25(literal_column("gig_fts"), 10.0, 3.0, 5.0, 2.0)
    elif text_words:
        stmt = stmt.join(Organization, Organization.id == Gig.organization_id)
        skill_text = (
            select(func.string_agg(Skill.name, " "))
            .join(GigSkill, GigSkill.skill_id == Skill.id)
            .where(GigSkill.gig_id == Gig.id)
            .scalar_subquery()
        )
        document = func.to_tsvector(
            "simple", Gig.title + " " + Gig.summary + " " + func.coalesce(skill_text, "") + " " + Organization.name
        )
        tsquery = func.to_tsquery("simple", " & ".join(f"{w}:*" for w in text_words))
        conditions.append(document.op("@@")(tsquery))
        rank = -func.ts_rank(document, tsquery)

    stmt = stmt.where(and_(*conditions))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, query.page), pages)

    if query.sort == "pay":
        order = [Gig.pay_cents.desc(), Gig.id.desc()]
    elif query.sort == "deadline":
        order = [Gig.application_deadline.asc(), Gig.id.desc()]
    elif query.sort == "match" and rank is not None:
        order = [rank, Gig.id.desc()]
    elif query.sort == "match" and match_skill_ids:
        overlap = (
            select(func.count())
            .select_from(GigSkill)
            .where(GigSkill.gig_id == Gig.id, GigSkill.skill_id.in_(match_skill_ids))
            .scalar_subquery()
        )
        order = [overlap.desc(), Gig.published_at.desc(), Gig.id.desc()]
    else:
        order = [Gig.published_at.desc(), Gig.id.desc()]
    ids = list(session.exec(stmt.order_by(*order).offset((page - 1) * per_page).limit(per_page)))
    return SearchResult(gig_ids=ids, total=total, page=page, pages=pages)
