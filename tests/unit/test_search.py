"""Board search on a known data set: full-text relevance, every filter, every sort, the URL
round trip, and the FTS index staying in sync with edits, skills and employer names."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select, text

from benchmarks.naive_search import like_search
from microgigs.models import Organization, Skill, StudentSkill
from microgigs.services import gigs, search
from microgigs.services.gigs import recommendations
from microgigs.services.search import BoardQuery


@pytest.fixture
def db_engine(request, db_engine):
    """The unit tests' SQLite file; with the parameter "postgres", a fresh PostgreSQL database
    migrated by alembic (tests/conftest.py), so the tsvector path is held to the same results."""
    if getattr(request, "param", "sqlite") == "postgres":
        return request.getfixturevalue("postgres_engine")
    return db_engine


# The known-data-set tests run on both databases.
BOTH = pytest.mark.parametrize("db_engine", ["sqlite", "postgres"], indirect=True)


@pytest.fixture
def known(session, make):
    today = date.today()
    northwind = make.employer("Northwind Analytics")
    acme = make.employer("Acme Design Studio")
    g = {
        "survey": make.gig(
            northwind,
            title="Clean a survey data set",
            summary="Tidy rows in Python",
            skills=["Python", "SQL"],
            pay_cents=30_000,
            estimated_hours=10,
            category="Data analysis",
            due_date=today + timedelta(days=20),
            application_deadline=today + timedelta(days=5),
        ),
        "dashboard": make.gig(
            northwind,
            title="Build a sales dashboard",
            summary="Tableau dashboard of survey results",
            skills=["Tableau"],
            pay_cents=80_000,
            estimated_hours=30,
            category="Data analysis",
            location_mode="hybrid",
            location="Boston",
            due_date=today + timedelta(days=60),
            application_deadline=today + timedelta(days=20),
        ),
        "logo": make.gig(
            acme,
            title="Design a bakery logo",
            summary="Vector logo",
            skills=["Figma"],
            pay_cents=50_000,
            estimated_hours=20,
            category="Design",
            location_mode="onsite",
            location="Paris",
            due_date=today + timedelta(days=10),
            application_deadline=today + timedelta(days=3),
        ),
        "copy": make.gig(
            acme,
            title="Write landing page copy",
            summary="Three short sections",
            skills=["Copywriting", "Marketing"],
            pay_cents=25_000,
            estimated_hours=5,
            category="Writing",
            due_date=today + timedelta(days=40),
            application_deadline=today + timedelta(days=30),
        ),
    }
    return g, northwind, acme


def found(session, **params) -> list[int]:
    return gigs.list_board(session, filters=BoardQuery.from_params({k: str(v) for k, v in params.items()})).cards


def ids(session, **params) -> set[int]:
    return {c.id for c in found(session, **params)}


@BOTH
def test_full_text_matches_title_summary_skills_and_employer(session, known):
    g, _, _ = known
    assert ids(session, q="survey") == {g["survey"].id, g["dashboard"].id}  # title; summary
    assert ids(session, q="tableau") == {g["dashboard"].id}  # skill (and summary)
    assert ids(session, q="figma") == {g["logo"].id}  # skill only
    assert ids(session, q="acme") == {g["logo"].id, g["copy"].id}  # employer
    assert ids(session, q="surv") == {g["survey"].id, g["dashboard"].id}  # prefix while typing
    assert ids(session, q="survey python") == {g["survey"].id}  # every word must match
    assert ids(session, q="zebra") == set()


@BOTH
def test_best_match_puts_the_title_hit_first(session, known):
    g, _, _ = known
    cards = found(session, q="survey", sort="match")
    assert next(c.id for c in cards) == g["survey"].id


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "Design"}, {"logo"}),
        ({"skills": "Python"}, {"survey"}),
        ({"skills": "figma,TABLEAU"}, {"logo", "dashboard"}),
        ({"skills": "Underwater basket weaving"}, set()),
        ({"mode": "remote"}, {"survey", "copy"}),
        ({"mode": "hybrid"}, {"dashboard"}),
        ({"pay_min": "500"}, {"dashboard", "logo"}),
        ({"pay_max": "300"}, {"survey", "copy"}),
        ({"pay_min": "300", "pay_max": "500"}, {"survey", "logo"}),
        ({"hours_min": "20"}, {"dashboard", "logo"}),
        ({"hours_max": "10"}, {"survey", "copy"}),
        ({"due_within": "14"}, {"logo"}),
        ({"due_within": "45"}, {"logo", "survey", "copy"}),
        ({"q": "survey", "pay_min": "500"}, {"dashboard"}),
        ({"pay_min": "abc", "mode": "underwater"}, {"survey", "dashboard", "logo", "copy"}),  # bad values dropped
    ],
)
@BOTH
def test_filters(session, known, params, expected):
    g, _, _ = known
    assert ids(session, **params) == {g[k].id for k in expected}


@BOTH
def test_employer_filter(session, known):
    g, _northwind, acme = known
    assert ids(session, employer=acme.org.id) == {g["logo"].id, g["copy"].id}
    assert (acme.org.id, "Acme Design Studio") in gigs.employer_choices(session)


@BOTH
def test_sorts(session, known):
    g, _, _ = known
    assert [c.id for c in found(session, sort="pay")] == [g[k].id for k in ("dashboard", "logo", "survey", "copy")]
    assert [c.id for c in found(session, sort="deadline")] == [g[k].id for k in ("logo", "survey", "dashboard", "copy")]
    assert [c.id for c in found(session)] == [g[k].id for k in ("copy", "logo", "dashboard", "survey")]  # newest


@BOTH
def test_best_match_without_words_ranks_by_the_students_skills(session, known, make):
    g, _, _ = known
    figma = session.exec(select(Skill).where(Skill.name == "Figma")).one()
    cards = gigs.list_board(session, filters=BoardQuery(sort="match"), match_skill_ids=[figma.id]).cards
    assert cards[0].id == g["logo"].id


@BOTH
def test_count_and_pages_with_filters(session, make):
    employer = make.employer()
    for n in range(25):
        make.gig(employer, title=f"Survey number {n}", pay_cents=30_000 + n * 1_000)
    page = gigs.list_board(session, filters=BoardQuery(q="survey", pay_min=310, page=2), per_page=10)
    assert (page.total, page.pages, page.page, len(page.cards)) == (24, 3, 2, 10)


def test_url_round_trip():
    query = BoardQuery(
        q="R&D 100% survey",
        category="Data analysis",
        skills=["Python", "SQL"],
        mode="hybrid",
        pay_min=100,
        pay_max=900,
        hours_min=2,
        hours_max=40,
        due_within=14,
        employer=7,
        sort="pay",
        page=3,
    )
    url = query.url()
    from urllib.parse import parse_qsl, urlsplit

    assert BoardQuery.from_params(dict(parse_qsl(urlsplit(url).query))) == query
    assert BoardQuery().url() == "/"
    assert BoardQuery(q="x").url(page=2) == "/?q=x&page=2"
    assert not BoardQuery(sort="pay", page=4).has_filters and BoardQuery(mode="remote").has_filters
    assert BoardQuery(sort="pay").uses_filter_panel and BoardQuery(mode="remote").uses_filter_panel
    assert not BoardQuery(q="logo", page=3).uses_filter_panel


@settings(max_examples=60, deadline=None)
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "category", "skills", "mode", "pay_min", "pay_max", "hours_min", "due_within", "employer", "sort", "page"]),
        st.text(max_size=40),
    )
)
def test_any_url_parses_and_round_trips(params):
    from urllib.parse import parse_qsl, urlsplit

    query = BoardQuery.from_params(params)
    assert BoardQuery.from_params(dict(parse_qsl(urlsplit(query.url()).query))) == query


@BOTH
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=60))
def test_any_search_string_never_errors(session, known, q):
    gigs.list_board(session, query=q)
    gigs.list_board(session, filters=BoardQuery(q=q, sort="match"))


@pytest.mark.one_database  # SQLite's FTS5 index itself
def test_index_follows_edits_skills_employer_renames_and_deletes(session, make):
    employer = make.employer("Old Name Ltd")
    draft = make.gig(employer, publish=False, title="Translate a brochure", skills=["Copywriting"])
    staff_gig = make.gig(employer, title="Count birds", skills=[])
    assert ids(session, q="old") == {staff_gig.id}  # drafts are never on the board
    search.ensure_index(session)
    data = gigs.input_from_gig(session, draft)
    data.title, data.skills = "Translate a menu", ["Figma"]
    gigs.update_gig(session, employer.manager, draft.id, data)
    gigs.submit_gig(session, employer.manager, draft.id)
    assert ids(session, q="menu") == {draft.id} and ids(session, q="brochure") == set()
    assert ids(session, q="figma") == {draft.id} and ids(session, q="copywriting") == set()
    org = session.get(Organization, employer.org.id)
    org.name = "Fresh Name Ltd"
    session.add(org)
    session.flush()
    assert ids(session, q="fresh") == {draft.id, staff_gig.id} and ids(session, q="old") == set()
    session.exec(text("DELETE FROM gigskill WHERE gig_id = :id").bindparams(id=staff_gig.id))
    session.exec(text("DELETE FROM gig WHERE id = :id").bindparams(id=staff_gig.id))
    assert session.exec(text("SELECT count(*) FROM gig_fts")).one()[0] == 1


@pytest.mark.one_database  # SQLite's FTS5 index itself
def test_index_is_built_from_existing_gigs_and_rebuilt(session, make):
    employer = make.employer()
    gig = make.gig(employer, title="Pollinator survey")
    session.exec(text("DROP TABLE IF EXISTS gig_fts"))
    assert ids(session, q="pollinator") == {gig.id}  # created and filled on first use
    session.exec(text("DELETE FROM gig_fts"))
    assert ids(session, q="pollinator") == set()
    search.rebuild_index(session)
    assert ids(session, q="pollinator") == {gig.id}


@BOTH
def test_naive_like_search_agrees_with_full_text(session, known):
    for q in ("survey", "acme", "figma", "survey python", "zebra"):
        query = BoardQuery(q=q)
        fts = search.search_gigs(session, query)
        like = like_search(session, query)
        assert (fts.total, set(fts.gig_ids)) == (like.total, set(like.gig_ids))


def student_with_skills(session, make, *names: str):
    student = make.student()
    for name in names:
        skill = session.exec(select(Skill).where(Skill.name == name)).one()
        session.add(StudentSkill(user_id=student.id, skill_id=skill.id))
    session.flush()
    return student


@BOTH
def test_recommended_for_ranks_by_skill_match_and_says_why(session, known, make):
    g, _, _ = known
    student = student_with_skills(session, make, "Python", "SQL", "Figma")
    recs = gigs.recommended_for(session, student)
    assert [r.card.id for r in recs] == [g["survey"].id, g["logo"].id]
    assert recs[0].reason.startswith("2 of 2 skills") and recs[1].reason.startswith("1 of 1 skills")
    assert "hours a week" in recs[0].reason
    assert gigs.recommended_for(session, None) == [] and gigs.recommended_for(session, make.staff()) == []


def test_recommendations_come_from_the_newest_open_gigs(session, known, make, monkeypatch):
    """On a large board only the newest open gigs are ranked, so the cost does not grow with
    the board: a gig older than that window is not recommended even if it fits best."""
    g, _, _ = known
    student = student_with_skills(session, make, "Python", "SQL", "Figma")
    monkeypatch.setattr(recommendations, "RECOMMEND_FROM_NEWEST", 3)  # survey (the oldest) falls out
    assert [r.card.id for r in gigs.recommended_for(session, student)] == [g["logo"].id]


@BOTH
def test_saving_gigs(session, known, make):
    g, northwind, _ = known
    student = make.student()
    gigs.save_gig(session, student, g["logo"].id)
    gigs.save_gig(session, student, g["survey"].id)
    gigs.save_gig(session, student, g["survey"].id)  # twice is once
    assert [c.id for c in gigs.saved_cards(session, student)] in ([g["survey"].id, g["logo"].id], [g["logo"].id, g["survey"].id])
    assert gigs.is_saved(session, student, g["logo"].id)
    gigs.unsave_gig(session, student, g["logo"].id)
    assert [c.id for c in gigs.saved_cards(session, student)] == [g["survey"].id]
    assert gigs.saved_gig_ids(session, student) == [g["survey"].id]  # what the board marks, without the cards
    from microgigs.services.errors import NotAllowed, NotFound

    with pytest.raises(NotAllowed):
        gigs.save_gig(session, northwind.manager, g["logo"].id)
    draft = make.gig(northwind, publish=False)
    with pytest.raises(NotFound):
        gigs.save_gig(session, student, draft.id)


@pytest.mark.one_database  # SQLite's FTS5 index itself
def test_lost_triggers_are_remade_and_the_index_refilled(session, make):
    employer = make.employer()
    gig = make.gig(employer, title="Pollinator survey")
    search.ensure_index(session)
    session.exec(text("DROP TRIGGER gig_fts_au"))  # what a batch-mode table rebuild does
    session.exec(text("UPDATE gig SET title = 'Moth census' WHERE id = :id").bindparams(id=gig.id))
    assert ids(session, q="moth") == {gig.id} and ids(session, q="pollinator") == set()


def every_page(session, query: BoardQuery, per_page: int) -> tuple[list[int], list[search.SearchResult]]:
    """Follow the page links from the first page to the last, as a person would."""
    shown, results, page = [], [], 1
    while True:
        result = search.search_gigs(session, replace(query, page=page), per_page=per_page)
        results.append(result)
        shown += result.gig_ids
        if result.page >= result.pages:
            return shown, results
        page += 1


@pytest.fixture
def many(session, make):
    """Thirty gigs with ties in pay and deadlines, two kinds of title, every third with Python."""
    today = date.today()
    employer = make.employer("Many Gigs Inc")
    for n in range(30):
        make.gig(
            employer,
            title=f"{'Survey' if n % 2 else 'Logo'} job {n}",
            skills=["Python"] if n % 3 == 0 else ["Figma"],
            pay_cents=20_000 + (n % 4) * 10_000,
            estimated_hours=5,
            application_deadline=today + timedelta(days=1 + n % 5),
            due_date=today + timedelta(days=30),
        )


@pytest.mark.parametrize("sort", search.SORTS)
@pytest.mark.parametrize(("q", "skills"), [("", []), ("survey", []), ("job", []), ("", ["Python"]), ("job", ["Python"])])
@BOTH
def test_a_capped_count_pages_through_the_same_order(session, many, monkeypatch, sort, q, skills):
    """Broad searches count only up to a cap ("500+") and page from the board's index in sort
    order; narrow ones count and sort every match in one pass. Both must show the same gigs
    in the same order, and the same order as the database's own ORDER BY."""
    query = BoardQuery(q=q, skills=skills, sort=sort)
    everything = search.search_gigs(session, query, per_page=1000)
    assert not everything.capped and everything.total == len(everything.gig_ids) > 0
    if sort != "match" or not q:  # LIKE has no relevance rank to compare with
        baseline = like_search(session, query, per_page=1000)
        assert baseline.gig_ids == everything.gig_ids

    monkeypatch.setattr(search, "COUNT_CAP", 3)  # count_limit is then (page + 5) * per_page
    shown, results = every_page(session, query, per_page=2)
    if sort == "match" and q:
        # Best match over more hits than the cap ranks the newest COUNT_CAP of them (on both
        # databases), the same set on every page, in the order the full ranking gives them.
        newest = set(sorted(everything.gig_ids)[-3:])
        assert shown == [i for i in everything.gig_ids if i in newest]
        assert all(r.capped and r.total == 3 and r.pages == 2 for r in results)
        return
    assert shown == everything.gig_ids
    if everything.total > 12:
        assert results[0].capped and results[0].total == 12 and results[0].pages == 6
    assert not results[-1].capped and results[-1].total == everything.total


def test_the_board_says_when_its_count_is_a_lower_bound():
    from microgigs.state.board import BoardState
    from tests.unit.state_harness import state_for

    state = state_for(BoardState, "/")
    state.total, state.total_capped = 1_000, True
    assert state.count_text == "1,000+ open gigs"
    state.total, state.total_capped = 1, False
    assert state.count_text == "1 open gig"


def test_only_the_last_word_matches_as_a_prefix(session, known):
    """The last word may be half typed; earlier words match whole (a prefix of every word
    would merge all their terms in every search)."""
    g, _, _ = known
    assert ids(session, q="data surv") == {g["survey"].id}
    assert ids(session, q="surv data") == set()
    assert search.fts_match('surv "da') == '"surv" "da"*'


@pytest.mark.one_database  # the scan budget is how SQLite's FTS5 path reads
@pytest.mark.parametrize("sort", search.SORTS)
def test_a_count_past_the_scan_budget_is_estimated_and_pages_stay_exact(session, many, monkeypatch, sort):
    """A word search reads at most SCAN_BUDGET of its newest hits; when the filters pass
    fewer than the cap among them, the count is estimated from that sample ("about 10") and
    becomes exact on the last page. Newest / pay / deadline pages are still exact; best
    match ranks the matches the budget found."""
    query = BoardQuery(q="job", skills=["Python"], sort=sort)
    everything = search.search_gigs(session, query, per_page=1000)
    assert everything.total == 10 and not everything.estimated

    monkeypatch.setattr(search, "SCAN_BUDGET", 6)  # the six newest hits: two have Python
    shown, results = every_page(session, query, per_page=2)
    assert results[0].estimated and results[0].total == 10  # 2 of 6 sampled, of 30 hits
    if sort == "match":
        newest = set(sorted(everything.gig_ids)[-2:])
        assert shown == [i for i in everything.gig_ids if i in newest]
        return
    assert shown == everything.gig_ids
    assert not results[-1].estimated and results[-1].total == 10 and results[-1].pages == len(results)


def test_a_page_read_from_the_newest_hits_gives_way_to_an_older_gig_that_sorts_first(session, make, monkeypatch):
    """The newest sort takes its page from the hits it read when no older gig could come
    first; a gig created long ago but published last must still lead the page."""
    employer = make.employer("Old Drafts Ltd")
    made = [make.gig(employer, title=f"Archive job {n}") for n in range(8)]
    oldest = made[0]
    oldest.published_at = max(g.published_at for g in made) + timedelta(hours=1)
    session.add(oldest)
    session.commit()
    monkeypatch.setattr(search, "SCAN_BUDGET", 3)
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    first = search.search_gigs(session, BoardQuery(q="archive"), per_page=1)
    assert first.capped and first.gig_ids == [oldest.id]  # 3 of 3 read pass: "6+"
    second = search.search_gigs(session, BoardQuery(q="archive", page=2), per_page=1)
    assert second.gig_ids == [made[-1].id]


def test_the_board_says_when_its_count_is_estimated():
    from microgigs.state.board import BoardState
    from tests.unit.state_harness import state_for

    state = state_for(BoardState, "/")
    state.total, state.total_estimated = 490, True
    assert state.count_text == "about 490 open gigs"


# --- PostgreSQL: the stored search document and its GIN index -------------------------

PG = pytest.mark.parametrize("db_engine", ["postgres"], indirect=True)


def stale_documents(session) -> int:
    """Gigs whose stored document differs from the one their rows make now."""
    return session.exec(
        text("SELECT count(*) FROM gig WHERE search_document IS DISTINCT FROM gig_search_document(title, summary, id, organization_id)")
    ).one()[0]


def bulk_gigs(session, employer, titles: list[str], skill_ids: list[int]) -> None:
    """Gigs as one bulk insert (the triggers run as for any writer), each with one skill."""
    from datetime import UTC, datetime

    from microgigs.models import Gig, GigSkill

    today, now = date.today(), datetime.now(UTC)
    rows = [
        {
            "organization_id": employer.org.id,
            "created_by_id": employer.manager.id,
            "title": title,
            "summary": f"Short project {n}",
            "scope": "Scope.",
            "deliverables": "",
            "category": "Data analysis",
            "location_mode": "remote",
            "location": "",
            "estimated_hours": 10,
            "start_date": None,
            "due_date": today + timedelta(days=30),
            "application_deadline": today + timedelta(days=10),
            "slots": 1,
            "filled_slots": 0,
            "pay_cents": 30_000,
            "currency": "usd",
            "blind_review": True,
            "max_revision_rounds": 2,
            "status": "open",
            "status_reason": "",
            "created_at": now,
            "updated_at": now,
            "published_at": now - timedelta(minutes=len(titles) - n),
        }
        for n, title in enumerate(titles)
    ]
    connection = session.connection()
    gig_ids = connection.execute(Gig.__table__.insert().returning(Gig.__table__.c.id), rows).scalars().all()
    connection.execute(
        GigSkill.__table__.insert(), [{"gig_id": gid, "skill_id": skill_ids[n % len(skill_ids)]} for n, gid in enumerate(gig_ids)]
    )


@PG
@pytest.mark.parametrize("sort", ["newest", "match"])
def test_postgres_word_search_reads_the_gin_index(session, make, sort):
    """Over a few thousand gigs, a board word search finds its hits through the GIN index on
    gig.search_document (a Bitmap Index Scan), for the count and for the page, instead of
    building each gig's document."""
    from sqlalchemy import event

    employer = make.employer("Index Check Ltd")
    skill_ids = [s.id for s in make.skills]
    titles = [f"{'Survey' if n % 2 else 'Logo'} job {n}" for n in range(4_000)]
    for n in range(0, 4_000, 800):
        titles[n] = f"Pollinator count {n}"
    bulk_gigs(session, employer, titles, skill_ids)
    session.commit()
    session.exec(text("ANALYZE gig"))
    session.exec(text("ANALYZE gigskill"))

    engine, statements = session.get_bind(), []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "search_document" in statement:
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        # Rare words (five gigs of 4,000), known as rare from ANALYZE's statistics of the column.
        # (A word in most gigs may rightly be read from the sort's b-tree index, filtering each row.)
        result = search.search_gigs(session, BoardQuery(q="pollinator count", sort=sort))
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert result.total == 5 and len(result.gig_ids) == 5
    assert statements, "the word search did not read gig.search_document"
    for statement, parameters in statements:
        plan = "\n".join(row[0] for row in session.connection().exec_driver_sql("EXPLAIN " + statement, parameters))
        assert "Bitmap Index Scan on ix_gig_search_document" in plan, plan
    assert stale_documents(session) == 0  # the statement-level skill trigger filled every gig


@PG
def test_postgres_document_follows_edits_skills_and_employer_renames(session, make):
    """The triggers keep gig.search_document current: a title edit, skills added and removed
    (through the service and by plain SQL), an employer renamed."""
    employer = make.employer("Old Name Ltd")
    draft = make.gig(employer, publish=False, title="Translate a brochure", skills=["Copywriting"])
    other = make.gig(employer, title="Count birds", skills=[])
    assert ids(session, q="old") == {other.id}  # drafts are never on the board
    data = gigs.input_from_gig(session, draft)
    data.title, data.skills = "Translate a menu", ["Figma"]
    gigs.update_gig(session, employer.manager, draft.id, data)
    gigs.submit_gig(session, employer.manager, draft.id)
    assert ids(session, q="menu") == {draft.id} and ids(session, q="brochure") == set()
    assert ids(session, q="figma") == {draft.id} and ids(session, q="copywriting") == set()

    tableau = session.exec(select(Skill).where(Skill.name == "Tableau")).one()
    session.exec(text("INSERT INTO gigskill (gig_id, skill_id) VALUES (:g, :s)").bindparams(g=other.id, s=tableau.id))
    assert ids(session, q="tableau") == {other.id}
    session.exec(text("DELETE FROM gigskill WHERE gig_id = :g").bindparams(g=other.id))
    assert ids(session, q="tableau") == set()
    session.exec(text("UPDATE gig SET summary = 'Wetland heron census' WHERE id = :g").bindparams(g=other.id))
    assert ids(session, q="heron") == {other.id}

    org = session.get(Organization, employer.org.id)
    org.name = "Fresh Name Ltd"
    session.add(org)
    session.flush()
    assert ids(session, q="fresh") == {draft.id, other.id} and ids(session, q="old") == set()
    assert stale_documents(session) == 0


@PG
def test_postgres_migration_fills_existing_gigs_and_downgrades(session, make, monkeypatch):
    """The migration fills the document of the gigs already there; its downgrade removes the
    column, the index, the triggers and their functions, and upgrading again works."""
    from pathlib import Path

    from alembic.config import Config

    from alembic import command
    from microgigs.settings import get_settings

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).resolve().parents[2] / "alembic"))
    monkeypatch.setenv("MICROGIGS_DATABASE_URL", session.get_bind().url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    revision = "1064ac4d20fe"

    def leftovers() -> list[str]:
        return list(
            session.exec(
                text(
                    "SELECT 'column' FROM information_schema.columns WHERE table_name = 'gig' AND column_name = 'search_document'"
                    " UNION ALL SELECT 'index' FROM pg_indexes WHERE indexname = 'ix_gig_search_document'"
                    " UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE tgname LIKE '%search_document%'"
                    " UNION ALL SELECT 'function ' || proname FROM pg_proc WHERE proname LIKE '%search_document%'"
                )
            ).scalars()
        )

    employer = make.employer("Before Index Ltd")
    # Made on today's schema (the model writes columns of later revisions, a gig's time zone),
    # then the schema goes back to before the index: the gig is one the migration finds there.
    gig = make.gig(employer, title="Pollinator survey", skills=["Python"])
    session.commit()
    # Read (and kept) while its table exists.
    from microgigs.services import center

    center.current(session)
    session.commit()  # its read lock let go: the downgrade drops that table
    command.downgrade(config, f"{revision}-1")
    assert leftovers() == []
    command.upgrade(config, "head")
    assert ids(session, q="pollinator") == {gig.id} and ids(session, q="python") == {gig.id}
    assert ids(session, q="before") == {gig.id}
    assert stale_documents(session) == 0
    session.commit()
    command.downgrade(config, f"{revision}-1")
    assert leftovers() == []
    session.commit()
    command.upgrade(config, "head")
    assert ids(session, q="pollinator") == {gig.id}


@PG
def test_postgres_plans_each_search_for_its_words(session):
    """psycopg prepares a statement on its fifth run; PostgreSQL must still plan each search for
    its own words (a generic plan ignores how many gigs hold them), so the app's connections
    force custom plans."""
    assert session.exec(text("SHOW plan_cache_mode")).one()[0] == "force_custom_plan"
