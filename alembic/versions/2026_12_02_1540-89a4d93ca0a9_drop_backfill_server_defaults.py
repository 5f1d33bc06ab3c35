"""drop the server defaults that only filled existing rows

Revision ID: 89a4d93ca0a9
Revises: 7c1e5a9d2b40
Create Date: 2026-12-02 15:40:00.000000

Adding a NOT NULL column to a table that has rows needs a server default to fill them; those
defaults were left on the columns afterwards, where the models have none (the app sets every
value itself: next_attempt_at's '2026-01-01' was only ever a fill). Dropping them makes a
migrated database the schema the models describe (tests/unit/test_migrations.py holds it so).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = '89a4d93ca0a9'
down_revision: Union[str, Sequence[str], None] = '7c1e5a9d2b40'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# table -> (column, its type, the fill default its adding revision gave it)
FILLED_COLUMNS = {
    'user': [('photo_name', sqlmodel.sql.sqltypes.AutoString(length=80), "('')")],
    'review': [('endorsed_skills', sqlmodel.sql.sqltypes.AutoString(length=500), "('')")],
    'engagementpayment': [('payout_request_key', sqlmodel.sql.sqltypes.AutoString(length=140), "('')")],
    'outboxmail': [
        ('status', sqlmodel.sql.sqltypes.AutoString(length=12), "'queued'"),
        ('attempts', sa.Integer(), '0'),
        ('next_attempt_at', sqlmodel.sql.sqltypes.UTCDateTime(), "'2026-01-01 00:00:00'"),
        ('last_error', sqlmodel.sql.sqltypes.AutoString(length=500), "('')"),
    ],
}


def upgrade() -> None:
    """Upgrade schema."""
    for table, columns in FILLED_COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, type_, _fill in columns:
                batch_op.alter_column(column, existing_type=type_, existing_nullable=False, server_default=None)


def downgrade() -> None:
    """Downgrade schema."""
    for table, columns in FILLED_COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, type_, fill in columns:
                batch_op.alter_column(column, existing_type=type_, existing_nullable=False, server_default=sa.text(fill))
