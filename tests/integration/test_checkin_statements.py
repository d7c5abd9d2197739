"""`/circles checkin` for a coach with many learners asks the database as often as for a coach with few."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from circles.domain.checkins import CheckInAnswer
from circles.domain.vocabulary import EndReason, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import CheckIn
from circles.services.checkins.answers import OpenCheckIn, answer
from circles.services.checkins.opening import open_checkin
from tests import factories
from tests.databases import counted

NOW = factories.NOW
COACH = "U0COACH"


def coach_with_learners(db: Database, team: str, learners: int) -> None:
    """COACH guides `learners` learners over three cohorts, each learner also with an ended earlier pair;
    every other learner's pair has an unanswered check-in, the rest only answered ones."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session, team)
        cohorts = [factories.cohort(uow.session, ws, f"c{n}", f"Cohort {n}") for n in range(3)]
        guides = [factories.member(uow.session, co, COACH, Role.COACH, flush=False) for co in cohorts]
        people = [
            factories.member(uow.session, cohorts[k % 3], f"{team}L{k:03d}", flush=False)
            for k in range(learners)
        ]
        uow.session.flush()
        pairs = []
        for k, learner in enumerate(people):
            guide = guides[k % 3]
            factories.pair(
                uow.session,
                guide,
                learner,
                status=PartnershipStatus.ENDED,
                end_reason=EndReason.NO_FAULT,
                flush=False,
            )
            pairs.append(factories.pair(uow.session, guide, learner, flush=False))
        uow.session.flush()
        for k, pair in enumerate(pairs):
            guide = guides[k % 3]
            uow.session.add(factories.checkin(pair, guide.id, NOW - timedelta(days=7), 4))
            if k % 2:
                uow.session.add(factories.checkin(pair, guide.id, NOW - timedelta(days=1)))
        uow.commit()


def opened(db: Database, team: str) -> tuple[list[OpenCheckIn], int]:
    with counted(db) as seen:
        found = open_checkin(db.unit_of_work(), team, COACH, NOW)
    return found, len([s for s in seen if not s.startswith("PRAGMA")])  # SQLite's, once a connection


def test_a_coach_of_forty_learners_is_offered_every_check_in_in_as_many_statements_as_with_four(
    db: Database,
) -> None:
    coach_with_learners(db, "T0FEW", 4)
    coach_with_learners(db, "T0MANY", 40)
    few, few_statements = opened(db, "T0FEW")
    many, many_statements = opened(db, "T0MANY")
    assert many_statements == few_statements
    assert sorted(c.partner_user_id for c in many) == [f"T0MANYL{k:03d}" for k in range(40)]
    assert len({c.checkin_id for c in many}) == 40
    assert len(few) == 4


def test_each_learner_is_offered_their_open_check_in_or_one_new_and_asking_again_offers_the_same(
    db: Database,
) -> None:
    coach_with_learners(db, "T0001", 6)
    first, _ = opened(db, "T0001")
    again, _ = opened(db, "T0001")
    assert [(c.partner_user_id, c.checkin_id) for c in again] == [
        (c.partner_user_id, c.checkin_id) for c in first
    ]
    with db.reading() as reading:
        due = dict(
            reading.session.execute(
                select(CheckIn.id, CheckIn.due_at).where(CheckIn.answered_at.is_(None))
            ).all()
        )
        answered = reading.session.scalar(
            select(func.count()).select_from(CheckIn).where(CheckIn.answered_at.is_not(None))
        )
    assert sorted(due) == sorted(c.checkin_id for c in first)  # the waiting ones, and one new per other pair
    assert sorted(due.values()).count(NOW - timedelta(days=1)) == 3
    assert answered == 6
    for checkin in first:  # and each of them takes the coach's answer
        answer(
            db.unit_of_work(), "T0001", COACH, checkin.checkin_id, CheckInAnswer(rating=4), NOW, cipher=None
        )
