"""members.erased_before: a former member asked to be erased; the partnerships they had begun by then
show them as erased, never by name

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0023"
down_revision: str | Sequence[str] | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nobody erased before this release is known as such: NULL.
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("erased_before", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("erased_before")
