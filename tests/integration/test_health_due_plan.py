"""Right after a pass wrote many check-ins, PostgreSQL's statistics still say the table is nearly empty. The
watch's taking of the check-ins fallen due must not then run its locking subquery once for every row (which
took minutes for 140,000 check-ins, the first Monday of a large programme): it runs once, however stale the
statistics. On PostgreSQL, whose planner reads them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert, text

from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import CheckIn
from circles.queries.health.due import take_fallen_due_checkins
from tests import factories
from tests.databases import postgres

__all__ = ["postgres"]  # the fixture: a PostgreSQL database of the test's own

NOW = datetime(2026, 3, 9, 14, tzinfo=UTC)
PAIRS = 300


def loops_of_the_locking_subquery(plan: dict[str, Any]) -> list[int]:
    found = [plan["Actual Loops"]] if plan["Node Type"] == "LockRows" else []
    for child in plan.get("Plans", []):
        found += loops_of_the_locking_subquery(child)
    return found


@pytest.mark.postgres
def test_the_check_ins_fallen_due_are_locked_in_one_run_of_their_subquery_after_statistics_saw_none(
    postgres: Database,
) -> None:
    with postgres.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        pairs = [
            factories.pair(
                uow.session,
                factories.member(uow.session, cohort, f"U0C{n}", Role.COACH, flush=False),
                factories.member(uow.session, cohort, f"U0L{n}", flush=False),
            )
            for n in range(PAIRS)
        ]
        uow.commit()
    week = [
        {"workspace_id": p.workspace_id, "partnership_id": p.id, "member_id": who}
        for p in pairs
        for who in (p.first_member_id, p.second_member_id)
    ]
    with postgres.engine.begin() as connection:  # last week's, all seen by health, and the statistics
        seen = NOW - timedelta(days=7)
        connection.execute(insert(CheckIn), [row | {"due_at": seen, "health_pending": False} for row in week])
    with postgres.engine.begin() as connection:
        connection.execute(text("ANALYZE checkins"))
        # As a vacuum of a table once emptied leaves them: pages, and no rows seen on them. The planner then
        # counts on a row or so wherever it looks.
        connection.execute(text("UPDATE pg_class SET reltuples = 0 WHERE relname = 'checkins'"))
    with postgres.engine.begin() as connection:  # this week's, just written by a pass
        connection.execute(insert(CheckIn), [row | {"due_at": NOW - timedelta(hours=1)} for row in week])
    sent: list[tuple[str, Any]] = []

    def sent_now(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    event.listen(postgres.engine, "before_cursor_execute", sent_now)
    with postgres.unit_of_work() as uow:
        taken = take_fallen_due_checkins(uow.session, NOW)
        uow.session.rollback()
    event.remove(postgres.engine, "before_cursor_execute", sent_now)
    [(statement, parameters)] = [s for s in sent if s[0].lstrip().upper().startswith("UPDATE")]
    with postgres.engine.connect() as connection:
        cursor = connection.connection.cursor()
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
        [plan] = cursor.fetchall()[0]
        connection.rollback()

    assert len(taken) == 2 * PAIRS
    plan = plan if isinstance(plan, list) else json.loads(plan)
    print(json.dumps(plan)[:3000])
    assert loops_of_the_locking_subquery(plan[0]["Plan"]) == [1]  # before: once for each of the 600 rows
