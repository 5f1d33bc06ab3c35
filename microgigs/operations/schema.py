"""The schema's migration revision, read and brought to head with alembic (alembic/env.py,
the same migrations `reflex db migrate` runs)."""

from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, pool, text

from alembic import command

ALEMBIC_DIR = Path(__file__).resolve().parents[2] / "alembic"


def _config(url: str | None = None) -> Config:
    # No ini file: its logging section would switch off the loggers the app has made.
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    if url:
        config.attributes["sqlalchemy_url"] = url
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head() or ""


def known_revisions() -> set[str]:
    return {revision.revision for revision in ScriptDirectory.from_config(_config()).walk_revisions()}


def revision_of(url: str) -> str | None:
    """The database's revision (alembic_version), or None when it has none."""
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def table_names(url: str) -> list[str]:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return inspect(connection).get_table_names()
    finally:
        engine.dispose()


def upgrade_to_head(url: str) -> None:
    command.upgrade(_config(url), "head")
