"""Shared fixtures: a fresh SQLite database per test, schema built from the models."""

import pytest
from sqlmodel import Session, SQLModel

import microgigs.models  # noqa: F401  (registers every table on SQLModel.metadata)
from microgigs.db import make_engine


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
