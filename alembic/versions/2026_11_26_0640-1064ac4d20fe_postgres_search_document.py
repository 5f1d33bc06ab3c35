"""postgres search document: gig.search_document (tsvector), its GIN index and the triggers
that keep it current

PostgreSQL only: the board's word search matches `gig.search_document @@ tsquery` through the
GIN index instead of building every gig's document per query. The document is weighted as
the search ranks it (title A, skills B, summary C, employer D). Triggers keep it current
when a gig's title / summary / organization changes, when its skills change, and when an
organization is renamed: the events the SQLite FTS5 triggers in services/search.py cover.

SQLite keeps FTS5 (services/search.py creates it on first use): nothing happens there. The
column is not on the SQLModel model, so `create_all` and autogenerate never see it.

Revision ID: 1064ac4d20fe
Revises: 0ad1d064be7e
Create Date: 2026-11-26 06:40:00.000000

"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '1064ac4d20fe'
down_revision: Union[str, Sequence[str], None] = '0ad1d064be7e'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Frozen here (not imported from the app), so this revision always does the same thing.
UPGRADE = (
    "ALTER TABLE gig ADD COLUMN search_document tsvector",
    # One gig's document from its own columns, its skills and its employer's name.
    """CREATE FUNCTION gig_search_document(p_title text, p_summary text, p_gig_id integer, p_organization_id integer)
    RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('simple', coalesce(p_title, '')), 'A')
            || setweight(to_tsvector('simple', coalesce((
                SELECT string_agg(s.name, ' ' ORDER BY s.id) FROM gigskill gs JOIN skill s ON s.id = gs.skill_id
                WHERE gs.gig_id = p_gig_id), '')), 'B')
            || setweight(to_tsvector('simple', coalesce(p_summary, '')), 'C')
            || setweight(to_tsvector('simple', coalesce((
                SELECT o.name FROM organization o WHERE o.id = p_organization_id), '')), 'D')
    $$""",
    # A gig written: its document is set in the same row write (no second update).
    """CREATE FUNCTION gig_search_document_set() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_document := gig_search_document(NEW.title, NEW.summary, NEW.id, NEW.organization_id);
        RETURN NEW;
    END
    $$""",
    """CREATE TRIGGER gig_search_document_bi BEFORE INSERT ON gig
    FOR EACH ROW EXECUTE FUNCTION gig_search_document_set()""",
    """CREATE TRIGGER gig_search_document_bu BEFORE UPDATE OF title, summary, organization_id ON gig
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.summary IS DISTINCT FROM NEW.summary
        OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
    EXECUTE FUNCTION gig_search_document_set()""",
    # Skills added, removed or changed: once per statement, each gig touched refreshed once
    # (a bulk insert of skills does not rewrite a gig once per skill).
    """CREATE FUNCTION gigskill_search_document_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE gig SET search_document = gig_search_document(gig.title, gig.summary, gig.id, gig.organization_id)
        WHERE gig.id IN (SELECT gig_id FROM changed_skills);
        RETURN NULL;
    END
    $$""",
    """CREATE FUNCTION gigskill_search_document_refresh_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE gig SET search_document = gig_search_document(gig.title, gig.summary, gig.id, gig.organization_id)
        WHERE gig.id IN (SELECT gig_id FROM changed_skills UNION SELECT gig_id FROM changed_skills_before);
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER gigskill_search_document_ai AFTER INSERT ON gigskill
    REFERENCING NEW TABLE AS changed_skills
    FOR EACH STATEMENT EXECUTE FUNCTION gigskill_search_document_refresh()""",
    """CREATE TRIGGER gigskill_search_document_ad AFTER DELETE ON gigskill
    REFERENCING OLD TABLE AS changed_skills
    FOR EACH STATEMENT EXECUTE FUNCTION gigskill_search_document_refresh()""",
    """CREATE TRIGGER gigskill_search_document_au AFTER UPDATE ON gigskill
    REFERENCING OLD TABLE AS changed_skills_before NEW TABLE AS changed_skills
    FOR EACH STATEMENT EXECUTE FUNCTION gigskill_search_document_refresh_moved()""",
    # An employer renamed: every gig of theirs.
    """CREATE FUNCTION organization_search_document_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE gig SET search_document = gig_search_document(gig.title, gig.summary, gig.id, gig.organization_id)
        WHERE gig.organization_id = NEW.id;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER organization_search_document_au AFTER UPDATE OF name ON organization
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION organization_search_document_refresh()""",
    # The gigs already there.
    "UPDATE gig SET search_document = gig_search_document(title, summary, id, organization_id)",
    # fastupdate off: a new or edited gig goes straight into the index instead of a pending
    # list that every search would scan (and the planner would shun) until the next vacuum.
    # The board is read far more often than gigs are written.
    "CREATE INDEX ix_gig_search_document ON gig USING gin (search_document) WITH (fastupdate = off)",
)

DOWNGRADE = (
    "DROP TRIGGER IF EXISTS organization_search_document_au ON organization",
    "DROP TRIGGER IF EXISTS gigskill_search_document_au ON gigskill",
    "DROP TRIGGER IF EXISTS gigskill_search_document_ad ON gigskill",
    "DROP TRIGGER IF EXISTS gigskill_search_document_ai ON gigskill",
    "DROP TRIGGER IF EXISTS gig_search_document_bu ON gig",
    "DROP TRIGGER IF EXISTS gig_search_document_bi ON gig",
    "DROP FUNCTION IF EXISTS organization_search_document_refresh()",
    "DROP FUNCTION IF EXISTS gigskill_search_document_refresh_moved()",
    "DROP FUNCTION IF EXISTS gigskill_search_document_refresh()",
    "DROP FUNCTION IF EXISTS gig_search_document_set()",
    "DROP FUNCTION IF EXISTS gig_search_document(text, text, integer, integer)",
    "DROP INDEX IF EXISTS ix_gig_search_document",
    "ALTER TABLE gig DROP COLUMN IF EXISTS search_document",
)


def upgrade() -> None:
    """Upgrade schema."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in DOWNGRADE:
        op.execute(statement)
