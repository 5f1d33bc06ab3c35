"""`microgigs seed-load`: the benchmarks' large data set, on SQLite and on PostgreSQL.

Each test points the app's settings at a real database (a SQLite file, or a database copied from
the migrated template on the throwaway PostgreSQL), runs the command as a person would, and then
asks the app's own services whether what it wrote is sound: the board finds the gigs and filters
them as the LIKE baseline does, the search index holds every gig, the money balances, the
credentials verify, the track records are stored, the printed password signs people in, and new
rows still get fresh ids. The refusals write nothing.
"""

from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel, func, select

import microgigs.models  # noqa: F401  (registers every table)
from benchmarks.naive_search import like_search
from microgigs import db, settings
from microgigs.cli import NO_SCHEMA, main
from microgigs.demo import load_data
from microgigs.demo.logins import DEMO_PASSWORD
from microgigs.models import (
    Application,
    Credential,
    EmployerTrackRecord,
    Engagement,
    EngagementPayment,
    Gig,
    GigSkill,
    Organization,
    SavedGig,
    Skill,
    StudentProfile,
    StudentSkill,
    User,
)
from microgigs.services import accounts, credentials, password_sign_in, payments, search, track_record
from microgigs.services.gigs import list_board
from microgigs.services.search import BoardQuery

GIGS, STUDENTS = 300, 50
# Each test picks its databases itself (SQLite and PostgreSQL): run once, in the SQLite run.
pytestmark = pytest.mark.one_database


def _point_at(monkeypatch, data_dir, url: str, *, demo_mode: bool = True) -> None:
    monkeypatch.setenv("MICROGIGS_DATA_DIR", str(data_dir))
    monkeypatch.setenv("MICROGIGS_DATABASE_URL", url)
    monkeypatch.setenv("MICROGIGS_DEMO_MODE", "true" if demo_mode else "false")
    settings.get_settings.cache_clear()
    db.get_engine.cache_clear()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path, monkeypatch):
    """The URL of an empty database with the schema, which the app's settings now point at."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'load.db'}"
        engine = db.make_engine(url)
        SQLModel.metadata.create_all(engine)
        engine.dispose()
    else:
        url = request.getfixturevalue("postgres_engine").url.render_as_string(hide_password=False)
    _point_at(monkeypatch, tmp_path, url)
    yield url
    db.get_engine().dispose()
    db.get_engine.cache_clear()
    settings.get_settings.cache_clear()


@pytest.fixture
def sqlite_database(tmp_path, monkeypatch):
    """An empty SQLite database with the schema, which the app's settings now point at."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    engine = db.make_engine(url)
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    _point_at(monkeypatch, tmp_path, url)
    yield url
    db.get_engine().dispose()
    db.get_engine.cache_clear()
    settings.get_settings.cache_clear()


def count(session: Session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def _all_counts(url: str) -> dict[str, int]:
    engine = db.make_engine(url)
    with Session(engine) as session:
        found = {m.__name__: count(session, m) for m in (User, Organization, Gig, GigSkill, Application, Engagement, SavedGig)}
    engine.dispose()
    return found


def test_seed_load_fills_the_database_soundly(database, capsys):
    assert main(["seed-load", "--gigs", str(GIGS), "--students", str(STUDENTS)]) == 0
    printed = capsys.readouterr().out
    assert DEMO_PASSWORD in printed
    assert f"load.student1@{accounts.DEMO_EMAIL_DOMAIN}" in printed and f"load.student{STUDENTS}@" in printed
    today = date.today()

    with Session(db.get_engine()) as session:
        # Counts: what was asked for, in every state, with the people's parts.
        assert count(session, Gig) == GIGS
        assert count(session, User, User.role == "student") == STUDENTS
        assert count(session, StudentProfile) == STUDENTS
        assert count(session, StudentSkill) >= 2 * STUDENTS
        assert count(session, Organization, Organization.kind == "employer") == 2
        assert count(session, SavedGig) > 0
        statuses = dict(session.exec(select(Gig.status, func.count()).group_by(Gig.status)).all())
        assert statuses["open"] > GIGS * 0.7 and {"completed", "expired"} <= set(statuses)
        assert f"{GIGS:,} gigs" in printed

        # Each gig as the services leave it: applicants numbered 1.., places filled by the accepted,
        # every applicant of a closed gig answered.
        for gig in session.exec(select(Gig)):
            apps = session.exec(select(Application).where(Application.gig_id == gig.id)).all()
            assert sorted(a.anonymous_number for a in apps) == list(range(1, len(apps) + 1))
            assert gig.filled_slots == sum(a.status == "accepted" for a in apps)
            if gig.status in ("expired", "cancelled", "completed"):
                assert all(a.status in ("accepted", "declined") and a.decided_at for a in apps)
            if gig.status == "open":
                assert gig.published_at is not None and gig.filled_slots == 0

        # The money balances, the payment rows agree, and paid work carries a credential that verifies.
        engagements = session.exec(select(Engagement)).all()
        assert engagements
        for engagement in engagements:
            assert payments.balance(session, engagement.id).balanced
            state = session.get(EngagementPayment, engagement.id).state
            assert state == ("paid" if engagement.status == "paid" else "funded")
        paid = [e for e in engagements if e.status == "paid"]
        assert paid and count(session, Credential) == len(paid)
        credential = session.exec(select(Credential)).first()
        assert credentials.verify(session, credential.jwt).status == "valid"

        # Every employer's track record is stored and is what the app computes.
        for org_id in session.exec(select(Organization.id).where(Organization.kind == "employer")):
            stored = session.get(EmployerTrackRecord, org_id)
            assert stored is not None
            assert track_record.shown_record(session, org_id) == track_record.track_record(session, org_id)

        # The word index holds every gig.
        if session.get_bind().dialect.name == "sqlite":
            assert search.ensure_index(session) is False  # present, triggers and all
            assert session.exec(text("SELECT count(*) FROM gig_fts")).one()[0] == GIGS
        else:
            assert session.exec(text("SELECT count(*) FROM gig WHERE search_document IS NULL")).one()[0] == 0

        # The board: every open gig still taking applications, found by a word of its title, filtered
        # as the LIKE baseline filters (same gigs, same order).
        on_board = count(session, Gig, Gig.status == "open", Gig.application_deadline >= today)
        assert list_board(session, filters=BoardQuery(), today=today).total == on_board
        gig = session.exec(select(Gig).where(Gig.status == "open").order_by(Gig.id.desc())).first()
        title_word = gig.title.split()[1]  # the thing: "survey", "logo", "dashboard" ...
        skill_name = session.exec(select(Skill.name).join(GigSkill, GigSkill.skill_id == Skill.id).where(GigSkill.gig_id == gig.id)).first()
        queries = [
            BoardQuery(q=gig.title),
            BoardQuery(q=title_word),
            BoardQuery(q=title_word, category=gig.category, sort="pay"),
            BoardQuery(category=gig.category, pay_min=gig.pay_cents // 100, sort="deadline"),
            BoardQuery(q=gig.title.split()[0], mode="remote", hours_max=40),
            # Words and a skill: on PostgreSQL they meet in the GIN index (a lexeme per skill id,
            # which no typed word matches: "skill" finds only what LIKE finds).
            BoardQuery(q=title_word, skills=[skill_name]),
            BoardQuery(q="skill"),
        ]
        assert gig.id in search.search_gigs(session, queries[0], per_page=50, today=today).gig_ids
        for query in queries:
            found = search.search_gigs(session, query, per_page=50, today=today)
            baseline = like_search(session, query, per_page=50, today=today)
            assert (found.total, found.gig_ids) == (baseline.total, baseline.gig_ids), query.url()
        page = list_board(session, filters=queries[2], today=today)
        assert page.cards and all(card.category == gig.category and title_word.lower() in card.title.lower() for card in page.cards)

    # The printed password signs a generated student and a manager in, through the sign-in service.
    with db.session_scope() as session:
        signed = password_sign_in.attempt(session, load_data.student_email(STUDENTS), DEMO_PASSWORD, client="127.0.0.1", device_token=None)
        assert signed.user is not None and signed.user.role == "student"
        assert accounts.authenticate(session, load_data.manager_email(1), DEMO_PASSWORD).role == "manager"
        # New rows get fresh ids after the load's explicit ones (PostgreSQL's sequences moved on).
        newcomer = accounts.sign_up(session, accounts.SignUp(email="new@example.edu", password="a-long-new-password", display_name="New"))
        assert newcomer is not None and newcomer.id > STUDENTS


def test_refused_outside_demo_mode(database, tmp_path, monkeypatch, capsys):
    _point_at(monkeypatch, tmp_path, database, demo_mode=False)
    assert main(["seed-load", "--gigs", "20", "--students", "5"]) == 1
    assert "only seeded in demo mode" in capsys.readouterr().err
    assert set(_all_counts(database).values()) == {0}


def test_refused_without_the_schema(tmp_path, monkeypatch, capsys):
    _point_at(monkeypatch, tmp_path, f"sqlite:///{tmp_path / 'empty.db'}")
    assert main(["seed-load", "--gigs", "20", "--students", "5"]) == 1
    assert NO_SCHEMA in capsys.readouterr().err
    db.get_engine().dispose()
    db.get_engine.cache_clear()


def test_a_second_load_is_refused_and_writes_nothing(database, capsys):
    assert main(["seed-load", "--gigs", "30", "--students", "10"]) == 0
    before = _all_counts(database)
    assert main(["seed-load", "--gigs", "30", "--students", "10"]) == 1
    assert "already holds a load" in capsys.readouterr().err
    assert _all_counts(database) == before


def test_real_accounts_are_kept_apart_unless_forced(database, capsys):
    with db.session_scope() as session:
        accounts.sign_up(session, accounts.SignUp(email="alex@example.edu", password="a-long-real-password", display_name="Alex"))
    before = _all_counts(database)
    assert main(["seed-load", "--gigs", "30", "--students", "10"]) == 1
    assert "accounts of real people" in capsys.readouterr().err
    assert _all_counts(database) == before

    assert main(["seed-load", "--gigs", "30", "--students", "10", "--force"]) == 0
    with db.session_scope() as session:
        assert count(session, Gig) == 30
        assert accounts.authenticate(session, "alex@example.edu", "a-long-real-password").display_name == "Alex"


def test_a_load_goes_beside_the_demo_campus(sqlite_database):
    """`make run`'s demo campus and then a load: both kept, ids continue after the demo's, the
    skills are shared by name, and the demo's people still sign in."""
    assert main(["seed-demo"]) == 0
    before = _all_counts(sqlite_database)
    with db.session_scope() as session:
        demo_skills = set(session.exec(select(Skill.name)))
    assert main(["seed-load", "--gigs", "40", "--students", "10"]) == 0
    after = _all_counts(sqlite_database)
    assert after["Gig"] == before["Gig"] + 40 and after["User"] > before["User"] + 10
    with db.session_scope() as session:
        extra = {name for names in load_data.EXTRA_SKILLS.values() for name in names}
        assert set(session.exec(select(Skill.name))) == demo_skills | extra  # the demo's are reused, not doubled
        assert accounts.authenticate(session, "student1@demo.microgigs.test", DEMO_PASSWORD).role == "student"
        assert accounts.authenticate(session, load_data.student_email(10), DEMO_PASSWORD).role == "student"
        assert count(session, Organization, Organization.kind == "career_center") == 1


@pytest.mark.parametrize("students", [0, 2])
def test_gigs_without_enough_students_took_nobody(sqlite_database, students):
    """Too few students to fill a gig's places: no gig is filled, in progress or completed."""
    assert main(["seed-load", "--gigs", "200", "--students", str(students)]) == 0
    with db.session_scope() as session:
        assert count(session, Gig) == 200
        assert count(session, Gig, Gig.status.in_(load_data.TAKEN)) == 0 == count(session, Engagement)
        assert count(session, Gig, Gig.filled_slots > 0) == 0
