"""A survey request may be superseded: when a cohort's dates move a phase months after its request was sent,
the phase is asked again, and the earlier request is kept with its answers but counted no more. One request
per member, instrument and phase is then kept by a unique index on the current (unsuperseded) ones only.

Revision ID: 0045
Revises: 0044
Create Date: 2026-12-08

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0045"
down_revision: str | Sequence[str] | None = "0044"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT = sa.text("superseded_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("survey_requests") as batch:
        batch.add_column(sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True))
        batch.drop_constraint("uq_survey_requests_member_id_instrument_phase", type_="unique")
    op.create_index(
        "uq_survey_requests_current",
        "survey_requests",
        ["member_id", "instrument", "phase"],
        unique=True,
        sqlite_where=CURRENT,
        postgresql_where=CURRENT,
    )


def downgrade() -> None:
    # The schema before held one request per member, instrument and phase: the superseded ones go, with
    # their answers (the current requests, the ones counted, stay).
    op.execute(
        "DELETE FROM survey_answers"
        " WHERE request_id IN (SELECT id FROM survey_requests WHERE superseded_at IS NOT NULL)"
    )
    op.execute("DELETE FROM survey_requests WHERE superseded_at IS NOT NULL")
    op.drop_index("uq_survey_requests_current", table_name="survey_requests")
    with op.batch_alter_table("survey_requests") as batch:
        batch.create_unique_constraint(
            "uq_survey_requests_member_id_instrument_phase", ["member_id", "instrument", "phase"]
        )
        batch.drop_column("superseded_at")
