"""Integration fixtures: our Starlette routes against a real SQLite file per test, its schema
built by the migrations (`alembic upgrade head`), as a real install's is."""

import shutil
from datetime import date, timedelta

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import Session
from starlette.testclient import TestClient

import microgigs.models  # noqa: F401  (registers every table)
from microgigs import db, settings
from microgigs.demo import builders
from microgigs.http.app import build_api
from microgigs.http.limits import limit_request_size
from microgigs.services import accounts, gigs
from tests.conftest import ON_POSTGRES
from tests.migrations import upgrade

PASSWORD = "integration-pass-42"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """An empty database migrated to head once per run, as a SQLite file each test copies
    (the migrations are held equal to the models by tests/unit/test_migrations.py)."""
    path = tmp_path_factory.mktemp("migrated") / "template.db"
    upgrade(f"sqlite:///{path}", "head")
    return path


@pytest.fixture
def configured(request, tmp_path, monkeypatch):
    """Point settings at a fresh data dir and a fresh copy of the migrated database (a SQLite
    file in the data dir, or a PostgreSQL database under MICROGIGS_TEST_DATABASE=postgresql);
    undo afterwards."""
    monkeypatch.setenv("MICROGIGS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MICROGIGS_PUBLIC_URL", "http://testserver")
    if ON_POSTGRES:
        postgres = request.getfixturevalue("postgres_engine")
        monkeypatch.setenv("MICROGIGS_DATABASE_URL", postgres.url.render_as_string(hide_password=False))
    settings.get_settings.cache_clear()
    db.get_engine.cache_clear()
    if not ON_POSTGRES:
        shutil.copyfile(request.getfixturevalue("migrated_template"), make_url(settings.get_settings().sqlalchemy_url).database)
    yield db.get_engine()
    db.get_engine().dispose()
    settings.get_settings.cache_clear()
    db.get_engine.cache_clear()


@pytest.fixture
def client(configured):
    """Our routes wrapped in the same size limit as in production."""
    with TestClient(limit_request_size(build_api()), base_url="http://testserver", follow_redirects=False) as c:
        yield c


ORIGIN = {"origin": "http://testserver"}


def make_user(engine, email: str, role: str = "student", org: str = "", *, confirmed: bool = True) -> int:
    """An account signed up through the service; `confirmed`: its owner followed the mailed link
    (that flow has its own tests)."""
    with Session(engine, expire_on_commit=False) as session:
        data = accounts.SignUp(email=email, password=PASSWORD, display_name=email.split("@")[0], role=role, organization_name=org)
        user = builders.signed_up(session, data, confirmed=confirmed)
        if role == "manager":
            builders.vet(session, builders.own_organization(session, user))
        session.commit()
        return user.id


def sign_in(client: TestClient, email: str) -> None:
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD}, headers=ORIGIN)
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"


def market_scan(title: str = "Market scan", *, skills: list[str] | None = None) -> gigs.GigInput:
    """The routes' tests' one small research gig: due in 20 days, applications for 5, $120."""
    return gigs.GigInput(
        title=title,
        summary="Scan the market",
        scope="Find ten competitors.",
        category="Research",
        estimated_hours=4,
        due_date=date.today() + timedelta(days=20),
        application_deadline=date.today() + timedelta(days=5),
        pay_cents=12_000,
        skills=skills or [],
    )
