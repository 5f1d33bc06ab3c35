"""saved searches, their alerts, mail preferences and unsubscribe links

Bulk mail in the outbox names its recipient and its kind (the List-Unsubscribe header's link is
made for them as the mail leaves); both nullable: mail that must arrive has neither.

Revision ID: 5a7e3c91b2d4
Revises: 978c2a0b97f8
Create Date: 2026-12-03 16:15:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = "5a7e3c91b2d4"
down_revision: str | None = "978c2a0b97f8"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "savedsearch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("query", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("frequency", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("checked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("savedsearch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_savedsearch_user_id"), ["user_id"], unique=False)

    op.create_table(
        "searchalert",
        sa.Column("search_id", sa.Integer(), nullable=False),
        sa.Column("gig_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["gig_id"],
            ["gig.id"],
        ),
        sa.ForeignKeyConstraint(
            ["search_id"],
            ["savedsearch.id"],
        ),
        sa.PrimaryKeyConstraint("search_id", "gig_id"),
    )
    op.create_table(
        "mailpreference",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("alert_mail", sa.Boolean(), nullable=False),
        sa.Column("notification_mail", sa.Boolean(), nullable=False),
        sa.Column("weekly_digest", sa.Boolean(), nullable=False),
        sa.Column("digest_checked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "unsubscribetoken",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("unsubscribetoken", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unsubscribetoken_token_hash"), ["token_hash"], unique=True)
        batch_op.create_index(batch_op.f("ix_unsubscribetoken_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("outboxmail", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recipient_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("list_kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.create_foreign_key("fk_outboxmail_recipient_id_user", "user", ["recipient_id"], ["id"])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("outboxmail", schema=None) as batch_op:
        batch_op.drop_constraint("fk_outboxmail_recipient_id_user", type_="foreignkey")
        batch_op.drop_column("list_kind")
        batch_op.drop_column("recipient_id")

    with op.batch_alter_table("unsubscribetoken", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unsubscribetoken_user_id"))
        batch_op.drop_index(batch_op.f("ix_unsubscribetoken_token_hash"))

    op.drop_table("unsubscribetoken")
    op.drop_table("mailpreference")
    op.drop_table("searchalert")
    with op.batch_alter_table("savedsearch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_savedsearch_user_id"))

    op.drop_table("savedsearch")
