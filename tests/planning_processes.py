"""Planning passes in processes of their own, as two workers would run them at once.

The processes fork from a server that imported this module and the planners once (multiprocessing's
forkserver): each starts clean, with no connection of the test's, as a worker does, without importing the
app again. Two processes need no more than this module: it imports only what planning itself does.
"""

from __future__ import annotations

import multiprocessing
from datetime import datetime, timedelta
from multiprocessing.context import ForkServerContext
from typing import Any

import psycopg  # noqa: F401 - the driver the planners' engines load, loaded once in the server

from circles.persistence.db import Database
from circles.services.nudges.digests import plan_nudges
from circles.services.planning import plan


def context() -> ForkServerContext:
    """Where the planning processes come from (a server started once per test process)."""
    forkserver = multiprocessing.get_context("forkserver")
    forkserver.set_forkserver_preload([__name__])
    return forkserver


def digest_planner(url: str, start: Any, first: datetime, days: int, results: Any) -> None:
    """Plan the coaches' digests of that many mornings, each when the other process does too."""
    db = Database(url)
    try:
        for day in range(days):
            with db.unit_of_work() as uow:
                start.wait(timeout=60)
                results.put(plan_nudges(uow.session, first + timedelta(days=day)).digests)
                uow.commit()
    finally:
        db.dispose()


def week_planner(url: str, start: Any, first: datetime, weeks: int, grace: timedelta, results: Any) -> None:
    """One planning process: each week, open a transaction, wait for the other, plan, commit."""
    db = Database(url)
    try:
        for week in range(weeks):
            with db.unit_of_work() as uow:
                start.wait(timeout=60)  # both start planning the same week at the same moment
                summary = plan(
                    uow.session, first + timedelta(weeks=week), grace=grace, horizon=timedelta(hours=12)
                )
                uow.commit()
            results.put((week, sum(summary.planned.values())))
    finally:
        db.dispose()
