"""care wording per cohort, working days per person

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-05

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0011"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wellbeing_resources", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("free_text_hint", sa.Text(), nullable=True))
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("working_days", sa.String(length=7), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.drop_column("working_days")
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.drop_column("free_text_hint")
        batch_op.drop_column("wellbeing_resources")
