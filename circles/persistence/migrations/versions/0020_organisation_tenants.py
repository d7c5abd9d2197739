"""organisation tenants: a workspace row may stand for an Enterprise Grid organisation installed org-wide

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every existing row is one workspace: the server default carries them over unchanged.
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=8), server_default="team", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("kind")
