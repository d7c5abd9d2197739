"""coach_requests.guide_channel and guide_ts: where the coach's or mentor's copy of a request was posted, so
that a request closed without their answer (the learner withdrew it, left, or was given a partner) can be
redrawn there as closed instead of offering buttons that can no longer work

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0030"
down_revision: str | Sequence[str] | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("coach_requests") as batch:
        batch.add_column(sa.Column("guide_channel", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("guide_ts", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("coach_requests") as batch:
        batch.drop_column("guide_ts")
        batch.drop_column("guide_channel")
