"""match_constraints.own: a member's own block and a facilitator's conflict naming the same two people are
separate rows, so that the member emptying their "never match me with" list keeps the facilitator's, and
blocking someone a facilitator already kept them apart from is no longer refused by the unique key

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0032"
down_revision: str | Sequence[str] | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = ["workspace_id", "slack_user_id", "other_user_id", "kind"]
OLD_KEY = "uq_match_constraints_workspace_id_slack_user_id_other_user_id_kind"
NEW_KEY = "uq_match_constraints_workspace_id_slack_user_id_other_user_id_kind_own"

CONSTRAINTS = sa.table(
    "match_constraints",
    sa.column("workspace_id", sa.Integer),
    sa.column("slack_user_id", sa.String),
    sa.column("other_user_id", sa.String),
    sa.column("kind", sa.String),
    sa.column("set_by", sa.String),
    sa.column("own", sa.Boolean),
)


def upgrade() -> None:
    with op.batch_alter_table("match_constraints") as batch:
        batch.add_column(sa.Column("own", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.drop_constraint(op.f(OLD_KEY), type_="unique")
        batch.create_unique_constraint(op.f(NEW_KEY), [*KEY, "own"])
    # Rows kept so far: a member's own block was a "never" they set about themselves.
    op.execute(
        sa.update(CONSTRAINTS)
        .where(CONSTRAINTS.c.set_by == CONSTRAINTS.c.slack_user_id, CONSTRAINTS.c.kind == "never")
        .values(own=sa.true())
    )


def downgrade() -> None:
    # One row per two people and kind again: where a member's own block and a facilitator's conflict both
    # name them, the facilitator's stays (it keeps them apart whatever the member's list says).
    recorded = CONSTRAINTS.alias("recorded")
    op.execute(
        sa.delete(CONSTRAINTS).where(
            CONSTRAINTS.c.own == sa.true(),
            sa.exists().where(
                *(recorded.c[name] == CONSTRAINTS.c[name] for name in KEY), recorded.c.own == sa.false()
            ),
        )
    )
    with op.batch_alter_table("match_constraints") as batch:
        batch.drop_constraint(op.f(NEW_KEY), type_="unique")
        batch.create_unique_constraint(op.f(OLD_KEY), KEY)
        batch.drop_column("own")
