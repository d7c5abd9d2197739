"""Planning is set-based, and two planners running at once still write every message once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select

from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Cohort, OutboxMessage
from circles.services.planning import PlanSummary, plan
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_planning import utc


@contextmanager
def counting_statements(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def add_partnerships(db: Database, cohort_id: int, first: int, count: int) -> None:
    with db.unit_of_work() as uow:
        co = uow.session.get_one(Cohort, cohort_id)
        for i in range(first, first + count):
            coach = world.member(uow.session, co, f"U0COACH{i}", Role.COACH, timezone="Europe/Berlin")
            learner = world.member(uow.session, co, f"U0LEARN{i}", timezone="America/Chicago")
            world.circle(uow.session, co, [coach, learner], f"C0CIRCLE{i}")
            world.pair(uow.session, coach, learner, conversation_id=f"G0PAIR{i}")
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


def planner(db: Database, now: datetime, start: threading.Barrier, summaries: list[PlanSummary]) -> None:
    with db.unit_of_work() as uow:
        start.wait()  # both transactions are open before either plans
        summaries.append(plan(uow.session, now, grace=GRACE, horizon=timedelta(hours=12)))
        uow.commit()


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_planners_at_once_write_each_message_once(db: Database) -> None:
    with db.unit_of_work() as uow:
        cohort_id = world.cohort(uow.session, world.workspace(uow.session)).id
        uow.commit()
    add_partnerships(db, cohort_id, 0, 30)
    for week in range(4):
        now = utc(2026, 3, 2, 7) + timedelta(weeks=week)
        start = threading.Barrier(2)
        summaries: list[PlanSummary] = []

        threads = [threading.Thread(target=planner, args=(db, now, start, summaries)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(summaries) == 2
        written = sum(sum(summary.planned.values()) for summary in summaries)
        assert written == (30 if week == 0 else 30 + 30 * 4)  # whoever wrote a row, nobody wrote it twice
    with db.unit_of_work() as uow:
        keys = uow.session.scalar(select(func.count(func.distinct(OutboxMessage.idempotency_key))))
        rows = uow.session.scalar(select(func.count()).select_from(OutboxMessage))
        checkins = uow.session.scalar(select(func.count()).select_from(CheckIn))
    # Four weeks of 30 circles, and three weeks of check-ins (both partners), pair prompts and ideas.
    assert rows == keys == 4 * 30 + 3 * 30 * 4
    assert checkins == 3 * 30 * 2
