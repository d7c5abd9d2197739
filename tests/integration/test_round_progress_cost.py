"""The facilitator's progress message costs the same few statements however many of a round's circles and
pairs failed, and recording a step of a large round does as little as in a small one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, event
from sqlalchemy.orm import Session, SessionTransaction

from circles.domain.match_vocabulary import StepKind
from circles.persistence.db import Database
from circles.persistence.models import CreationStep
from circles.services.matching.rounds import confirm_round, preview_round
from circles.services.rounds.record import step_failed
from circles.services.rounds.steps import round_report
from tests.databases import counted
from tests.dispatching import NOW
from tests.integration.test_large_round import FAC, peer_cohort
from tests.sqlite_steps import engine_steps

USER_DISABLED = "user_disabled"


def round_of(db: Database, team: str, people: int) -> tuple[int, list[int]]:
    """A confirmed round of `people` in circles of five and pairs; its pairs' conversation steps."""
    peer_cohort(db, None, people, team)
    plan = preview_round(db.unit_of_work(), team, "big", user_id=FAC, is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), team, plan.run_id, user_id=FAC, is_admin=False, now=NOW)
    run_id = plan.run_id
    with db.unit_of_work() as uow:
        steps = uow.session.query(CreationStep).filter_by(run_id=run_id, kind=StepKind.PAIR_CONVERSATION)
        return run_id, sorted(step.id for step in steps)


def statements(db: Database, work: Callable[[], object]) -> int:
    with counted(db) as seen:
        work()
    return len([s for s in seen if not s.startswith("PRAGMA")])  # SQLite's, once a connection


@contextmanager
def database_work(db: Database) -> Iterator[list[int]]:
    """How much the database did while the block ran: on SQLite, the instructions of its engine; on
    PostgreSQL, the rows of creation steps it read, with sequential scans off: a small table's rows are
    otherwise all read however few are needed."""
    done = [0]
    if db.engine.dialect.name == "sqlite":
        with engine_steps(db) as done:
            yield done
        return

    with db.engine.begin() as conn:  # the statistics autovacuum keeps, so the planner picks as it would
        conn.exec_driver_sql("ANALYZE creation_steps")

    # Counts of earlier transactions not yet reported are shown too: only what each transaction adds counts.
    read = "SELECT seq_tup_read + coalesce(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables"
    of_steps = f"{read} WHERE relname = 'creation_steps'"

    def begun(_session: Session, _transaction: SessionTransaction, conn: Connection) -> None:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        done[0] -= int(conn.exec_driver_sql(of_steps).scalar_one())

    def ending(session: Session) -> None:
        done[0] += int(session.connection().exec_driver_sql(of_steps).scalar_one())

    event.listen(Session, "after_begin", begun)
    event.listen(Session, "before_commit", ending)
    try:
        yield done
    finally:
        event.remove(Session, "after_begin", begun)
        event.remove(Session, "before_commit", ending)


def every_pair_refused(db: Database, pair_steps: list[int]) -> None:
    """Slack refused to open each pair's conversation for good: one partner was deactivated."""
    for step_id in pair_steps:
        step_failed(db.unit_of_work(), 0, None, step_id, USER_DISABLED, NOW)


def test_the_progress_of_a_round_with_thirty_refused_pairs_is_read_in_as_many_statements_as_with_five(
    db: Database,
) -> None:
    small, small_pairs = round_of(db, "T0SMALL", 10)
    large, large_pairs = round_of(db, "T0LARGE", 60)
    every_pair_refused(db, small_pairs)
    every_pair_refused(db, large_pairs)

    assert statements(db, lambda: round_report(db.unit_of_work(), large)) == statements(
        db, lambda: round_report(db.unit_of_work(), small)
    )
    problems = round_report(db.unit_of_work(), large).problems  # and each refused pair is named
    assert [p.error for p in problems].count(USER_DISABLED) == 30
    assert all(len(p.users) == 2 and all(u.startswith("T0LARGEP") for u in p.users) for p in problems)
    assert len({p.users for p in problems}) == 30


def work_of_a_pair_becoming_ready(db: Database, team: str, people: int) -> int:
    """What the database does to record that Slack refused one pair's conversation in a fresh round."""
    _, pair_steps = round_of(db, team, people)
    with database_work(db) as done:
        every_pair_refused(db, pair_steps[:1])
    return done[0]


def test_a_pair_becoming_ready_in_a_round_of_four_hundred_costs_about_what_it_does_in_a_round_of_ten(
    db: Database,
) -> None:
    small = work_of_a_pair_becoming_ready(db, "T0SMALL", 10)  # 7 circles and pairs
    large = work_of_a_pair_becoming_ready(db, "T0LARGE", 400)  # 280: 40 times as many

    assert large < small * 2
