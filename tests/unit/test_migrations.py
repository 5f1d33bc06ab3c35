"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL, and
every revision's downgrade undoes its upgrade.

Each test starts from an empty database (a new SQLite file, or a new empty database on the
throwaway PostgreSQL of tests/conftest.py) and runs alembic through alembic/env.py, as
`alembic upgrade head` does. The comparison is alembic's autogenerate with the options env.py
uses (microgigs/schema_comparison.py): tables, columns, types, nullability, server defaults,
indexes, unique constraints and foreign keys.
"""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, pool, text
from sqlmodel import Session, SQLModel

import microgigs.models  # noqa: F401  (registers every table on SQLModel.metadata)
from microgigs.schema_comparison import COMPARE_OPTIONS
from microgigs.services import search
from tests.migrations import downgrade, empty_postgres_database, revisions, upgrade


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request, tmp_path):
    """The URL of a database with nothing in it yet."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    with empty_postgres_database(request.getfixturevalue("postgres_server")) as url:
        yield url


def differences(url: str) -> set[tuple]:
    """What alembic's autogenerate would change to make the database match the models, each as
    (operation, table, name)."""
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            found = compare_metadata(MigrationContext.configure(connection, opts=COMPARE_OPTIONS), SQLModel.metadata)
    finally:
        engine.dispose()
    described = set()
    for diff in found:
        if isinstance(diff, list):  # changes to one column: [("modify_type", schema, table, column, ...), ...]
            described.update((change[0], change[2], change[3]) for change in diff)
        elif diff[0] in ("add_table", "remove_table"):
            described.add((diff[0], diff[1].name, ""))
        elif diff[0] in ("add_column", "remove_column"):
            described.add((diff[0], diff[2], diff[3].name))
        elif diff[0] in ("add_index", "remove_index", "add_constraint", "remove_constraint", "add_fk", "remove_fk"):
            described.add((diff[0], diff[1].table.name, str(diff[1].name)))
        else:
            described.add((diff[0], "", repr(diff[1:])))
    return described


def schema_of(url: str) -> dict[str, list[str]]:
    """Everything the database reports of its schema: each table's columns (in order, with type,
    nullability and server default), primary key, indexes, unique, check and foreign key
    constraints; and the views, sequences, triggers and functions beside the tables."""
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            inspector = inspect(connection)
            reports = {
                "columns": inspector.get_multi_columns(),
                "primary key": inspector.get_multi_pk_constraint(),
                "indexes": inspector.get_multi_indexes(),
                "unique": inspector.get_multi_unique_constraints(),
                "checks": inspector.get_multi_check_constraints(),
                "foreign keys": inspector.get_multi_foreign_keys(),
            }
            schema = {
                f"{kind} of {table}": [repr(item) for item in (items if kind == "columns" else sorted(items, key=repr))]
                if isinstance(items, list)
                else [repr(items)]
                for kind, report in reports.items()
                for (_schema, table), items in report.items()
            }
            schema["views"] = sorted(inspector.get_view_names())
            schema["sequences"] = sorted(inspector.get_sequence_names()) if connection.dialect.supports_sequences else []
            if connection.dialect.name == "sqlite":
                extras = "SELECT type || ' ' || name FROM sqlite_master WHERE type = 'trigger'"
            else:
                extras = (
                    "SELECT 'trigger ' || tgname FROM pg_trigger WHERE NOT tgisinternal"
                    " UNION ALL SELECT 'function ' || proname FROM pg_proc"
                    " JOIN pg_namespace ON pg_namespace.oid = pronamespace WHERE nspname = 'public'"
                )
            schema["triggers and functions"] = sorted(connection.execute(text(extras)).scalars())
            return schema
    finally:
        engine.dispose()


def test_the_migrations_build_the_schema_of_the_models(empty_database):
    """...and a database in use still has it once the app has made its SQLite search index."""
    upgrade(empty_database, "head")
    assert differences(empty_database) == set()

    engine = create_engine(empty_database, poolclass=pool.NullPool)
    with Session(engine) as session:
        search.ensure_index(session)
        session.commit()
    engine.dispose()
    assert differences(empty_database) == set()


def test_the_comparison_sees_a_database_that_drifted_from_the_models(empty_database):
    """The comparison is not blind: a missing index, a stray column and a stray table (even named
    like the search objects it leaves out on purpose), and, where the database can alter them in
    place, a changed type and nullability are all reported."""
    upgrade(empty_database, "head")
    engine = create_engine(empty_database, poolclass=pool.NullPool)
    with engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_user_role"))
        connection.execute(text("ALTER TABLE skill ADD COLUMN search_document INTEGER"))
        connection.execute(text("CREATE TABLE gig_fts_stray (id INTEGER PRIMARY KEY)"))
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            connection.execute(text("ALTER TABLE skill ALTER COLUMN category TYPE TEXT, ALTER COLUMN category DROP NOT NULL"))
    engine.dispose()

    expected = {
        ("add_index", "user", "ix_user_role"),
        ("remove_column", "skill", "search_document"),
        ("remove_table", "gig_fts_stray", ""),
    }
    if postgres:
        expected |= {("modify_type", "skill", "category"), ("modify_nullable", "skill", "category")}
    assert differences(empty_database) == expected


def test_every_revision_downgrades_to_the_schema_it_upgraded_from(empty_database):
    """upgrade head -> downgrade base -> then one revision at a time up to head and back down,
    the schema after each downgrade exactly the one before that revision's upgrade; and
    upgrade head again gives the models' schema."""
    upgrade(empty_database, "head")
    downgrade(empty_database, "base")
    left = {kind: names for kind, names in schema_of(empty_database).items() if names and "alembic_version" not in kind}
    assert left == {}, "downgrading to base left these behind"

    history = revisions()
    before = {}  # revision -> the schema just before its upgrade
    for revision in history:
        before[revision] = schema_of(empty_database)
        upgrade(empty_database, revision)
    for revision in reversed(history):
        downgrade(empty_database, "-1")
        assert schema_of(empty_database) == before[revision], f"downgrading {revision} left a different schema"

    upgrade(empty_database, "head")
    assert differences(empty_database) == set()
