"""surveys: instruments sent at a cohort's phases, their answers, and each cohort's survey plan

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import SchemaItem

# revision identifiers, used by Alembic.
revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _scoped(table: str) -> list[SchemaItem]:
    """The id and workspace columns every table has, with their constraints."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f(f"fk_{table}_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "survey_requests",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=64), nullable=False),
        sa.Column("instrument_version", sa.SmallInteger(), nullable=False),
        sa.Column(
            "phase",
            sa.Enum(
                "baseline",
                "midpoint",
                "end",
                name="surveyphase",
                native_enum=False,
                create_constraint=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_survey_requests_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_survey_requests_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "member_id", "instrument", "phase", name=op.f("uq_survey_requests_member_id_instrument_phase")
        ),
        *_scoped("survey_requests"),
    )
    with op.batch_alter_table("survey_requests", schema=None) as batch_op:
        batch_op.create_index("ix_survey_requests_cohort", ["cohort_id", "phase"])
        batch_op.create_index(batch_op.f("ix_survey_requests_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_requests_workspace_id"), ["workspace_id"], unique=False)
    op.create_table(
        "survey_answers",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=True),
        sa.Column("text_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("text_shared_for_research", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["survey_requests.id"],
            name=op.f("fk_survey_answers_request_id_survey_requests"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("request_id", "item_id", name=op.f("uq_survey_answers_request_id_item_id")),
        *_scoped("survey_answers"),
    )
    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_answers_workspace_id"), ["workspace_id"], unique=False)
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("survey_plan", sa.JSON(), nullable=True))
    op.execute("UPDATE cohorts SET survey_plan = '{}'")
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.alter_column("survey_plan", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.drop_column("survey_plan")
    op.drop_table("survey_answers")
    op.drop_table("survey_requests")
