"""Fixtures and factories for the service unit tests.

The database itself (`db_engine`, `session`: a fresh SQLite file per test) comes from
tests/conftest.py. Here:
- every test gets its own data folder (files land in tmp_path) and default settings;
- argon2 uses cheap parameters unless a test is marked `real_hashing`;
- `make` builds people, gigs and engagements THROUGH the services; what has no service yet
  (confirming an address, vetting an employer, profile fields) it writes with the demo seed's
  own helpers (microgigs/demo/builders.py), and skills directly.
"""

import itertools
import os
import shutil
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import event
from sqlmodel import Session, select

from microgigs import db
from microgigs.db import make_engine
from microgigs.demo import builders
from microgigs.models import Engagement, Gig, Membership, Organization, Skill, User
from microgigs.services import accounts, applications, engagements, gigs
from microgigs.services.applications import ApplicationInput
from microgigs.services.gigs import GigInput
from microgigs.settings import get_settings
from tests.conftest import ON_POSTGRES
from tests.migrations import upgrade

PASSWORD = "correct horse battery staple"
SKILLS = ("Python", "SQL", "Excel", "Copywriting", "Figma", "Statistics", "Research", "Marketing", "Tableau", "R")


def pytest_configure(config):
    config.addinivalue_line("markers", "real_hashing: use argon2's real (slow) default parameters")


@pytest.fixture(scope="session")
def schema_template(tmp_path_factory):
    """The schema built once by the migrations (`alembic upgrade head`, as a real install's is),
    as a SQLite file to copy. tests/unit/test_migrations.py holds it equal to the models."""
    path = tmp_path_factory.mktemp("schema") / "template.db"
    upgrade(f"sqlite:///{path}", "head")
    return path


@pytest.fixture(scope="session")
def _shared_engine(schema_template):
    """One engine (production pragmas from make_engine) for the whole run, so SQLAlchemy's
    compiled-statement cache stays warm; every new connection is pointed at the current
    test's own database file."""
    engine = make_engine(f"sqlite:///{schema_template}")
    # Between tests, a stray connection gets a throwaway file, never the template.
    idle = str(schema_template.parent / "between-tests.db")
    target: dict[str, str] = {"path": idle}

    @event.listens_for(engine, "do_connect")
    def _to_current_test_file(_dialect, _record, cargs, _cparams):
        cargs[0] = target["path"]

    yield engine, target, idle
    engine.dispose()


@pytest.fixture
def db_engine(request, tmp_path):
    """Overrides tests/conftest.py's: a fresh SQLite file per test (WAL, foreign keys on) with
    the schema, copied from a template built once instead of re-running create_all; on
    PostgreSQL (MICROGIGS_TEST_DATABASE=postgresql) a fresh database copied from a migrated one."""
    if ON_POSTGRES:
        yield request.getfixturevalue("postgres_engine")
        return
    schema_template = request.getfixturevalue("schema_template")
    engine, target, idle = request.getfixturevalue("_shared_engine")
    path = tmp_path / "test.db"
    shutil.copyfile(schema_template, path)
    engine.dispose()  # no pooled connection to the previous test's file survives
    target["path"] = str(path)
    yield engine
    engine.dispose()
    target["path"] = idle


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """Default settings, with the data folder (stored files) inside this test's tmp_path."""
    for name in list(os.environ):
        if name.startswith("MICROGIGS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("MICROGIGS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def set_setting(monkeypatch):
    """Change one MICROGIGS_* setting for the rest of the test."""

    def _set(name: str, value) -> None:
        monkeypatch.setenv(f"MICROGIGS_{name.upper()}", str(value))
        get_settings.cache_clear()

    return _set


@pytest.fixture(autouse=True)
def fast_hashing(request, monkeypatch):
    if request.node.get_closest_marker("real_hashing") is None:
        monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def today() -> date:
    return date.today()


@dataclass
class Employer:
    manager: User
    org: Organization


@dataclass
class Hired:
    """A gig with one accepted, funded student."""

    gig: Gig
    student: User
    engagement: Engagement
    employer: Employer


class Factory:
    def __init__(self, session: Session):
        self.session = session
        self._n = itertools.count(1)
        self.skills = self._skills()

    def _skills(self) -> list[Skill]:
        existing = self.session.exec(select(Skill)).all()
        if existing:
            return list(existing)
        rows = [Skill(name=name, category="general") for name in SKILLS]
        self.session.add_all(rows)
        self.session.flush()
        return rows

    def email(self, prefix: str) -> str:
        return f"{prefix}{next(self._n)}@example.edu"

    # --- people --------------------------------------------------------------

    def confirmed(self, user: User) -> User:
        """The person read the confirmation mail (that flow has its own tests): the factory stands
        in for their mailbox, as the demo seed does."""
        builders.confirm_address(self.session, user)
        self.session.flush()
        return user

    def unconfirmed_student(self, email: str = "", name: str = "") -> User:
        """Signed up, never confirmed the address (the account already there when the address is taken)."""
        address = email or self.email("student")
        user = accounts.sign_up(
            self.session, accounts.SignUp(email=address, password=PASSWORD, display_name=name or f"Student {next(self._n)}")
        )
        return user or self.session.exec(select(User).where(User.email == accounts.normalize_email(address))).one()

    def student(self, name: str = "", email: str = "", *, school: str = "", major: str = "", graduation_year: int | None = None) -> User:
        user = self.confirmed(self.unconfirmed_student(email, name))
        if school or major or graduation_year:
            builders.fill_profile(self.session, user, school=school, major=major, graduation_year=graduation_year)
            self.session.flush()
        return user

    def employer(self, org_name: str = "", *, trusted: bool = True, status: str = "approved", manager_name: str = "") -> Employer:
        """A manager signed up through the service, whose organization the career center has vetted."""
        manager, org = builders.vetted_employer(
            self.session,
            accounts.SignUp(
                email=self.email("manager"),
                password=PASSWORD,
                display_name=manager_name or f"Manager {next(self._n)}",
                role="manager",
                organization_name=org_name or f"Employer {next(self._n)}",
            ),
            status=status,
            trusted=trusted,
        )
        self.session.flush()
        return Employer(manager=manager, org=org)

    def second_manager(self, employer: Employer) -> User:
        """Another manager of the same organization (no invitation service yet)."""
        user = builders.signed_up(
            self.session,
            accounts.SignUp(
                email=self.email("comanager"), password=PASSWORD, display_name="Co Manager", role="manager", organization_name="Throwaway"
            ),
        )
        self.session.add(Membership(user_id=user.id, organization_id=employer.org.id, role="manager"))
        # Drop the throwaway org's membership so the co-manager manages only `employer`.
        own = self.session.exec(
            select(Membership).where(Membership.user_id == user.id, Membership.organization_id != employer.org.id)
        ).one()
        self.session.delete(own)
        self.session.flush()
        return user

    def staff(self) -> User:
        return accounts.create_privileged_user(
            self.session, email=self.email("staff"), display_name="Career Staff", password=PASSWORD, role="staff"
        )

    # --- gigs ----------------------------------------------------------------

    @staticmethod
    def gig_input(**overrides) -> GigInput:
        today = date.today()
        values = dict(
            title="Clean a survey data set",
            summary="Tidy 2,000 survey rows and document the steps.",
            scope="Deduplicate rows, fix encodings, write a short README of what changed.",
            category="Data analysis",
            estimated_hours=10,
            due_date=today + timedelta(days=30),
            application_deadline=today + timedelta(days=10),
            pay_cents=30_000,
            deliverables="A CSV and a README.",
            skills=["Python", "SQL"],
        )
        values.update(overrides)
        return GigInput(**values)

    def gig(self, employer: Employer, *, publish: bool = True, **overrides) -> Gig:
        return gigs.create_gig(self.session, employer.manager, self.gig_input(**overrides), publish=publish)

    # --- the loop ------------------------------------------------------------

    def apply(self, student: User, gig: Gig, note: str = "I have cleaned data sets like this before.", **kwargs):
        return applications.apply(self.session, student, gig.id, ApplicationInput(note=note, **kwargs))

    def hired(self, employer: Employer | None = None, student: User | None = None, **gig_overrides) -> Hired:
        employer = employer or self.employer()
        student = student or self.student()
        gig = self.gig(employer, **gig_overrides)
        application = self.apply(student, gig)
        engagement = applications.accept(self.session, employer.manager, application.id)
        return Hired(gig=gig, student=student, engagement=engagement, employer=employer)

    def submit(
        self, hired: Hired, note: str = "Here is the cleaned data set and the README.", link: str = "https://example.com/work", files=None
    ):
        return engagements.submit_deliverable(self.session, hired.student, hired.engagement.id, note, link, files)


@pytest.fixture
def make(session) -> Factory:
    return Factory(session)


@pytest.fixture
def app_db(db_engine, session, monkeypatch):
    """States open their own sessions: point them at this test's database."""
    monkeypatch.setattr(db, "get_engine", lambda: db_engine)
    return session
