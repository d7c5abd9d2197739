"""A coach leaves at the moment their facilitator confirms a round (two replicas, PostgreSQL): whichever
commits first, the coach who left is in no running partnership afterwards, so no learner is paired with
someone gone, and each learner paired with them hears that it ended. The same leave taken twice at once
is done once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus, PairingMode, PartnershipStatus, Role
from circles.errors import NotAMember, StalePreview
from circles.persistence.db import Database, UnitOfWork
from circles.persistence.models import Member, OutboxMessage, Partnership
from circles.services.matching.rounds import confirm_round, preview_round
from circles.services.people.membership import leave
from tests import factories
from tests.databases import postgres_db, until_one_waits
from tests.factories import NOW

FAC, COACH, LEARNERS = "U0FAC", "U0COACH", ("U0L1", "U0L2", "U0L3", "U0L4")


@pytest.fixture
def postgres() -> Iterator[Database]:
    with postgres_db() as db:
        yield db


class CommitAfter(UnitOfWork):
    """A replica between its last write and its commit: `meanwhile` runs on another replica until it waits
    for a lock this one holds, or ends; then this one commits."""

    def __init__(self, db: Database, meanwhile: Callable[[], object]) -> None:
        super().__init__(db.sessions)
        self.db, self.meanwhile, self.outcome = db, meanwhile, list[object]()

    def commit(self) -> None:
        self.session.flush()
        ended = threading.Event()
        thread = threading.Thread(target=self._other, args=(ended,))
        thread.start()
        until_one_waits(self.db, 10, through=ended)
        super().commit()
        thread.join(timeout=20)

    def _other(self, ended: threading.Event) -> None:
        try:
            self.outcome.append(self.meanwhile())
        except BaseException as error:  # the test reads what it was
            self.outcome.append(error)
        finally:
            ended.set()


def previewed(db: Database) -> int:
    """A coach with room for four, four learners, and a round previewed that pairs them all."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        cohort = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        cohort.pairing_mode = PairingMode.COACH_LEARNER
        factories.facilitator(uow.session, cohort, FAC)
        factories.member(uow.session, cohort, COACH, Role.COACH, flush=False)
        for user in (COACH, *LEARNERS):
            factories.profile(uow.session, ws, user, flush=False).capacity = 4 if user == COACH else 0
        for user in LEARNERS:
            factories.member(uow.session, cohort, user, flush=False)
        uow.commit()
    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)
    return plan.run_id


def confirming(run_id: int, uow: UnitOfWork) -> object:
    return confirm_round(uow, "T0001", run_id, user_id=FAC, is_admin=False, now=NOW)


def leaving(uow: UnitOfWork) -> object:
    return leave(uow, "T0001", "pgy1", COACH, NOW)


def running_with_coach(db: Database) -> list[int]:
    with db.reading() as reading:
        coach = reading.session.scalars(select(Member).where(Member.slack_user_id == COACH)).one()
        assert coach.status is MemberStatus.LEFT
        running = reading.session.scalars(
            select(Partnership.id).where(
                Partnership.status.in_([PartnershipStatus.ACTIVE, PartnershipStatus.PAUSED]),
                (Partnership.first_member_id == coach.id) | (Partnership.second_member_id == coach.id),
            )
        )
        return list(running)


def told_it_ended(db: Database) -> set[str]:
    with db.reading() as reading:
        rows = reading.session.scalars(select(OutboxMessage)).all()
    return {row.channel or "" for row in rows if row.payload.get("template") == "partnership_changed"}


@pytest.mark.postgres
def test_a_coach_leaving_while_the_round_is_confirmed_ends_the_pairs_the_round_just_made(
    postgres: Database,
) -> None:
    run_id = previewed(postgres)
    held = CommitAfter(postgres, lambda: leaving(postgres.unit_of_work()))

    confirming(run_id, held)

    [left] = held.outcome
    assert not isinstance(left, BaseException), left
    assert running_with_coach(postgres) == []
    assert told_it_ended(postgres) == set(LEARNERS)


@pytest.mark.postgres
def test_a_round_confirmed_while_its_coach_leaves_pairs_nobody_with_them(postgres: Database) -> None:
    run_id = previewed(postgres)
    held = CommitAfter(postgres, lambda: confirming(run_id, postgres.unit_of_work()))

    leaving(held)

    [confirmed] = held.outcome
    assert isinstance(confirmed, StalePreview) or not isinstance(confirmed, BaseException), confirmed
    assert running_with_coach(postgres) == []


@pytest.mark.postgres
def test_the_same_leave_taken_twice_at_once_is_done_once_and_the_second_is_told_they_are_not_in(
    postgres: Database,
) -> None:
    previewed(postgres)
    later = NOW + timedelta(seconds=30)
    held = CommitAfter(postgres, lambda: leave(postgres.unit_of_work(), "T0001", "pgy1", COACH, later))

    leaving(held)

    [second] = held.outcome
    assert isinstance(second, NotAMember), second
    assert second.slug == "pgy1"
    with postgres.reading() as reading:
        coach = reading.session.scalars(select(Member).where(Member.slack_user_id == COACH)).one()
    assert coach.left_at == NOW  # the first leave's, not overwritten by the second
