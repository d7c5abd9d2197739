"""outbox: an index on (workspace_id, status, due_at), so that a claim takes each live workspace's first
waiting rows without reading those of other workspaces, however many wait

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-07

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0036"
down_revision: str | Sequence[str] | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_outbox_workspace_status_due_at", "outbox", ["workspace_id", "status", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_workspace_status_due_at", table_name="outbox")
