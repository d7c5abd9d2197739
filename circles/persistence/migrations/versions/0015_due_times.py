"""due times: when each cohort's planning and each person's digest are next worth working out

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema: every existing cohort and person is due at once (NULL), as before this revision."""
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("planned_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_cohorts_plan_due_at"), ["plan_due_at"], unique=False)
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_members_digest_due_at"), ["digest_due_at"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_members_digest_due_at"))
        batch_op.drop_column("digest_due_at")
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohorts_plan_due_at"))
        batch_op.drop_column("planned_until")
        batch_op.drop_column("plan_due_at")
