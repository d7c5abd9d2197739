"""A check-in asked for twice at once (`/circles checkin` sent twice, or a workflow run beside it, on two
replicas, PostgreSQL): both offer the same check-in, whose answer is then taken, and none replaces it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.checkins import CheckInAnswer
from circles.domain.vocabulary import PartnershipStatus
from circles.errors import NoActivePartnership
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Partnership
from circles.services.checkins.answers import answer
from circles.services.checkins.opening import open_checkin
from circles.services.workflows.steps import ask_for_checkin
from tests import factories
from tests.databases import postgres, raced
from tests.factories import NOW
from tests.integration.test_erasure_leave_during_confirm import CommitAfter

__all__ = ["postgres"]  # the fixture: a PostgreSQL database of the test's own

ASKED = NOW + timedelta(days=1)
AGAIN = ASKED + timedelta(milliseconds=300)


def lee_answered_the_last_one(db: Database) -> None:
    """Ada coaches Lee; Lee's last check-in is answered, so asking opens a new one."""
    with db.unit_of_work() as uow:
        factories.coached_checkin(uow.session)
        last = uow.session.scalars(select(CheckIn)).one()
        last.rating, last.answered_at = 4, NOW
        uow.commit()


def opened(db: Database) -> list[int]:
    """Lee's unanswered check-ins."""
    with db.reading() as reading:
        return list(reading.session.scalars(select(CheckIn.id).where(CheckIn.answered_at.is_(None))))


@pytest.mark.postgres
def test_a_checkin_asked_for_twice_at_once_is_opened_once_and_its_answer_is_taken(postgres: Database) -> None:
    lee_answered_the_last_one(postgres)
    held = CommitAfter(postgres, lambda: open_checkin(postgres.unit_of_work(), "T0001", "U0LEE", AGAIN))

    [first] = open_checkin(held, "T0001", "U0LEE", ASKED)

    [offered_again] = held.outcome
    assert isinstance(offered_again, list), offered_again
    assert [checkin.checkin_id for checkin in offered_again] == [first.checkin_id]
    assert opened(postgres) == [first.checkin_id]
    answer(postgres.unit_of_work(), "T0001", "U0LEE", first.checkin_id, CheckInAnswer(4), AGAIN, cipher=None)


@pytest.mark.postgres
def test_a_workflow_sending_the_checkin_while_it_is_asked_for_sends_the_same_one(postgres: Database) -> None:
    lee_answered_the_last_one(postgres)
    held = CommitAfter(postgres, lambda: open_checkin(postgres.unit_of_work(), "T0001", "U0LEE", AGAIN))

    assert ask_for_checkin(held, "T0001", "U0LEE", ASKED, key="run-1") == 1

    [offered] = held.outcome
    assert isinstance(offered, list), offered
    assert [checkin.checkin_id for checkin in offered] == opened(postgres)


@pytest.mark.postgres
def test_a_checkin_asked_for_while_the_pair_ends_is_refused_and_none_is_opened(postgres: Database) -> None:
    lee_answered_the_last_one(postgres)
    with postgres.unit_of_work() as ending:
        ending.session.scalars(select(Partnership)).one().status = PartnershipStatus.ENDED
        refused = raced(
            postgres, ending, lambda: open_checkin(postgres.unit_of_work(), "T0001", "U0LEE", ASKED)
        )
    assert isinstance(refused, NoActivePartnership), refused
    assert opened(postgres) == []
