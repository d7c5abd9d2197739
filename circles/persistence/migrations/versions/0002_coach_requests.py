"""coach requests

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "coach_requests",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("learner_member_id", sa.Integer(), nullable=False),
        sa.Column("coach_member_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "accepted",
                "declined",
                "withdrawn",
                name="requeststatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coach_member_id"],
            ["members.id"],
            name=op.f("fk_coach_requests_coach_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_coach_requests_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["learner_member_id"],
            ["members.id"],
            name=op.f("fk_coach_requests_learner_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_coach_requests_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_requests")),
    )
    with op.batch_alter_table("coach_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coach_requests_coach_member_id"), ["coach_member_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_coach_requests_cohort_id"), ["cohort_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_coach_requests_learner_member_id"), ["learner_member_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_coach_requests_workspace_id"), ["workspace_id"], unique=False)
        # At most one open request per learner per cohort: a partial unique index, on both databases.
        batch_op.create_index(
            "uq_coach_requests_open_per_learner",
            ["cohort_id", "learner_member_id"],
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("coach_requests", schema=None) as batch_op:
        batch_op.drop_index("uq_coach_requests_open_per_learner", sqlite_where=OPEN, postgresql_where=OPEN)
        batch_op.drop_index(batch_op.f("ix_coach_requests_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_coach_requests_learner_member_id"))
        batch_op.drop_index(batch_op.f("ix_coach_requests_cohort_id"))
        batch_op.drop_index(batch_op.f("ix_coach_requests_coach_member_id"))

    op.drop_table("coach_requests")
