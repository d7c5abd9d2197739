"""Two planners at once, as two worker processes would run them, still record one digest per person a day."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from tests.integration.test_nudges import MORNING, second_cohort, seeded
from tests.planning_processes import context, digest_planner


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_planning_processes_at_once_record_one_digest_per_person_a_day(
    database_url: str, db: Database
) -> None:
    seeded(db)
    second_cohort(db)
    forkserver = context()
    start, results = forkserver.Barrier(2), forkserver.Queue()
    planning = (database_url, start, MORNING, 2, results)
    processes = [forkserver.Process(target=digest_planner, args=planning) for _ in range(2)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0, 0]
    written = [results.get(timeout=5) for _ in range(4)]
    assert sum(written) == 2  # whoever wrote it, each day's digest was written once
    with db.unit_of_work() as uow:
        keys = sorted(uow.session.scalars(select(OutboxMessage.idempotency_key)))
    assert keys == ["digest:U0COACH:2026-11-30", "digest:U0COACH:2026-12-01"]
