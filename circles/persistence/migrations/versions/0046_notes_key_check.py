"""notes_key_check: one row holding a fixed text sealed with the notes key, so that a process started with
another key (a replica set apart, a database moved without its key) is refused before it seals or fails
anything, and the research key sealed with it, so that research pseudonyms stay the same through a rotation
of the notes key. Empty at first: the first start with a key writes it.

Revision ID: 0046
Revises: 0045
Create Date: 2026-12-12

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0046"
down_revision: str | Sequence[str] | None = "0045"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notes_key_check",
        sa.Column("id", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("token", sa.LargeBinary(), nullable=False),
        sa.Column("derived", sa.Boolean(), nullable=False),
        sa.Column("research", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_notes_key_check_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes_key_check")),
    )


def downgrade() -> None:
    op.drop_table("notes_key_check")
