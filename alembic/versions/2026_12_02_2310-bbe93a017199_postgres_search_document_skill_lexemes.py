"""postgres search document: a lexeme per skill id, so a word search with a skills filter
meets both inside the GIN index

PostgreSQL only. A board search with words and skills (e.g. "translate" + Translation) found
its words through the GIN index and then checked the skills gig by gig, or the reverse: at
100,000 gigs both read some 6,000 rows to keep 400 (30-40 ms). Now each gig's document also
holds `_skill<id>` for each of its skills, and the search asks the index for
`words & (_skill3 | _skill7)`: only the gigs that have both are read (about 2 ms).
No word a person types can match such a lexeme: the search's words are letters and digits
only (no "_"), so not even as a prefix. The lexemes carry no position; the rank (ts_rank of the
words alone) is unchanged.

The function gig_search_document (which every trigger calls) is replaced and every gig's
document refilled; the downgrade puts the previous function back and refills again.

Revision ID: bbe93a017199
Revises: 89a4d93ca0a9
Create Date: 2026-12-02 23:10:00.000000

"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = 'bbe93a017199'
down_revision: Union[str, Sequence[str], None] = '89a4d93ca0a9'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Frozen here (not imported from the app), so this revision always does the same thing.
WEIGHTED_TEXT = """setweight(to_tsvector('simple', coalesce(p_title, '')), 'A')
            || setweight(to_tsvector('simple', coalesce((
                SELECT string_agg(s.name, ' ' ORDER BY s.id) FROM gigskill gs JOIN skill s ON s.id = gs.skill_id
                WHERE gs.gig_id = p_gig_id), '')), 'B')
            || setweight(to_tsvector('simple', coalesce(p_summary, '')), 'C')
            || setweight(to_tsvector('simple', coalesce((
                SELECT o.name FROM organization o WHERE o.id = p_organization_id), '')), 'D')"""
SKILL_LEXEMES = """
            || coalesce((SELECT array_to_tsvector(array_agg('_skill' || gs.skill_id))
                FROM gigskill gs WHERE gs.gig_id = p_gig_id), ''::tsvector)"""


def _function(body: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION gig_search_document(p_title text, p_summary text, p_gig_id integer, p_organization_id integer)
    RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT {body}
    $$"""


REFILL = "UPDATE gig SET search_document = gig_search_document(title, summary, id, organization_id)"


def upgrade() -> None:
    """Upgrade schema."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_function(WEIGHTED_TEXT + SKILL_LEXEMES))
    op.execute(REFILL)


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_function(WEIGHTED_TEXT))
    op.execute(REFILL)
