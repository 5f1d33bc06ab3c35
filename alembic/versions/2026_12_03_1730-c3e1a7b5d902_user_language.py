"""each person's language (pages and mail): "en" or "es"

Revision ID: c3e1a7b5d902
Revises: 5a7e3c91b2d4
Create Date: 2026-12-03 17:30:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = "c3e1a7b5d902"
down_revision: str | None = "5a7e3c91b2d4"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema. Everyone already here reads English; the default then goes (the model has none)."""
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False, server_default=sa.text("'en'"))
        )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.alter_column("language", server_default=None)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("language")
