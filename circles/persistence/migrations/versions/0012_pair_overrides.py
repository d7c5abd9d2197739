"""pair overrides: a facilitator allows a pair whose partnership ended to be matched again

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "pair_overrides",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("first_member_id", sa.Integer(), nullable=False),
        sa.Column("second_member_id", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.String(length=32), nullable=False),
        sa.Column("allowed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_pair_overrides_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["first_member_id"],
            ["members.id"],
            name=op.f("fk_pair_overrides_first_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["second_member_id"],
            ["members.id"],
            name=op.f("fk_pair_overrides_second_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_pair_overrides_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_overrides")),
        sa.UniqueConstraint(
            "cohort_id",
            "first_member_id",
            "second_member_id",
            name=op.f("uq_pair_overrides_cohort_id_first_member_id_second_member_id"),
        ),
    )
    with op.batch_alter_table("pair_overrides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pair_overrides_cohort_id"), ["cohort_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pair_overrides_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("pair_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pair_overrides_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_pair_overrides_cohort_id"))
    op.drop_table("pair_overrides")
