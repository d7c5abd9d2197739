"""away_blocks.notice_due_at and told_back_at: partners of someone on an imported rotation or leave hear,
at its start, the day they are back

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0024"
down_revision: str | Sequence[str] | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("away_blocks") as batch:
        batch.add_column(sa.Column("notice_due_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("told_back_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_away_blocks_notice_due", ["notice_due_at"])
    # Imported blocks were never told: each is due at its start. One still to come is told then, one
    # running is told at the next pass, and one already over tells nobody (the pass only clears it).
    imported = sa.text("UPDATE away_blocks SET notice_due_at = starts_at WHERE created_by = :by")
    op.execute(imported.bindparams(by="import"))


def downgrade() -> None:
    with op.batch_alter_table("away_blocks") as batch:
        batch.drop_index("ix_away_blocks_notice_due")
        batch.drop_column("told_back_at")
        batch.drop_column("notice_due_at")
