"""gone_accounts: the people Slack said have left (their account deactivated or deleted) until it says they
are back, so that what must be read (support requests, alerts, ending reports) goes to someone who can

Nobody starts gone: someone deactivated before this revision is left out once Slack says so again (a
`user_change` about them, or `/circles profile @them`).

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-10

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0040"
down_revision: str | Sequence[str] | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gone_accounts",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("gone_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_gone_accounts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "slack_user_id", name=op.f("pk_gone_accounts")),
    )


def downgrade() -> None:
    op.drop_table("gone_accounts")
