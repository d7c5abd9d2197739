"""match_runs.families and families_settled: a round's circles and pairs, and how many are through, kept
as its steps settle so each costs the same in a round of any size

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0025"
down_revision: str | Sequence[str] | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A circle's steps and a pair's can share a target id: a pair's is negated, as the round's queries did.
COUNT_FAMILIES = """
UPDATE match_runs SET families = (
    SELECT COUNT(DISTINCT CASE WHEN kind IN ('pair_conversation', 'pair_kickoff') THEN -target_id
                               ELSE target_id END)
    FROM creation_steps WHERE creation_steps.run_id = match_runs.id
)
"""
COUNT_SETTLED = """
UPDATE match_runs SET families_settled = families - (
    SELECT COUNT(DISTINCT CASE WHEN kind IN ('pair_conversation', 'pair_kickoff') THEN -target_id
                               ELSE target_id END)
    FROM creation_steps WHERE creation_steps.run_id = match_runs.id AND creation_steps.status = 'pending'
)
"""


def upgrade() -> None:
    with op.batch_alter_table("match_runs") as batch:
        batch.add_column(sa.Column("families", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("families_settled", sa.Integer(), nullable=False, server_default="0"))
    # Rounds already confirmed: their counts as their steps stand.
    op.execute(COUNT_FAMILIES)
    op.execute(COUNT_SETTLED)


def downgrade() -> None:
    with op.batch_alter_table("match_runs") as batch:
        batch.drop_column("families_settled")
        batch.drop_column("families")
