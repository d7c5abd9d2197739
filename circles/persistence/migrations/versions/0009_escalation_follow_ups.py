"""escalation follow-ups

Revision ID: 0009
Revises: 0004
Create Date: 2026-11-21

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("trend", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("sendings", sa.SmallInteger(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("follow_ups", sa.SmallInteger(), server_default="0", nullable=False))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.drop_column("follow_ups")
        batch_op.drop_column("sendings")
        batch_op.drop_column("sent_at")
        batch_op.drop_column("trend")
        batch_op.drop_column("state")
