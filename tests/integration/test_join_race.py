"""Someone's join pressed twice at once lands on two replicas (PostgreSQL): the second is told they are in
already, as after any second join, not a fault of the database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from circles.domain.vocabulary import MemberStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member
from circles.services.people.membership import Joined, join
from tests import factories
from tests.databases import postgres_db, raced
from tests.factories import NOW


@pytest.fixture
def postgres() -> Iterator[Database]:
    with postgres_db() as db:
        yield db


@pytest.mark.postgres
def test_the_second_of_two_joins_at_once_is_told_they_are_in_already(postgres: Database) -> None:
    with postgres.unit_of_work() as uow:
        factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        uow.commit()
    with postgres.unit_of_work() as first:  # the other press, between its check and its commit
        cohort = first.session.scalars(select(Cohort)).one()
        first.session.add(
            Member(
                workspace_id=cohort.workspace_id,
                cohort_id=cohort.id,
                slack_user_id="U0NEW",
                role=Role.PEER,
                status=MemberStatus.ACTIVE,
                joined_at=NOW,
            )
        )
        joined = raced(
            postgres, first, lambda: join(postgres.unit_of_work(), "T0001", "pgy1", "U0NEW", Role.PEER, NOW)
        )
    assert isinstance(joined, Joined), joined
    assert joined.already
    with postgres.reading() as reading:
        assert reading.session.scalar(select(func.count()).select_from(Member)) == 1
