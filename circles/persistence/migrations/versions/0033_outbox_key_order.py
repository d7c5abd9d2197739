"""outbox.idempotency_key in the "C" collation on PostgreSQL, so that the unique (workspace, key) index is in
the order of code points and serves a lookup by the key's beginning as a range; SQLite's keys already compare
as binary, and stay as they are

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0033"
down_revision: str | Sequence[str] | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Equal keys are equal bytes in either collation: the unique index, rebuilt, refuses the same rows.
    _key_collation(sa.String(length=255, collation="C"), was=sa.String(length=255))


def downgrade() -> None:
    _key_collation(sa.String(length=255), was=sa.String(length=255, collation="C"))


def _key_collation(key: sa.String, was: sa.String) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.alter_column("outbox", "idempotency_key", type_=key, existing_type=was, existing_nullable=False)
