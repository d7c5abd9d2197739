"""matching

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""

    op.create_table(
        "match_constraints",
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("other_user_id", sa.String(length=32), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("never", "reports_to", "assesses", name="constraintkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("set_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_match_constraints_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_constraints")),
        sa.UniqueConstraint(
            "workspace_id",
            "slack_user_id",
            "other_user_id",
            "kind",
            name=op.f("uq_match_constraints_workspace_id_slack_user_id_other_user_id_kind"),
        ),
    )
    with op.batch_alter_table("match_constraints", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_constraints_other_user_id"), ["other_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_match_constraints_slack_user_id"), ["slack_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_match_constraints_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "match_runs",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "previewed",
                "confirmed",
                "complete",
                "superseded",
                name="runstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("requested_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_match_runs_cohort_id_cohorts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_match_runs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_runs")),
    )
    with op.batch_alter_table("match_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_runs_cohort_id"), ["cohort_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_runs_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "creation_steps",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "circle_conversation",
                "circle_invite",
                "circle_kickoff",
                "pair_conversation",
                "pair_kickoff",
                name="stepkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("pending", "done", "failed", name="stepstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["match_runs.id"],
            name=op.f("fk_creation_steps_run_id_match_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_creation_steps_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_creation_steps")),
        sa.UniqueConstraint(
            "run_id", "kind", "target_id", name=op.f("uq_creation_steps_run_id_kind_target_id")
        ),
    )
    with op.batch_alter_table("creation_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_creation_steps_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_creation_steps_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""

    with op.batch_alter_table("creation_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_creation_steps_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_creation_steps_run_id"))

    op.drop_table("creation_steps")
    with op.batch_alter_table("match_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_runs_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_match_runs_cohort_id"))

    op.drop_table("match_runs")
    with op.batch_alter_table("match_constraints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_constraints_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_match_constraints_slack_user_id"))
        batch_op.drop_index(batch_op.f("ix_match_constraints_other_user_id"))

    op.drop_table("match_constraints")
