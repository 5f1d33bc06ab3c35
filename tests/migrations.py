"""Running alembic from the tests, through alembic/env.py as the `alembic` command does.

env.py takes the database from the settings (MICROGIGS_DATABASE_URL), so each command points
that setting at the database it is given and puts it back afterwards.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from alembic import command
from microgigs.settings import get_settings

ALEMBIC_DIR = Path(__file__).resolve().parents[1] / "alembic"


def alembic_config() -> Config:
    # No ini file: alembic.ini's logging section would switch off every logger made so far
    # (and so the log assertions of later tests).
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    return config


def revisions() -> list[str]:
    """Every revision id, oldest first (one line of history: a second head fails here)."""
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1, f"the migrations have several heads: {script.get_heads()}"
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


@contextmanager
def _settings_pointed_at(url: str) -> Iterator[None]:
    saved = os.environ.get("MICROGIGS_DATABASE_URL")
    os.environ["MICROGIGS_DATABASE_URL"] = url
    get_settings.cache_clear()
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("MICROGIGS_DATABASE_URL", None)
        else:
            os.environ["MICROGIGS_DATABASE_URL"] = saved
        get_settings.cache_clear()


def upgrade(url: str, revision: str = "head") -> None:
    with _settings_pointed_at(url):
        command.upgrade(alembic_config(), revision)


def downgrade(url: str, revision: str) -> None:
    with _settings_pointed_at(url):
        command.downgrade(alembic_config(), revision)


@contextmanager
def empty_postgres_database(server, prefix: str = "empty") -> Iterator[str]:
    """A new database with nothing in it on the throwaway PostgreSQL (tests/conftest.py's
    postgres_server); its URL, dropped afterwards."""
    from sqlalchemy import text

    name = f"{prefix}_{next(server.names)}"
    with server.admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield server.url(name)
    finally:
        with server.admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
