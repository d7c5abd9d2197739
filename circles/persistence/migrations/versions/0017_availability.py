"""availability: away blocks, working patterns and quiet hours, Slack's own signals, blackout dates

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "away_blocks",
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "away",
                "rotation",
                "leave",
                "status",
                "dnd",
                name="absencekind",
                native_enum=False,
                create_constraint=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("cohort_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_away_blocks_cohort_id_cohorts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_away_blocks_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_away_blocks")),
        sa.UniqueConstraint(
            "workspace_id",
            "slack_user_id",
            "starts_at",
            "kind",
            name=op.f("uq_away_blocks_workspace_id_slack_user_id_starts_at_kind"),
        ),
    )
    with op.batch_alter_table("away_blocks", schema=None) as batch_op:
        batch_op.create_index("ix_away_blocks_person", ["workspace_id", "slack_user_id", "ends_at"])
        batch_op.create_index(batch_op.f("ix_away_blocks_workspace_id"), ["workspace_id"], unique=False)
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("work_pattern", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("quiet_hours", sa.String(length=32), nullable=True))
        for column in ("dnd_until", "dnd_checked_at", "status_away_since", "status_away_until"):
            batch_op.add_column(sa.Column(column, sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("quiet_hours", sa.String(length=32), server_default="nights", nullable=False)
        )
        batch_op.add_column(sa.Column("blackout_dates", sa.JSON(), nullable=True))
    op.execute("UPDATE cohorts SET blackout_dates = '[]'")
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.alter_column("blackout_dates", existing_type=sa.JSON(), nullable=False)
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deferred_from", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("deferred_from")
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.drop_column("blackout_dates")
        batch_op.drop_column("quiet_hours")
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        for column in ("status_away_until", "status_away_since", "dnd_checked_at", "dnd_until"):
            batch_op.drop_column(column)
        batch_op.drop_column("quiet_hours")
        batch_op.drop_column("work_pattern")
    with op.batch_alter_table("away_blocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_away_blocks_workspace_id"))
        batch_op.drop_index("ix_away_blocks_person")
    op.drop_table("away_blocks")
