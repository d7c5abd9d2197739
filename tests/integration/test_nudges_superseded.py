"""A coach's digest counts only the check-ins they can still answer: an older one a newer one replaced
takes no answer any more, so it is nothing left to act on."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from circles.domain.checkins import CheckInAnswer
from circles.domain.nudges import NudgeKind
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Partnership
from circles.services.checkins.answers import answer
from circles.services.nudges.digests import digest_now
from tests import factories
from tests.integration.test_nudges import MORNING, seeded


def waiting(db: Database) -> list[int]:
    """The counts of the coach's "check-in waits for an answer" lines in their full list now."""
    sections = digest_now(db.unit_of_work(), "T0001", "U0COACH", MORNING)
    return [n.count for s in sections for n in s.nudges if n.kind is NudgeKind.CHECKIN_WAITING]


def test_checkins_a_newer_one_replaced_are_not_counted_as_waiting_for_the_coach(db: Database) -> None:
    coach = seeded(db)  # the coach's check-in of three days ago waits
    with db.unit_of_work() as uow:
        pair = uow.session.scalars(select(Partnership)).one()
        for weeks in (3, 5):  # two older ones the coach let go by
            uow.session.add(factories.checkin(pair, coach, MORNING - timedelta(weeks=weeks)))
        uow.commit()
    assert waiting(db) == [1]  # one check-in can be answered, and the digest says one
    with db.unit_of_work() as uow:
        newest = max(uow.session.scalars(select(CheckIn)), key=lambda row: row.due_at).id
    answer(db.unit_of_work(), "T0001", "U0COACH", newest, CheckInAnswer(rating=4), MORNING, cipher=None)
    assert waiting(db) == []  # answered: nothing of the older ones is left to nag about
