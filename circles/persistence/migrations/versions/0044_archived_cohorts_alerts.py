"""Indexes for closing the alerts of archived cohorts: the archived cohorts alone (partial on cohorts), and
each cohort's unresolved alerts (partial on escalations), so that a follow-up pass reads the few archived
cohorts' open alerts, never every unresolved alert of the installation.

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-07

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0044"
down_revision: str | Sequence[str] | None = "0043"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ARCHIVED = sa.text("archived_at IS NOT NULL")
UNRESOLVED = sa.text("status <> 'resolved'")


def upgrade() -> None:
    op.create_index(
        "ix_cohorts_archived", "cohorts", ["id"], sqlite_where=ARCHIVED, postgresql_where=ARCHIVED
    )
    op.create_index(
        "ix_escalations_unresolved_cohort",
        "escalations",
        ["cohort_id"],
        sqlite_where=UNRESOLVED,
        postgresql_where=UNRESOLVED,
    )


def downgrade() -> None:
    op.drop_index("ix_escalations_unresolved_cohort", table_name="escalations")
    op.drop_index("ix_cohorts_archived", table_name="cohorts")
