"""each gig's time zone (an IANA name): its deadline dates end at 23:59 there

Revision ID: 9d4b2e6f1a37
Revises: c3e1a7b5d902
Create Date: 2026-12-03 22:00:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = "9d4b2e6f1a37"
down_revision: str | None = "c3e1a7b5d902"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema. Gigs already posted keep UTC; the default then goes (the model has its own)."""
    with op.batch_alter_table("gig", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default=sa.text("'UTC'"))
        )
    with op.batch_alter_table("gig", schema=None) as batch_op:
        batch_op.alter_column("timezone", server_default=None)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("gig", schema=None) as batch_op:
        batch_op.drop_column("timezone")
