"""cohorts.earlier_checkin_intervals: the check-in intervals a cohort had before its current one, each with
the instant it ended, so that health judges each gap between check-ins by the interval the cohort had then
(one shortened from four weeks to one leaves its four-week gaps as they were, not as weeks nobody was asked)

Every cohort starts with none (NULL): its gaps are judged by its current interval, as before this revision.

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-07

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0041"
down_revision: str | Sequence[str] | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("earlier_checkin_intervals", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.drop_column("earlier_checkin_intervals")
