"""One scheduling pass: turn time into messages and send them. `circles tick` and the scheduler run it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError

from bot.deps import Deps, note_decrypt
from bot.dispatch import DispatchOptions, dispatch
from circles.services.health.watch import WatchSummary, watch
from circles.services.nudges.digests import plan_nudges
from circles.services.partnerships.changes import complete_finished_cohorts
from circles.services.planning import expire_overdue, plan

logger = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class StepCost:
    """What one step of a pass cost: wall time, and SQL statements sent to the database meanwhile."""

    seconds: float
    statements: int


@dataclass
class TickSummary:
    """What one pass did, step by step, in counts (never names or texts: this goes to logs)."""

    now: datetime
    counts: dict[str, int] = field(default_factory=dict)
    dispatch: str = ""  # the dispatch pass in words, with error codes (never message texts)
    costs: dict[str, StepCost] = field(default_factory=dict)  # by step: planning, nudges, watch, ...

    def lines(self) -> list[str]:
        steps = [f"  {name}: {count}" for name, count in self.counts.items()]
        sending = [f"  sending: {self.dispatch}"] if self.dispatch else []
        return [f"tick at {self.now.isoformat()}", *steps, *sending]


def run_tick(
    deps: Deps, now: datetime, *, sending: DispatchOptions | None = None, full: bool = False
) -> TickSummary:
    """Plan everything due around `now` (idempotently), watch what is due, then send what is due.

    `full` recomputes the health of every active partnership rather than only the due ones (repairs).
    """
    summary = TickSummary(now)
    grace = timedelta(hours=deps.settings.circles_grace_hours)
    with _Costs(deps.db.engine, summary.costs) as cost:
        _once_through_deadlocks(lambda: _plan(deps, now, grace, summary, cost))
        watched = _once_through_deadlocks(lambda: _watch(deps, now, full, cost))
        summary.counts["partnerships watched"] = watched.partnerships
        summary.counts["health recomputed"] = watched.recomputed
        summary.counts["partnerships skipped"] = watched.skipped
        summary.counts["needing care"] = watched.needing_care
        summary.counts["escalations opened"] = watched.escalations_opened
        summary.counts["escalation follow-ups"] = watched.follow_ups
        with cost("dispatch"):
            sent = dispatch(deps, now, options=sending)
    summary.counts["messages sent"] = sent.sent + sent.deduplicated
    summary.counts["messages failed"] = sent.failed
    summary.counts["messages that could not be built"] = sent.unbuildable
    summary.counts["messages to retry"] = sent.retried + sent.released
    summary.dispatch = str(sent)
    logger.info("%s", "; ".join(summary.lines()))
    return summary


def _plan(deps: Deps, now: datetime, grace: timedelta, summary: TickSummary, cost: _Costs) -> None:
    with deps.db.unit_of_work() as uow:
        with cost("completions"):
            summary.counts["partnerships completed"] = complete_finished_cohorts(uow.session, now)
        with cost("planning"):
            planned = plan(uow.session, now, grace=grace)
        with cost("nudges"):
            nudged = plan_nudges(uow.session, now)
        with cost("expiry"):
            expired = expire_overdue(uow.session, now, grace)
            uow.commit()
    summary.counts["messages planned"] = sum(planned.planned.values())
    summary.counts["occurrences missed"] = sum(planned.missed.values())
    summary.counts["check-ins planned"] = planned.checkins
    summary.counts["cohorts skipped"] = len(planned.skipped_cohorts)
    summary.counts["coach digests planned"] = nudged.digests
    summary.counts["digests skipped"] = nudged.skipped
    summary.counts["overdue messages expired"] = expired


def _watch(deps: Deps, now: datetime, full: bool, cost: _Costs) -> WatchSummary:
    with deps.db.unit_of_work() as uow, cost("watch"):
        admins, decrypt = deps.settings.circles_admins, note_decrypt(deps)
        watched = watch(uow.session, now, admins=admins, decrypt=decrypt, full=full)
        uow.commit()
    return watched


# PostgreSQL ends one of two transactions that wait on each other (deadlock_detected), or one that
# cannot be serialised; its work was rolled back whole, so doing it again is safe and is the remedy.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
ATTEMPTS = 3


def _once_through_deadlocks(step: Callable[[], T]) -> T:
    """Run one transaction's step, again if PostgreSQL chose it as a deadlock's victim."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return step()
        except DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) not in RETRYABLE_SQLSTATES or attempt == ATTEMPTS:
                raise
            logger.info("a scheduling step met another process's transaction; doing it again")
    raise AssertionError("unreachable")  # pragma: no cover


class _Costs:
    """Time each step and count the statements the engine sends meanwhile (from any thread: the
    dispatcher's workers too, and whatever else uses the database at that moment)."""

    def __init__(self, engine: Engine, into: dict[str, StepCost]) -> None:
        self._engine, self._into = engine, into
        self._count = 0
        self._lock = threading.Lock()

    def __enter__(self) -> _Costs:
        event.listen(self._engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self._engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: Any) -> None:
        with self._lock:
            self._count += 1

    @contextmanager
    def __call__(self, step: str) -> Iterator[None]:
        started, before = time.perf_counter(), self._count
        try:
            yield
        finally:
            cost = StepCost(time.perf_counter() - started, self._count - before)
            self._into[step] = cost
            logger.debug("tick step %s: %.3f s, %d SQL statements", step, cost.seconds, cost.statements)
