"""profiles.slack_names: every name Slack gives for a person (real name, display name, first and last name),
so that a research export leaves out their real name in shared words even where their display name is a
handle. Read by the export only, never shown; deleted with the profile when they are erased.

Every profile starts with none (NULL): filled the next time Slack is asked about the person, or tells of a
change to them.

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-10

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0043"
down_revision: str | Sequence[str] | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("slack_names", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.drop_column("slack_names")
