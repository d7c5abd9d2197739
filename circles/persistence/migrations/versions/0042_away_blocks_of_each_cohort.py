"""away_blocks: a block imported for one cohort is that cohort's: another cohort's file holding the same
person, start and kind stores a block of its own, so that each cohort's import corrects and replaces only its
own blocks (a replacing rota for one cohort never takes away, or names, a block imported for another). The
person's own blocks (no cohort) stay one per start and kind.

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-08

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0042"
down_revision: str | Sequence[str] | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = ["workspace_id", "slack_user_id", "starts_at", "kind"]
OLD_KEY = "uq_away_blocks_workspace_id_slack_user_id_starts_at_kind"
OWN = sa.text("cohort_id IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("away_blocks") as batch:
        batch.drop_constraint(op.f(OLD_KEY), type_="unique")
    op.create_index("uq_away_blocks_imported", "away_blocks", [*KEY, "cohort_id"], unique=True)
    op.create_index(
        "uq_away_blocks_own", "away_blocks", KEY, unique=True, sqlite_where=OWN, postgresql_where=OWN
    )


def downgrade() -> None:
    # One block per person, start and kind again: of those sharing a key, the first stored stays.
    op.execute(
        """
        DELETE FROM away_blocks
         WHERE EXISTS (SELECT 1 FROM away_blocks AS earlier
                        WHERE earlier.workspace_id = away_blocks.workspace_id
                          AND earlier.slack_user_id = away_blocks.slack_user_id
                          AND earlier.starts_at = away_blocks.starts_at
                          AND earlier.kind = away_blocks.kind
                          AND earlier.id < away_blocks.id)
        """
    )
    op.drop_index("uq_away_blocks_own", table_name="away_blocks")
    op.drop_index("uq_away_blocks_imported", table_name="away_blocks")
    with op.batch_alter_table("away_blocks") as batch:
        batch.create_unique_constraint(op.f(OLD_KEY), KEY)
