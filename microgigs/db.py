"""Engine, session scope and SQLite pragmas: the one way code talks to the database."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from microgigs import timings
from microgigs.data_folder import secure_data_folder
from microgigs.settings import get_settings


def make_engine(url: str) -> Engine:
    """Build an engine; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    is_sqlite = url.startswith("sqlite")
    # PostgreSQL: psycopg prepares a statement on its fifth run, and the server may then plan it
    # once for any parameters (a generic plan). A board search's best plan depends on its words
    # (how many gigs hold them): a generic plan made "data" + best match 5x slower (5 -> 27 ms).
    # Each run is planned for its own values (planning costs a fraction of a millisecond).
    postgres_args = {"options": "-c plan_cache_mode=force_custom_plan"}
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30} if is_sqlite else postgres_args,
        pool_pre_ping=not is_sqlite,
    )
    if is_sqlite:

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Reads come straight from the OS page cache (memory-mapped) and each connection
            # keeps up to 16 MB of pages: the board's searches look up many rows.
            cursor.execute("PRAGMA mmap_size=268435456")
            cursor.execute("PRAGMA cache_size=-16000")
            cursor.close()

    return engine


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    # The data folder holds the SQLite file, keys and people's files: owner only (0700).
    secure_data_folder(settings)
    return make_engine(settings.sqlalchemy_url)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            with timings.phase("db.commit"):
                session.commit()
        except Exception:
            session.rollback()
            raise
