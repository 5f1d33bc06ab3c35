"""The demo seed: what `make run` puts in an empty database, and the CLI around it."""

from datetime import date

import pytest
from argon2 import PasswordHasher
from sqlmodel import Session, SQLModel, create_engine, func, select

import microgigs.models  # noqa: F401  (registers every table)
from microgigs import db, settings
from microgigs.cli import main
from microgigs.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, demo_email
from microgigs.demo.seed import seed_demo
from microgigs.models import Application, Engagement, Gig, Membership, Organization, Submission, User
from microgigs.services import accounts, payments
from microgigs.services.errors import DomainError
from microgigs.services.validation import ValidationFailed

TODAY = date(2026, 3, 2)


def _fast_hasher() -> PasswordHasher:
    """Cheap argon2 parameters for these tests only: the seed hashes two dozen passwords."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _point_at(mp: pytest.MonkeyPatch, data_dir, *, demo_mode: bool = True) -> None:
    """Make the app's settings and engine use a SQLite file under data_dir (in demo mode unless told)."""
    mp.setenv("MICROGIGS_DATA_DIR", str(data_dir))
    mp.setenv("MICROGIGS_DEMO_MODE", "true" if demo_mode else "false")
    mp.delenv("MICROGIGS_DATABASE_URL", raising=False)
    settings.get_settings.cache_clear()
    db.get_engine.cache_clear()


def _release() -> None:
    db.get_engine().dispose()
    settings.get_settings.cache_clear()
    db.get_engine.cache_clear()


@pytest.fixture
def fast_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", _fast_hasher())


@pytest.fixture
def engine(tmp_path, monkeypatch, fast_hashing):
    """A fresh, empty database under tmp_path, reached through the app's own settings and engine."""
    _point_at(monkeypatch, tmp_path)
    SQLModel.metadata.create_all(db.get_engine())
    yield db.get_engine()
    _release()


@pytest.fixture(scope="module")
def seeded_dir(tmp_path_factory):
    """One seeded database shared by the read-only tests of this module (seeding takes seconds)."""
    data_dir = tmp_path_factory.mktemp("seeded")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(accounts, "_hasher", _fast_hasher())
        _point_at(mp, data_dir)
        SQLModel.metadata.create_all(db.get_engine())
        with Session(db.get_engine(), expire_on_commit=False) as session:
            summary = seed_demo(session, TODAY)
            session.commit()
        _release()
    return data_dir, summary


@pytest.fixture
def seeded(seeded_dir, monkeypatch, fast_hashing):
    data_dir, summary = seeded_dir
    _point_at(monkeypatch, data_dir)
    with Session(db.get_engine()) as session:
        yield session, summary
    _release()


def count(session: Session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def user(session: Session, local: str) -> User:
    return session.exec(select(User).where(User.email == demo_email(local))).one()


def test_the_seed_builds_the_whole_campus(seeded):
    session, summary = seeded
    assert count(session, Organization, Organization.kind == "career_center", Organization.status == "approved") == 1
    assert count(session, Organization, Organization.kind == "employer", Organization.status == "approved") == 3
    assert count(session, User, User.role == "student") == 20
    assert count(session, User, User.role == "manager") == 3
    assert count(session, User, User.role == "staff") == 1
    assert count(session, Gig) == 40
    assert (summary.career_centers, summary.employers, summary.students, summary.gigs) == (1, 3, 20, 40)
    statuses = set(session.exec(select(Gig.status)).all())
    assert {"open", "completed"} <= statuses
    assert statuses & {"in_progress", "filled"}
    assert statuses <= {"open", "filled", "in_progress", "completed"}
    categories = set(session.exec(select(Gig.category)).all())
    assert len(categories) == 8


def test_every_engagement_ledger_is_balanced_and_paid_work_was_paid(seeded):
    session, _ = seeded
    engagements = session.exec(select(Engagement)).all()
    assert engagements
    for engagement in engagements:
        balance = payments.balance(session, engagement.id)
        assert balance.balanced, engagement.id
        assert balance.funded == engagement.pay_cents + engagement.fee_cents
        if engagement.status == "paid":
            assert balance.transferred == engagement.pay_cents and balance.held == 0


def test_gigs_pay_above_the_floor_and_completed_gigs_are_fully_paid(seeded):
    session, _ = seeded
    floor = settings.get_settings().pay_floor_cents_per_hour
    for gig in session.exec(select(Gig)).all():
        assert gig.pay_cents >= floor * gig.estimated_hours
        assert 1 <= gig.slots <= 3
        if gig.status == "completed":
            statuses = session.exec(select(Engagement.status).where(Engagement.gig_id == gig.id)).all()
            assert len(statuses) == gig.slots and set(statuses) == {"paid"}


def test_manager1_has_work_to_review_and_applicants(seeded):
    session, _ = seeded
    manager1 = user(session, "manager1")
    org_id = session.exec(select(Membership.organization_id).where(Membership.user_id == manager1.id)).one()
    awaiting = session.exec(
        select(Engagement).join(Gig, Gig.id == Engagement.gig_id).where(Gig.organization_id == org_id, Engagement.status == "submitted")
    ).all()
    assert awaiting
    assert all(count(session, Submission, Submission.engagement_id == e.id, Submission.decision == "") == 1 for e in awaiting)
    open_with_applicants = session.exec(
        select(Gig.id)
        .join(Application, Application.gig_id == Gig.id)
        .where(Gig.organization_id == org_id, Gig.status == "open", Application.status == "submitted")
    ).all()
    assert open_with_applicants


def test_student1_has_an_application_active_work_and_a_paid_gig(seeded):
    session, _ = seeded
    student1 = user(session, "student1")
    statuses = set(session.exec(select(Engagement.status).where(Engagement.student_id == student1.id)).all())
    assert {"active", "paid"} <= statuses
    applications = session.exec(select(Application.status).where(Application.student_id == student1.id)).all()
    assert "submitted" in applications
    assert accounts.authenticate(session, student1.email, DEMO_PASSWORD).id == student1.id


def test_every_demo_login_signs_in_and_newest_gigs_are_left_to_apply_to(seeded):
    session, _ = seeded
    for login in DEMO_LOGINS:
        assert accounts.authenticate(session, login.email, DEMO_PASSWORD).role == login.role
    assert count(session, Application, Application.student_id == user(session, "student20").id) == 0
    newest = session.exec(select(Gig).order_by(Gig.published_at.desc(), Gig.id.desc())).first()
    assert newest.status == "open" and newest.application_deadline > TODAY
    fresh_students = [user(session, f"student{n}").id for n in range(11, 21)]
    assert (
        count(
            session,
            Application,
            Application.gig_id == newest.id,
            Application.student_id.in_(fresh_students),
        )
        == 0
    )


def test_the_seed_is_deterministic(engine, tmp_path):
    """Two seeds from the same day write the same gigs with the same dates, pay and states."""

    def shape(eng):
        with Session(eng, expire_on_commit=False) as session:
            seed_demo(session, TODAY)
            session.commit()
            return session.exec(select(Gig.title, Gig.status, Gig.slots, Gig.pay_cents, Gig.application_deadline).order_by(Gig.id)).all()

    other = create_engine(f"sqlite:///{tmp_path / 'other.db'}")
    SQLModel.metadata.create_all(other)
    assert shape(engine) == shape(other)
    other.dispose()


def test_if_empty_does_nothing_on_a_seeded_database(seeded, capsys):
    session, _ = seeded
    before = (count(session, User), count(session, Gig), count(session, Engagement))
    assert main(["seed-demo", "--if-empty"]) == 0
    out = capsys.readouterr().out
    assert "Database already has data; demo seed skipped." in out
    assert "student1@demo.microgigs.test" in out
    session.expire_all()
    assert (count(session, User), count(session, Gig), count(session, Engagement)) == before


def test_seed_demo_command_end_to_end_on_an_empty_database(tmp_path, monkeypatch, fast_hashing, capsys):
    monkeypatch.setenv("MICROGIGS_PUBLIC_URL", "http://localhost:3999")
    _point_at(monkeypatch, tmp_path)
    try:
        SQLModel.metadata.create_all(db.get_engine())
        assert main(["seed-demo", "--if-empty"]) == 0
        out = capsys.readouterr().out
        assert "Demo data seeded" in out
        for local in ("staff", "manager1", "manager2", "manager3", "student1", "student20"):
            assert demo_email(local) in out
        assert DEMO_PASSWORD in out
        assert "Open http://localhost:3999" in out
        with Session(db.get_engine()) as session:
            assert count(session, Gig) == 40
            assert accounts.authenticate(session, demo_email("manager1"), DEMO_PASSWORD).role == "manager"
        # Without --if-empty, a second run finds the demo accounts and adds nothing.
        assert main(["seed-demo"]) == 0
        assert "already in this database" in capsys.readouterr().out
        with Session(db.get_engine()) as session:
            assert count(session, Gig) == 40
    finally:
        _release()


def test_seed_demo_without_tables_asks_for_migrations(tmp_path, monkeypatch, capsys):
    _point_at(monkeypatch, tmp_path)
    try:
        assert main(["seed-demo", "--if-empty"]) == 1
        assert "Run `reflex db migrate` first." in capsys.readouterr().err
    finally:
        _release()


def test_create_admin(engine, monkeypatch, capsys):
    monkeypatch.setenv("MICROGIGS_ADMIN_PASSWORD", "a-long-admin-passphrase")
    assert main(["create-admin", "--email", "Root@Example.edu", "--name", "Ada Admin"]) == 0
    assert "Admin account created: root@example.edu" in capsys.readouterr().out
    with Session(engine) as session:
        admin = accounts.authenticate(session, "root@example.edu", "a-long-admin-passphrase")
        assert admin.role == "admin" and admin.display_name == "Ada Admin"
    # A duplicate, a weak password and a bad email are refused with a readable reason.
    assert main(["create-admin", "--email", "root@example.edu", "--name", "Again"]) == 1
    assert "already exists" in capsys.readouterr().err
    monkeypatch.setenv("MICROGIGS_ADMIN_PASSWORD", "short")
    assert main(["create-admin", "--email", "other@example.edu", "--name", "Other"]) == 1
    assert "at least 10 characters" in capsys.readouterr().err
    monkeypatch.setenv("MICROGIGS_ADMIN_PASSWORD", "a-long-admin-passphrase")
    assert main(["create-admin", "--email", "not-an-email", "--name", "Other"]) == 1
    assert "email address" in capsys.readouterr().err
    with Session(engine) as session:
        assert count(session, User, User.role == "admin") == 1


# --- demo mode is explicit: a real install never gets the demo campus or lets its accounts in ----


def test_outside_demo_mode_nothing_is_seeded(tmp_path, monkeypatch, fast_hashing, capsys):
    _point_at(monkeypatch, tmp_path, demo_mode=False)
    try:
        SQLModel.metadata.create_all(db.get_engine())
        # `make run` on a real install: says why, succeeds, writes nothing.
        assert main(["seed-demo", "--if-empty"]) == 0
        out = capsys.readouterr().out
        assert "Not in demo mode" in out and DEMO_PASSWORD not in out
        # Asked for explicitly: refused with the reason.
        assert main(["seed-demo"]) == 1
        assert "MICROGIGS_DEMO_MODE=true" in capsys.readouterr().err
        with Session(db.get_engine()) as session:
            assert count(session, User) == 0 and count(session, Gig) == 0
            with pytest.raises(DomainError, match="only seeded in demo mode"):
                seed_demo(session, TODAY)
    finally:
        _release()


@pytest.fixture
def seeded_real_install(seeded_dir, monkeypatch, fast_hashing):
    """The seeded demo database, opened by an install that is not in demo mode."""
    data_dir, _ = seeded_dir
    _point_at(monkeypatch, data_dir, demo_mode=False)
    with Session(db.get_engine()) as session:
        yield session
    _release()


def test_outside_demo_mode_demo_accounts_cannot_sign_in_or_keep_a_session(seeded_dir, monkeypatch, fast_hashing):
    data_dir, _ = seeded_dir
    _point_at(monkeypatch, data_dir, demo_mode=False)
    try:
        with Session(db.get_engine()) as session:
            for login in DEMO_LOGINS:
                with pytest.raises(DomainError, match="do not match"):
                    accounts.authenticate(session, login.email, DEMO_PASSWORD)
            staff = session.exec(select(User).where(User.email == demo_email("staff"))).one()
            with pytest.raises(DomainError):
                accounts.start_session(session, staff)
            # A session opened while the install was in demo mode...
            _point_at(monkeypatch, data_dir, demo_mode=True)
            token = accounts.start_session(session, staff)
            session.flush()
            assert accounts.user_for_session_token(session, token).id == staff.id
            # ...stops working once the install is no longer in demo mode.
            _point_at(monkeypatch, data_dir, demo_mode=False)
            assert accounts.user_for_session_token(session, token) is None
            session.rollback()  # the shared seeded database stays as it was
    finally:
        _release()


def test_outside_demo_mode_nobody_signs_up_with_a_demo_address(engine, monkeypatch):
    monkeypatch.setenv("MICROGIGS_DEMO_MODE", "false")
    settings.get_settings.cache_clear()
    with Session(engine) as session:
        with pytest.raises(ValidationFailed) as refused:
            accounts.sign_up(
                session, accounts.SignUp(email="someone@demo.microgigs.test", password="a-fine-password-1", display_name="Someone")
            )
        assert "belong to the demo" in refused.value.errors["email"]
        assert count(session, User) == 0
