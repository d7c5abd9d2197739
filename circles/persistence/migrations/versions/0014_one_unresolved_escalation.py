"""one unresolved escalation per partnership, enforced by the database

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNRESOLVED = sa.text("status <> 'resolved'")


def upgrade() -> None:
    """Upgrade schema."""
    # Two processes may already have opened two for one pair: the newest stays, older ones are resolved
    # (their audit trail is kept), so the index can be built.
    op.execute(
        """
        UPDATE escalations SET status = 'resolved',
               resolved_at = COALESCE(resolved_at, opened_at),
               outcome = COALESCE(outcome, 'duplicate: another alert for this pair stayed open')
         WHERE status <> 'resolved'
           AND EXISTS (SELECT 1 FROM escalations AS newer
                        WHERE newer.partnership_id = escalations.partnership_id
                          AND newer.status <> 'resolved'
                          AND newer.id > escalations.id)
        """
    )
    op.create_index(
        "uq_escalations_one_unresolved",
        "escalations",
        ["partnership_id"],
        unique=True,
        sqlite_where=UNRESOLVED,
        postgresql_where=UNRESOLVED,
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("uq_escalations_one_unresolved", table_name="escalations")
