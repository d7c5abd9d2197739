"""Someone who left is brought back to the cohort twice at once (two workflow runs, or a run and their own
`/circles join`, on two replicas, PostgreSQL): they come back once and are welcomed at most once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Member, OutboxMessage
from circles.services.people.membership import Joined, add_to_cohort, join
from tests import factories
from tests.databases import postgres
from tests.factories import NOW
from tests.integration.test_erasure_leave_during_confirm import CommitAfter

__all__ = ["postgres"]  # the fixture: a PostgreSQL database of the test's own

BACK = "U0BACK"
LATER = NOW + timedelta(days=3)


def left_the_cohort(db: Database) -> None:
    """BACK left pgy1, run by Fay, three days before they are brought back."""
    with db.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        factories.facilitator(uow.session, cohort, "U0FAY", flush=False)
        factories.member(uow.session, cohort, BACK, Role.PEER, MemberStatus.LEFT).left_at = NOW
        uow.commit()


def welcomes(db: Database) -> list[str]:
    with db.reading() as reading:
        keys = reading.session.scalars(select(OutboxMessage.idempotency_key)).all()
    return [key for key in keys if key.startswith("welcome:")]


def membership(db: Database) -> Member:
    with db.reading() as reading:
        return reading.session.scalars(select(Member).where(Member.slack_user_id == BACK)).one()


@pytest.mark.postgres
def test_someone_added_back_by_two_workflow_runs_at_once_is_welcomed_once(postgres: Database) -> None:
    left_the_cohort(postgres)
    second_run = LATER + timedelta(seconds=1)
    held = CommitAfter(
        postgres, lambda: add_to_cohort(postgres.unit_of_work(), "T0001", "pgy1", BACK, Role.PEER, second_run)
    )

    first = add_to_cohort(held, "T0001", "pgy1", BACK, Role.PEER, LATER)

    [second] = held.outcome
    assert isinstance(second, Joined), second
    assert (first.already, second.already) == (False, True)
    assert len(welcomes(postgres)) == 1
    back = membership(postgres)
    assert (back.status, back.joined_at) == (MemberStatus.ACTIVE, LATER)  # the first return's, kept


@pytest.mark.postgres
def test_someone_who_rejoins_while_a_workflow_adds_them_back_is_told_they_are_in_already(
    postgres: Database,
) -> None:
    left_the_cohort(postgres)
    held = CommitAfter(
        postgres, lambda: join(postgres.unit_of_work(), "T0001", "pgy1", BACK, Role.PEER, LATER)
    )

    add_to_cohort(held, "T0001", "pgy1", BACK, Role.PEER, LATER)

    [joined] = held.outcome
    assert isinstance(joined, Joined), joined
    assert joined.already
    assert len(welcomes(postgres)) == 1


@pytest.mark.postgres
def test_a_workflow_adding_back_someone_who_is_rejoining_on_their_own_welcomes_nobody(
    postgres: Database,
) -> None:
    left_the_cohort(postgres)
    held = CommitAfter(
        postgres, lambda: add_to_cohort(postgres.unit_of_work(), "T0001", "pgy1", BACK, Role.PEER, LATER)
    )

    join(held, "T0001", "pgy1", BACK, Role.PEER, LATER)

    [added] = held.outcome
    assert isinstance(added, Joined), added
    assert added.already
    assert welcomes(postgres) == []  # answered on the spot by their own join
