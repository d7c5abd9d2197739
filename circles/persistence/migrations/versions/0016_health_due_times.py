"""health and follow-up due times: a tick looks only at partnerships and escalations whose time has come

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("partnerships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("health_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("health_state", sa.String(length=32), nullable=True))
        batch_op.create_index("ix_partnerships_health_due", ["status", "health_due_at"], unique=False)
        batch_op.create_index("ix_partnerships_health_state", ["status", "health_state"], unique=False)
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("health_pending", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.create_index("ix_checkins_health_pending", ["health_pending", "due_at"], unique=False)
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("follow_up_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_escalations_follow_up_at"), ["follow_up_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_escalations_snoozed_until"), ["snoozed_until"], unique=False)
    # Every partnership is looked at once by the first tick (as every tick did before), which sets
    # its real due time; the check-ins it reads are then already seen.
    op.execute("UPDATE partnerships SET health_due_at = started_at")
    op.execute(sa.text("UPDATE checkins SET health_pending = :seen").bindparams(seen=False))
    # Unanswered escalations are looked at by the next follow-up step, which sets their real time.
    op.execute(
        "UPDATE escalations SET follow_up_at = COALESCE(sent_at, opened_at)"
        " WHERE status = 'open' AND follow_ups < 2"
    )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalations_snoozed_until"))
        batch_op.drop_index(batch_op.f("ix_escalations_follow_up_at"))
        batch_op.drop_column("follow_up_at")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_index("ix_checkins_health_pending")
        batch_op.drop_column("health_pending")
    with op.batch_alter_table("partnerships", schema=None) as batch_op:
        batch_op.drop_index("ix_partnerships_health_state")
        batch_op.drop_index("ix_partnerships_health_due")
        batch_op.drop_column("health_state")
        batch_op.drop_column("health_due_at")
