"""Planning is set-based, and two planning processes running at once still write every message once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select

from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Cohort, OutboxMessage
from circles.queries import ids
from circles.services.nudges import due as nudges_due
from circles.services.partnerships.changes import complete_finished_cohorts
from circles.services.planning import plan, tick
from circles.services.planning.replan import replan
from circles.services.planning.tick import Sent, run_tick
from tests.databases import counted
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_cohort_last_day import nothing_sent
from tests.integration.test_planning import utc
from tests.planning_processes import context, week_planner

NOW = datetime(2026, 3, 9, 9, tzinfo=UTC)

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
    with db.unit_of_work() as uow:
        replan(uow.session, [cohort_id])  # as a round confirmed does: both passes plan from scratch
        uow.commit()
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


class Bound(list[int]):
    """How many parameters each statement bound, and the largest ones named, for a failure to show."""

    def __init__(self) -> None:
        super().__init__()
        self.largest: list[str] = []


@contextmanager
def parameters_bound(db: Database) -> Iterator[Bound]:
    """How many parameters each statement but an INSERT that `db` sends binds (one row's, for a statement run
    for many rows). SQLAlchemy pages a many-rowed INSERT under the driver's limit itself."""
    bound = Bound()
    # A thread an earlier test left behind may still use the run's kept engine: its statements are not this
    # test's work. Those this test's work starts (a dispatcher's workers) are counted.
    earlier = {thread.ident for thread in threading.enumerate()} - {threading.get_ident()}

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("INSERT") or threading.get_ident() in earlier:
            return
        rows = many and isinstance(parameters, list | tuple) and parameters
        bound.append(len(parameters[0] if rows else parameters or ()))
        if bound[-1] > 2 * 20:
            said = " ".join(statement.split())[:300]
            bound.largest.append(f"{bound[-1]} in {threading.current_thread().name}: {said}")

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield bound
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def test_no_statement_of_planning_expiry_or_completion_binds_more_than_one_short_list_of_ids(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL's driver takes 65,535 parameters a statement: a pass over cohorts of 70,000 pairs whose
    check-ins fall together once failed in planning, every minute, and no message went to any workspace.
    Here lists of ids are cut at 20, and a digest pass takes 20 coaches (by design never more than a
    statement binds): 50 pairs plan, are watched, expire and complete within that."""
    monkeypatch.setattr(ids, "CHUNK", 20)
    monkeypatch.setattr(nudges_due, "MEMBERS_PER_PASS", 20)
    with db.unit_of_work() as uow:
        cohort_id = world.cohort(uow.session, world.workspace(uow.session)).id
        uow.commit()
    add_partnerships(db, cohort_id, 0, 50)
    monday = utc(2026, 3, 9, 7)
    with parameters_bound(db) as bound:
        with db.unit_of_work() as uow:
            planned = plan(uow.session, monday, grace=GRACE, horizon=timedelta(hours=12))
            uow.commit()
        # Whole passes but sending: the check-ins fall due, health is watched, and as nothing was sent, past
        # the grace window the check-ins expire.
        at = [monday + timedelta(hours=hours) for hours in (2, 8, 30)]
        passes = [run_tick(db, now, grace=GRACE, admins=(), decrypt=None, send=nothing_sent) for now in at]
        expired = sum(summary.counts["overdue messages expired"] for summary in passes)
        with db.unit_of_work() as uow:
            uow.session.get_one(Cohort, cohort_id).ends_on = date(2026, 3, 10)
            uow.commit()
        with db.unit_of_work() as uow:
            completed = complete_finished_cohorts(uow.session, utc(2026, 3, 12, 7))
            uow.commit()

    assert (planned.planned["checkin"], completed) == (100, 50)
    assert expired >= 100
    assert max(bound) <= 2 * 20 + 10, bound.largest  # a list or two of ids, and a few values beside


def test_a_planning_pass_that_fails_still_lets_what_is_recorded_be_sent_then_says_so(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, a pass that could not plan (a statement too large, a bug) raised before sending: every minute,
    and every workspace's alerts, answers and notices waited until the cause went away."""

    def cannot_plan(*_: object, **__: object) -> None:
        raise RuntimeError("a planning pass that cannot be done")

    monkeypatch.setattr(tick, "plan", cannot_plan)
    sending: list[datetime] = []

    def send() -> Sent:
        sending.append(NOW)
        return Sent(3, 0, 0, 0, "3 sent")

    with pytest.raises(RuntimeError, match="cannot be done"):
        run_tick(db, NOW, grace=GRACE, admins=(), decrypt=None, send=send)
    assert sending == [NOW]
