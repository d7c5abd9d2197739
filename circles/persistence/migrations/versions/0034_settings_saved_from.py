"""cohorts.settings_saved_from: the digest of the settings the last saved form was opened with, so that only
a form opened on that same state passes as one's own earlier save

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0034"
down_revision: str | Sequence[str] | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cohorts") as batch:
        batch.add_column(sa.Column("settings_saved_from", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cohorts") as batch:
        batch.drop_column("settings_saved_from")
