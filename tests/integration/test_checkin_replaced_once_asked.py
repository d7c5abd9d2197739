"""A check-in gives way to a newer one only once the newer one's question has been asked of its person: not
while the newer one is held for their working hours (a night worker), nor while the planner has written it
ahead (up to an hour before it is due). Meanwhile the question they hold takes their answer, and is the one
`/circles checkin` offers; once the newer question has gone, the older is refused as before. On SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from circles import errors
from circles.domain.checkins import CheckInAnswer
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, OutboxMessage
from circles.services.checkins.answers import answer
from circles.services.checkins.opening import checkin_or_choice, open_checkin
from circles.services.planning import plan
from tests import factories
from tests.integration import planning_world as world
from tests.integration.test_checkin_answer_window import FRIDAY_9, NIGHT_SHIFT, SUNDAY_19, claim, coach_missed

SATURDAY_10 = FRIDAY_9 + timedelta(days=1, hours=1)  # inside last week's window; this week's is held
RATED = CheckInAnswer(rating=4, met=True)


def night_coach(db: Database) -> tuple[int, int, int]:
    """Nia works Sun-Thu nights, with a week to answer: last week's question reached her as her shift began
    last Sunday and waits; this week's is due Friday 09:00, its question in the outbox. (pair, last, this)"""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        cohort = factories.cohort(uow.session, ws)
        cohort.health_thresholds = {"answer_within_days": 7}
        nia = factories.member(uow.session, cohort, "U0NIA", Role.COACH)
        factories.profile(uow.session, ws, "U0NIA", "UTC").work_pattern = NIGHT_SHIFT
        factories.member(uow.session, cohort, "U0LEO")
        pair = factories.partnership(uow.session, "U0NIA", "U0LEO")
        pair.started_at = FRIDAY_9 - timedelta(days=21)
        last = factories.checkin(pair, nia.id, FRIDAY_9 - timedelta(days=7))
        last.asked_at = SUNDAY_19 - timedelta(days=7)
        this = factories.checkin(pair, nia.id, FRIDAY_9)
        uow.session.add_all([last, this])
        uow.session.flush()
        args = {"checkin_id": this.id, "cohort_name": "PGY-1"}
        uow.session.add(
            OutboxMessage(
                workspace_id=ws.id,
                idempotency_key=f"checkin:{pair.id}:{nia.id}:{FRIDAY_9.date()}",
                method="chat.postMessage",
                channel="U0NIA",
                payload={"template": "checkin", "args": args},
                due_at=FRIDAY_9,
                created_at=FRIDAY_9,
            )
        )
        uow.commit()
        return pair.id, last.id, this.id


def answering(db: Database, user: str, checkin_id: int, now: datetime) -> None:
    answer(db.unit_of_work(), "T0001", user, checkin_id, RATED, now, cipher=None)


def answered(db: Database, checkin_id: int) -> bool:
    with db.reading() as reading:
        return reading.session.get_one(CheckIn, checkin_id).answered_at is not None


def checkins(db: Database) -> int:
    with db.reading() as reading:
        return int(reading.session.scalar(select(func.count()).select_from(CheckIn)) or 0)


def test_a_night_worker_answers_the_question_she_holds_while_the_next_is_held_for_her_shift(
    db: Database,
) -> None:
    pair, last, _ = night_coach(db)
    assert claim(db, FRIDAY_9) == []  # this week's is held for Sunday's shift
    answering(db, "U0NIA", last, SATURDAY_10)
    assert answered(db, last)
    assert coach_missed(db, pair, SUNDAY_19 + timedelta(minutes=1)) == 0


def test_checkin_offers_the_question_she_holds_not_the_one_held_for_her_shift(db: Database) -> None:
    _, last, _ = night_coach(db)
    claim(db, FRIDAY_9)
    [offered] = open_checkin(db.unit_of_work(), "T0001", "U0NIA", SATURDAY_10)
    assert offered.checkin_id == last
    only = checkin_or_choice(db.unit_of_work(), "T0001", "U0NIA", SATURDAY_10)
    assert not isinstance(only, list)
    assert only.checkin_id == last
    assert checkins(db) == 2  # nothing new written beside them


def test_once_the_held_question_reaches_her_the_older_one_is_refused_as_before(db: Database) -> None:
    _, last, this = night_coach(db)
    claim(db, FRIDAY_9)
    assert claim(db, SUNDAY_19) != []  # this week's goes as her shift begins
    with pytest.raises(errors.CheckInSuperseded) as refused:
        answering(db, "U0NIA", last, SUNDAY_19 + timedelta(minutes=1))
    assert refused.value.newer_answered is False
    assert not answered(db, last)
    [offered] = open_checkin(db.unit_of_work(), "T0001", "U0NIA", SUNDAY_19 + timedelta(minutes=1))
    assert offered.checkin_id == this


MONDAY = datetime(2026, 3, 2, 13, 30, tzinfo=UTC)  # half an hour before the coach's 09:00 in New York
NEXT_MONDAY = datetime(2026, 3, 9, 12, 30, tzinfo=UTC)  # the same, in daylight time: due at 13:00 UTC


def planned_weekly(db: Database) -> tuple[int, int]:
    """Ada coaches Lee in a New York cohort with weekly check-ins on Mondays at 09:00 and a week to answer;
    the planner wrote and the sender asked last Monday's, then, half an hour before this Monday's is due,
    wrote that one. (last week's, this week's) check-in of Ada's."""
    with db.unit_of_work() as uow:
        ws = world.workspace(uow.session)
        co = world.cohort(uow.session, ws, starts_on=date(2026, 2, 23))
        co.health_thresholds = {"answer_within_days": 7}
        ada = world.member(uow.session, co, "U0ADA", Role.COACH)
        world.pair(uow.session, ada, world.member(uow.session, co, "U0LEE"))
        uow.commit()
    planning(db, MONDAY)
    assert claim(db, MONDAY + timedelta(minutes=30)) != []  # last week's question goes
    planning(db, NEXT_MONDAY)
    with db.reading() as reading:
        rows = reading.session.scalars(
            select(CheckIn).where(CheckIn.member_id == ada.id).order_by(CheckIn.due_at)
        )
        [last, this] = [(row.id, row.due_at.replace(tzinfo=UTC)) for row in rows]
    assert this[1] == NEXT_MONDAY + timedelta(minutes=30)  # written ahead, not asked yet
    return last[0], this[0]


def planning(db: Database, now: datetime) -> None:
    with db.unit_of_work() as uow:
        plan(uow.session, now, grace=world.GRACE)
        uow.commit()


def test_in_the_hour_before_the_next_check_in_the_one_held_still_takes_its_answer(db: Database) -> None:
    last, _ = planned_weekly(db)
    [offered] = open_checkin(db.unit_of_work(), "T0001", "U0ADA", NEXT_MONDAY + timedelta(minutes=10))
    assert offered.checkin_id == last
    answering(db, "U0ADA", last, NEXT_MONDAY + timedelta(minutes=10))
    assert answered(db, last)


def test_once_the_planned_question_is_due_the_older_one_is_refused_pointing_at_it(db: Database) -> None:
    last, this = planned_weekly(db)
    assert claim(db, NEXT_MONDAY + timedelta(minutes=30)) != []  # this week's question goes
    with pytest.raises(errors.CheckInSuperseded):
        answering(db, "U0ADA", last, NEXT_MONDAY + timedelta(minutes=31))
    answering(db, "U0ADA", this, NEXT_MONDAY + timedelta(minutes=32))
    with pytest.raises(errors.CheckInSuperseded) as again:
        answering(db, "U0ADA", last, NEXT_MONDAY + timedelta(minutes=33))
    assert again.value.newer_answered is True
    assert not answered(db, last)


def test_with_nothing_open_checkin_offers_the_one_written_for_later_instead_of_a_second(db: Database) -> None:
    last, this = planned_weekly(db)
    answering(db, "U0ADA", last, NEXT_MONDAY)
    before = checkins(db)
    [offered] = open_checkin(db.unit_of_work(), "T0001", "U0ADA", NEXT_MONDAY + timedelta(minutes=10))
    assert offered.checkin_id == this  # asked now: not a second check-in half an hour before this one
    assert checkins(db) == before
    answering(db, "U0ADA", this, NEXT_MONDAY + timedelta(minutes=11))
    assert answered(db, this)
