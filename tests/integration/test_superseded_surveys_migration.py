"""Migration 0045: survey requests may be superseded, and the database keeps one current request per member,
instrument and phase (superseded ones beside it are fine); going back drops the superseded ones, with their
answers, and keeps the current one, which coming forward again finds current, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from circles.domain.vocabulary import SurveyPhase
from circles.persistence import migrate
from circles.persistence.db import Database
from circles.persistence.models import Member, SurveyAnswer, SurveyRequest
from tests import factories

AT = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)


def end_request(member: Member, superseded_at: datetime | None = None) -> SurveyRequest:
    return SurveyRequest(
        workspace_id=member.workspace_id,
        cohort_id=member.cohort_id,
        member_id=member.id,
        instrument="belonging",
        instrument_version=1,
        phase=SurveyPhase.END,
        due_at=AT,
        sent_at=AT,
        superseded_at=superseded_at,
    )


def count(db: Database, table: str, where: str = "1 = 1") -> int:
    with db.engine.connect() as connection:
        return int(connection.scalar(text(f"SELECT COUNT(*) FROM {table} WHERE {where}")) or 0)


def test_one_current_request_per_phase_with_superseded_ones_beside_it(from_empty: Database) -> None:
    with from_empty.unit_of_work() as uow:
        member = factories.member(
            uow.session, factories.cohort(uow.session, factories.workspace(uow.session)), "U0A"
        )
        earlier = end_request(member, superseded_at=AT)
        uow.session.add_all([earlier, end_request(member, superseded_at=AT), end_request(member)])
        uow.session.flush()
        uow.session.add(
            SurveyAnswer(workspace_id=member.workspace_id, request_id=earlier.id, item_id="fit_in", value=2)
        )
        uow.commit()
        uow.session.add(end_request(member))
        with pytest.raises(IntegrityError):  # a second current one is refused, whoever writes it
            uow.session.flush()
    assert count(from_empty, "survey_requests") == 3

    command.downgrade(migrate.alembic_config(from_empty.engine), "0044")
    assert (count(from_empty, "survey_requests"), count(from_empty, "survey_answers")) == (1, 0)
    migrate.upgrade(from_empty.engine)
    assert count(from_empty, "survey_requests", "superseded_at IS NULL") == 1
