"""A check-in whose question is held for its person (their hours, or a block that started after it was
planned) is not yet due in the report: it counts in its week once asked, or answered, as health has it.
Before, the week's engagement fell while the question waited, and the pair's row showed one missed. On
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Cohort
from circles.queries.checkins import ask_later
from circles.services.reports import cohort_report
from tests import factories

MONDAY = datetime(2027, 1, 4, 9, tzinfo=UTC)
DUE = MONDAY + timedelta(days=7)
ASKED = MONDAY + timedelta(days=21)  # held for the learner until then


def held_for_the_learner(db: Database) -> int:
    with db.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        cohort.pairing_mode, cohort.starts_on, cohort.created_at = (
            PairingMode.COACH_LEARNER,
            MONDAY.date(),
            MONDAY,
        )
        coach = factories.member(uow.session, cohort, "U0COACH", Role.COACH, at=MONDAY)
        learner = factories.member(uow.session, cohort, "U0LEARN", at=MONDAY)
        pair = factories.pair(uow.session, coach, learner, started_at=MONDAY)
        uow.session.add(factories.checkin(pair, coach.id, DUE, 4, after=timedelta(hours=2), met=True))
        uow.session.add(factories.checkin(pair, learner.id, DUE))
        uow.session.flush()
        theirs = uow.session.scalars(select(CheckIn.id).where(CheckIn.member_id == learner.id)).one()
        ask_later(uow.session, [(theirs, ASKED)])  # as a sender holding the question back records it
        uow.commit()
        return cohort.id


def test_a_question_held_for_its_person_is_due_in_the_report_once_asked(db: Database) -> None:
    cohort_id = held_for_the_learner(db)

    def figures(now: datetime) -> tuple[int, int]:
        with db.unit_of_work() as uow:
            report = cohort_report(uow.session, uow.session.get_one(Cohort, cohort_id), now)
            return report.checkins_due, report.checkins_answered

    assert figures(DUE + timedelta(days=3)) == (1, 1)  # before: (2, 1), the learner's not asked yet
    assert figures(ASKED + timedelta(days=1)) == (2, 1)  # asked, and not answered: it counts, in its week
