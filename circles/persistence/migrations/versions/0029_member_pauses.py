"""members.pauses: each membership's pauses as spans, so that a partner's declared break never counts
against their pairs' health (as time away does not)

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06

"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0029"
down_revision: str | Sequence[str] | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEMBERS = sa.table(
    "members",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("joined_at", sa.DateTime(timezone=True)),
    sa.column("pauses", sa.JSON),
)
CHECKINS = sa.table(
    "checkins", sa.column("member_id", sa.Integer), sa.column("due_at", sa.DateTime(timezone=True))
)


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("pauses", sa.JSON(), nullable=True))
    # A member paused now: when the pause began was not kept. No check-in is asked during a pause, so it
    # began after their latest one (else after they joined): the pause is taken to run from then.
    bind = op.get_bind()
    latest = (
        sa.select(sa.func.max(CHECKINS.c.due_at))
        .where(CHECKINS.c.member_id == MEMBERS.c.id)
        .scalar_subquery()
    )
    paused = bind.execute(
        sa.select(MEMBERS.c.id, sa.func.coalesce(latest, MEMBERS.c.joined_at)).where(
            MEMBERS.c.status == "paused"
        )
    ).all()
    for member_id, since in paused:
        start = _utc(since).isoformat()
        bind.execute(sa.update(MEMBERS).where(MEMBERS.c.id == member_id).values(pauses=[[start, None]]))


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("pauses")


def _utc(value: datetime | str) -> datetime:
    """SQLite hands back text through coalesce; PostgreSQL an instant."""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
