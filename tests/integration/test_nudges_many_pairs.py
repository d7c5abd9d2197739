"""A pass that works out the digests of many coaches at once (the first after a restore, say, when every
coach's digest is due) asks about their pairs without a bound parameter per pair: PostgreSQL takes at
most 65,535 in a statement, and a digest step that fails plans nothing at all for anyone. Its statements
bind as many values for coaches of six learners as of fifty."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event, select, update

from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import Member, Workspace
from tests.integration.test_nudges_statements import MORNING, plan, programme


@contextmanager
def bound_values(db: Database) -> Iterator[list[int]]:
    """How many values each statement run inside the block binds."""
    counts: list[int] = []

    def seen(_conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, many: bool) -> None:
        rows = many and isinstance(parameters, list | tuple) and parameters
        one = parameters[0] if rows else parameters  # executemany: each row on its own
        counts.append(len(one) if isinstance(one, dict | list | tuple) else 0)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield counts
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def coaches_of(db: Database, team: str, learners: int) -> None:
    """Three coaches of `team` with these many learners each: theirs are the only digests due."""
    programme(db, team, 3, learners)
    later = MORNING + timedelta(days=30)
    with db.unit_of_work() as uow:
        others = select(Workspace.id).where(Workspace.team_id != team)
        not_theirs = (Member.role == Role.LEARNER) | Member.workspace_id.in_(others)
        uow.session.execute(update(Member).where(not_theirs).values(digest_due_at=later))
        uow.commit()


def test_planning_binds_no_more_values_for_coaches_of_fifty_learners_than_of_six(db: Database) -> None:
    coaches_of(db, "T0001", 6)
    with bound_values(db) as few:
        plan(db, MORNING)
    coaches_of(db, "T0002", 50)
    with bound_values(db) as many:
        plan(db, MORNING + timedelta(days=1))
    assert max(many) <= max(few)
