"""Shared fixtures: a fresh database per test, schema built from the models (the unit and
integration suites override it with one built by the migrations).

`MICROGIGS_TEST_DATABASE=postgresql` runs the unit and integration suites on PostgreSQL (a
fresh database per test, copied from a migrated template) instead of SQLite files; `make test`
runs them both ways.
"""

import os

import pytest
from sqlmodel import Session, SQLModel

import microgigs.models  # noqa: F401  (registers every table on SQLModel.metadata)
from microgigs.db import make_engine

# Under CI=true a skipped test fails the run (tests/ci_no_skips.py); pytester runs small suites
# in the tests of that rule.
pytest_plugins = ["tests.ci_no_skips", "pytester"]

ON_POSTGRES = os.environ.get("MICROGIGS_TEST_DATABASE", "sqlite") == "postgresql"


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "one_database: the test picks its database itself (it compares both, or tests SQLite's own behaviour): run once, in the SQLite run",
    )


def pytest_collection_modifyitems(config, items):
    """In the PostgreSQL run, leave out the tests that pick their database themselves: they
    already ran in the SQLite run (deselected, not skipped)."""
    if not ON_POSTGRES:
        return
    kept = [item for item in items if item.get_closest_marker("one_database") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item.get_closest_marker("one_database")])
        items[:] = kept


@pytest.fixture(autouse=True)
def fresh_board_cache():
    """Each test starts with no kept board pages nor center settings (a page kept from another test's database
    would otherwise be shown: the cache is per process)."""
    from microgigs.services import center
    from microgigs.services.gigs import board_cache

    board_cache.clear()
    center.clear()
    yield
    board_cache.clear()
    center.clear()


@pytest.fixture
def db_engine(tmp_path):
    """An engine on a new SQLite file (same pragmas as production: WAL, foreign keys on)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(db_engine):
    """A session on that database; objects stay readable after commit."""
    with Session(db_engine, expire_on_commit=False) as session:
        yield session


# --- PostgreSQL (search's tsvector path) ------------------------------------------

PG_TEMPLATE = "microgigs_template"


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL with the schema migrated into a template database (alembic, as
    `reflex db migrate` does). Skipped only when Debian's server binaries are not installed."""
    import itertools

    from sqlalchemy import create_engine, text

    from tests.migrations import upgrade
    from tests.postgres_server import PostgresServer, binaries

    bin_dir = binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql; `make test` does)")
    server = PostgresServer(bin_dir).start()
    try:
        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {PG_TEMPLATE}"))
        upgrade(server.url(PG_TEMPLATE), "head")
        server.admin = admin
        server.names = itertools.count(1)
        yield server
        admin.dispose()
    finally:
        server.stop()


@pytest.fixture
def postgres_engine(postgres_server):
    """An engine on a new database copied from the migrated template (fast: a file copy)."""
    from sqlalchemy import text

    name = f"test_{next(postgres_server.names)}"
    with postgres_server.admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {PG_TEMPLATE}"))
    engine = make_engine(postgres_server.url(name))
    yield engine
    engine.dispose()
    with postgres_server.admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture(autouse=True)
def no_redis_left_behind():
    """A test that points live updates at its own Redis must put it back: later commits in this
    process would otherwise publish to a Redis that is gone (see test_live_redis)."""
    from microgigs import live

    yield
    assert live._redis is None, "this test left live._redis set: later commits would publish to its Redis"
