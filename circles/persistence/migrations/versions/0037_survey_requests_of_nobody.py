"""survey_requests.member_id may be empty: erasing someone deletes their answers and cuts their sent requests
from them, so that a cohort's response rates stay as they were

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-07

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0037"
down_revision: str | Sequence[str] | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("survey_requests") as batch:
        batch.alter_column("member_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # Before, erasure deleted the requests: those of nobody go, as they would have then.
    op.execute("DELETE FROM survey_requests WHERE member_id IS NULL")
    with op.batch_alter_table("survey_requests") as batch:
        batch.alter_column("member_id", existing_type=sa.Integer(), nullable=False)
