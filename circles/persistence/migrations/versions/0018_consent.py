"""consent: members' research consent decisions, and each cohort's research statement

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "consents",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "given", "withdrawn", name="decision", native_enum=False, create_constraint=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("statement_version", sa.String(length=32), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_consents_cohort_id_cohorts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_consents_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index("ix_consents_person", ["cohort_id", "slack_user_id", "decided_at"])
        batch_op.create_index(batch_op.f("ix_consents_workspace_id"), ["workspace_id"], unique=False)
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("research_statement", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("research_statement_version", sa.String(length=32), server_default="1", nullable=False)
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.drop_column("research_statement_version")
        batch_op.drop_column("research_statement")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consents_workspace_id"))
        batch_op.drop_index("ix_consents_person")
    op.drop_table("consents")
