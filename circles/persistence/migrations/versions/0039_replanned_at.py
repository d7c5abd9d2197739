"""cohorts.replanned_at: when a change moved a cohort's occurrences (its time zone, prompt day, a member's
own time zone), so that the pass planning it again from scratch sends, at once, that cycle's messages the
change put in the past before they had gone, instead of recording them as missed

Every cohort starts with none (NULL): planned as before this revision.

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-09

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0039"
down_revision: str | Sequence[str] | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replanned_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.drop_column("replanned_at")
