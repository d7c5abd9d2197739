"""match_runs.rematch: a re-match of one member, which joins the round it follows, told apart from a whole
round, so that every confirmed round takes the next number whether or not it formed circles

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0028"
down_revision: str | Sequence[str] | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Runs kept so far: a re-match's plan names the member it re-matches.
MARK_REMATCHES = {
    "postgresql": "UPDATE match_runs SET rematch = true WHERE (plan -> 'rematch') IS NOT NULL",
    "sqlite": "UPDATE match_runs SET rematch = 1 WHERE json_extract(plan, '$.rematch') IS NOT NULL",
}


def upgrade() -> None:
    with op.batch_alter_table("match_runs") as batch:
        batch.add_column(sa.Column("rematch", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(MARK_REMATCHES[op.get_bind().dialect.name])


def downgrade() -> None:
    with op.batch_alter_table("match_runs") as batch:
        batch.drop_column("rematch")
