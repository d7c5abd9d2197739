"""partnerships.pauses: each partnership's pauses as spans, so that the time a pair was paused never counts
against its health (as a partner's own pause does not)

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-08

"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0031"
down_revision: str | Sequence[str] | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTNERSHIPS = sa.table(
    "partnerships",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("started_at", sa.DateTime(timezone=True)),
    sa.column("pauses", sa.JSON),
)
CHECKINS = sa.table(
    "checkins", sa.column("partnership_id", sa.Integer), sa.column("due_at", sa.DateTime(timezone=True))
)


def upgrade() -> None:
    with op.batch_alter_table("partnerships") as batch:
        batch.add_column(sa.Column("pauses", sa.JSON(), nullable=True))
    # A pair paused now: when the pause began was not kept. No check-in is asked while a pair is paused, so
    # it began after its latest one (else after it started): the pause is taken to run from then.
    bind = op.get_bind()
    latest = (
        sa.select(sa.func.max(CHECKINS.c.due_at))
        .where(CHECKINS.c.partnership_id == PARTNERSHIPS.c.id)
        .scalar_subquery()
    )
    paused = bind.execute(
        sa.select(PARTNERSHIPS.c.id, sa.func.coalesce(latest, PARTNERSHIPS.c.started_at)).where(
            PARTNERSHIPS.c.status == "paused"
        )
    ).all()
    for partnership_id, since in paused:
        start = _utc(since).isoformat()
        bind.execute(
            sa.update(PARTNERSHIPS).where(PARTNERSHIPS.c.id == partnership_id).values(pauses=[[start, None]])
        )


def downgrade() -> None:
    with op.batch_alter_table("partnerships") as batch:
        batch.drop_column("pauses")


def _utc(value: datetime | str) -> datetime:
    """SQLite hands back text through coalesce; PostgreSQL an instant."""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
