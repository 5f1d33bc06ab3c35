"""calendar feeds: each person's private calendar link, kept as its token's hash

Revision ID: 978c2a0b97f8
Revises: d24d56fdbb3a
Create Date: 2026-12-03 16:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = '978c2a0b97f8'
down_revision: Union[str, Sequence[str], None] = 'd24d56fdbb3a'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('calendarfeed',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )
    with op.batch_alter_table('calendarfeed', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendarfeed_token_hash'), ['token_hash'], unique=True)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('calendarfeed', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendarfeed_token_hash'))

    op.drop_table('calendarfeed')
