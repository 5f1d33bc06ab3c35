"""Alembic environment for the plain `alembic` command.

`reflex db migrate` / `makemigrations` don't run this file: Reflex configures alembic itself
with the same choices (SQLModel metadata, batch mode, `import sqlmodel` in revisions).
"""

from logging.config import fileConfig

from sqlalchemy import create_engine, pool
from sqlmodel import SQLModel

import microgigs.models  # noqa: F401  (registers every table on SQLModel.metadata)
from alembic import context
from microgigs.schema_comparison import COMPARE_OPTIONS
from microgigs.settings import get_settings

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# A caller may name the database itself (`microgigs restore` migrates its copy before placing it).
URL = config.attributes.get("sqlalchemy_url") or get_settings().sqlalchemy_url
target_metadata = SQLModel.metadata


def render_item(_type, _obj, autogen_context):
    """String columns are sqlmodel.AutoString, so every revision imports sqlmodel."""
    autogen_context.imports.add("import sqlmodel")
    return False  # keep alembic's default rendering


def _configure(**kwargs) -> None:
    context.configure(
        target_metadata=target_metadata,
        # The same comparison tests/unit/test_migrations.py holds the migrations to (types and
        # server defaults compared; PostgreSQL's migration-only search document left out).
        **COMPARE_OPTIONS,
        # SQLite can't ALTER most things; batch mode copies the table instead.
        render_as_batch=URL.startswith("sqlite"),
        render_item=render_item,
        **kwargs,
    )


if context.is_offline_mode():
    _configure(url=URL, literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()
else:
    if URL.startswith("sqlite"):
        get_settings().data_dir.mkdir(parents=True, exist_ok=True)
    # A plain engine, not microgigs.db's: batch mode rebuilds tables, which must not
    # happen with SQLite foreign keys switched on (Reflex's migrate uses a plain engine too).
    engine = create_engine(URL, poolclass=pool.NullPool)
    with engine.connect() as connection:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
