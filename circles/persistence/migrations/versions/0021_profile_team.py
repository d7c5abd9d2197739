"""profile team: the Slack workspace each person belongs to, which an org-wide token must name

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing profiles are carried over as NULL: not known yet, learnt the next time Slack names it.
    with op.batch_alter_table("profiles") as batch:
        batch.add_column(sa.Column("slack_team_id", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("slack_team_id")
