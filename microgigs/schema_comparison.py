"""How a migrated database is held against the models (alembic's autogenerate comparison).

alembic/env.py configures `alembic revision --autogenerate` and `alembic check` with these
options, and tests/unit/test_migrations.py uses the same ones to prove that the migrations build
exactly the schema the models describe, on SQLite and on PostgreSQL.
"""

# PostgreSQL's search document (gig.search_document and its GIN index) is made by its own
# migration and kept off the models, since SQLite has no tsvector: a comparison against a
# PostgreSQL database must neither report it nor propose dropping it. Only these two objects.
MIGRATION_ONLY = {("column", "gig", "search_document"), ("index", "gig", "ix_gig_search_document")}

# SQLite's full-text index of the board is made by the app on first use (services/search.py),
# neither by the models nor by a migration: the FTS5 table and the shadow tables FTS5 keeps.
APP_MADE_TABLES = {"gig_fts", *(f"gig_fts_{part}" for part in ("data", "idx", "content", "docsize", "config"))}


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Skip what the database holds on purpose beyond the models; compare everything else."""
    if not (reflected and compare_to is None):
        return True
    if type_ == "table":
        return name not in APP_MADE_TABLES
    if type_ in ("column", "index"):
        return (type_, obj.table.name, name) not in MIGRATION_ONLY
    return True


# Types and server defaults are compared too (alembic compares tables, columns, nullability,
# indexes, unique constraints and foreign keys by default).
COMPARE_OPTIONS = {"compare_type": True, "compare_server_default": True, "include_object": include_object}
