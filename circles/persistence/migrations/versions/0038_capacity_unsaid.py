"""profiles.capacity may be empty: a coach or mentor who has not said how many partners they take yet (empty)
is told apart from one who chose 0, "no new partners for now"

Every profile used to start with 0, so a stored 0 cannot tell the two apart: it becomes empty, and the person
is asked once more, as they were each time before.

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-08

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0038"
down_revision: str | Sequence[str] | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.alter_column("capacity", existing_type=sa.SmallInteger(), nullable=True)
    op.execute("UPDATE profiles SET capacity = NULL WHERE capacity = 0")


def downgrade() -> None:
    # Before, nothing said was stored as 0, which offers no places: the same for matching and requests.
    op.execute("UPDATE profiles SET capacity = 0 WHERE capacity IS NULL")
    with op.batch_alter_table("profiles") as batch:
        batch.alter_column("capacity", existing_type=sa.SmallInteger(), nullable=False)
