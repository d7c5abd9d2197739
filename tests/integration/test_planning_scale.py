"""Planning is set-based, and two planning processes running at once still write every message once."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Cohort, OutboxMessage
from circles.services.planning import plan
from tests.databases import counted
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_planning import utc
from tests.planning_processes import context, week_planner

# Statements counted the one way the tests count them (tests/databases.py).
counting_statements = counted


def add_partnerships(db: Database, cohort_id: int, first: int, count: int) -> None:
    with db.unit_of_work() as uow:
        co = uow.session.get_one(Cohort, cohort_id)
        people = {
            i: (
                world.member(
                    uow.session, co, f"U0COACH{i}", Role.COACH, timezone="Europe/Berlin", flush=False
                ),
                world.member(uow.session, co, f"U0LEARN{i}", timezone="America/Chicago", flush=False),
            )
            for i in range(first, first + count)
        }
        uow.session.flush()
        for i, (coach, learner) in people.items():
            world.circle(uow.session, co, [coach, learner], f"C0CIRCLE{i}")
            world.pair(uow.session, coach, learner, conversation_id=f"G0PAIR{i}", flush=False)
        uow.commit()


def test_the_number_of_statements_does_not_grow_with_the_number_of_partnerships(db: Database) -> None:
    with db.unit_of_work() as uow:
        cohort_id = world.cohort(uow.session, world.workspace(uow.session)).id
        uow.commit()
    add_partnerships(db, cohort_id, 0, 5)
    with counting_statements(db) as few, db.unit_of_work() as uow:
        small = plan(uow.session, utc(2026, 3, 9, 7), grace=GRACE, horizon=timedelta(hours=12))
        uow.commit()
    add_partnerships(db, cohort_id, 5, 45)
    with counting_statements(db) as many, db.unit_of_work() as uow:
        large = plan(uow.session, utc(2026, 3, 16, 7), grace=GRACE, horizon=timedelta(hours=12))
        uow.commit()
    assert small.planned["checkin"] == 10
    assert large.planned["checkin"] == 100
    assert len(many) == len(few) <= 10, many


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_planning_processes_at_once_write_each_message_once(database_url: str, db: Database) -> None:
    with db.unit_of_work() as uow:
        cohort_id = world.cohort(uow.session, world.workspace(uow.session)).id
        uow.commit()
    add_partnerships(db, cohort_id, 0, 30)
    forkserver = context()
    start, results = forkserver.Barrier(2), forkserver.Queue()
    planning = (database_url, start, utc(2026, 3, 2, 7), 4, GRACE, results)
    processes = [forkserver.Process(target=week_planner, args=planning) for _ in range(2)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0, 0]
    written: Counter[int] = Counter()
    while not results.empty():
        week, count = results.get()
        written[week] += count
    # Whoever wrote a row, nobody wrote it twice: four weeks of 30 circle prompts, and from the second
    # week on both partners' check-ins, the pair prompt and the coach's idea for each of 30 pairs.
    assert written == {0: 30, 1: 150, 2: 150, 3: 150}
    with db.unit_of_work() as uow:
        keys = uow.session.scalar(select(func.count(func.distinct(OutboxMessage.idempotency_key))))
        rows = uow.session.scalar(select(func.count()).select_from(OutboxMessage))
        checkins = uow.session.scalar(select(func.count()).select_from(CheckIn))
    assert rows == keys == 4 * 30 + 3 * 30 * 4
    assert checkins == 3 * 30 * 2
