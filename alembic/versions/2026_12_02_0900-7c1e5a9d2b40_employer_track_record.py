"""employer track record, stored

Revision ID: 7c1e5a9d2b40
Revises: b97cbd1d6031
Create Date: 2026-12-02 09:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = '7c1e5a9d2b40'
down_revision: Union[str, Sequence[str], None] = 'b97cbd1d6031'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # The rows are filled by the "refresh employer track records" job when the app starts
    # (and a gig page computes a missing one on the spot until then).
    op.create_table('employertrackrecord',
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('median_review_days', sa.Float(), nullable=True),
    sa.Column('paid_on_time_percent', sa.Integer(), nullable=True),
    sa.Column('rating', sa.Float(), nullable=True),
    sa.Column('rating_count', sa.Integer(), nullable=False),
    sa.Column('unanswered_percent', sa.Integer(), nullable=True),
    sa.Column('finished_engagements', sa.Integer(), nullable=False),
    sa.Column('computed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('stale_after', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('organization_id')
    )
    with op.batch_alter_table('employertrackrecord', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employertrackrecord_computed_at'), ['computed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_employertrackrecord_stale_after'), ['stale_after'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('employertrackrecord', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employertrackrecord_stale_after'))
        batch_op.drop_index(batch_op.f('ix_employertrackrecord_computed_at'))

    op.drop_table('employertrackrecord')
