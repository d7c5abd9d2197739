"""One scheduling pass: turn time into messages, then have them sent; what each step did and cost.

Each step that writes is one transaction, done again when PostgreSQL ends it as a deadlock's victim
(two passes at one instant). Sending is the caller's: it is handed in as `send`, and runs even when planning
or watching failed, whose error is raised after it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from circles.persistence.costs import Costs, StepCost
from circles.persistence.db import Database
from circles.persistence.retry import database_unavailable, once_through_deadlocks
from circles.services.availability.notices import tell_partners_of_blocks
from circles.services.health.watch import WatchSummary, watch
from circles.services.nudges.digests import plan_nudges
from circles.services.partnerships.changes import complete_finished_cohorts
from circles.services.people.admins import admins_by_workspace
from circles.services.planning import expire_overdue, hold_expiring, plan
from circles.services.support.care import forget_answers

Decrypt = Callable[[bytes], str]
T = TypeVar("T")
logger = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class Sent:
    """What a sending pass did, in counts, and in words (error codes, never message texts)."""

    sent: int
    failed: int
    unbuildable: int
    to_retry: int
    words: str


def run_tick(
    database: Database,
    now: datetime,
    *,
    grace: timedelta,
    admins: Collection[str],
    decrypt: Decrypt | None,
    send: Callable[[], Sent],
    full: bool = False,
) -> TickSummary:
    """Plan everything due around `now` (idempotently), watch what is due, then `send` what is due.

    `admins` are CIRCLES_ADMINS' entries: each workspace's hear what no facilitator of it may (see
    `admins_by_workspace`). `full` recomputes the health of every active partnership rather than only the
    due ones (repairs).
    """
    summary = TickSummary(now)
    failed: list[Exception] = []
    with Costs(database.engine, summary.costs) as cost:
        _going_on(
            failed,
            "planning",
            lambda: once_through_deadlocks(lambda: _plan(database, now, grace, summary, cost)),
        )
        watched = _going_on(
            failed,
            "watch",
            lambda: once_through_deadlocks(lambda: _watch(database, now, admins, decrypt, full, cost)),
        )
        if watched is not None:
            summary.counts["partnerships watched"] = watched.partnerships
            summary.counts["health recomputed"] = watched.recomputed
            summary.counts["partnerships skipped"] = watched.skipped
            summary.counts["needing care"] = watched.needing_care
            summary.counts["escalations opened"] = watched.escalations_opened
            summary.counts["escalation follow-ups"] = watched.follow_ups
        with cost("dispatch"):
            sent = send()
        with cost("forgetting"):  # after sending: an answer sent in this pass is kept for its minute
            forgotten = _going_on(
                failed,
                "forgetting",
                lambda: once_through_deadlocks(lambda: forget_answers(database.unit_of_work(), now)),
            )
    summary.counts["messages sent"] = sent.sent
    summary.counts["messages failed"] = sent.failed
    summary.counts["messages that could not be built"] = sent.unbuildable
    summary.counts["messages to retry"] = sent.to_retry
    summary.dispatch = sent.words
    if forgotten is not None:
        summary.counts["answers to typed messages forgotten"] = forgotten
    if failed:  # after sending: reported as a failed pass, by the scheduler's log or the command's exit
        raise failed[0]
    return summary


def _going_on(failed: list[Exception], step: str, work: Callable[[], T]) -> T | None:
    """The step's result; None when it failed, which is kept in `failed` for after the messages already
    recorded are sent: one step that cannot be done (a cohort too large for one statement, a bug) must not
    keep every workspace's alerts and answers from going."""
    try:
        return work()
    except Exception as error:  # raised again once sending is done, and reported then
        if database_unavailable(error):
            raise  # sending needs it too
        logger.info("tick: %s failed (%s); sending goes on", step, type(error).__name__)
        failed.append(error)
        return None


def _plan(database: Database, now: datetime, grace: timedelta, summary: TickSummary, cost: Costs) -> None:
    with database.unit_of_work() as uow:
        with cost("pairs held"):
            hold_expiring(uow.session, now, grace)  # pairs before messages, as a pause takes them
        with cost("completions"):
            summary.counts["partnerships completed"] = complete_finished_cohorts(uow.session, now)
        with cost("planning"):
            planned = plan(uow.session, now, grace=grace)
        with cost("nudges"):
            nudged = plan_nudges(uow.session, now)
        with cost("away notices"):
            told = tell_partners_of_blocks(uow.session, now)
        with cost("expiry"):
            expired = expire_overdue(uow.session, now, grace, held=True)
            uow.commit()
    summary.counts["messages planned"] = sum(planned.planned.values())
    summary.counts["occurrences missed"] = sum(planned.missed.values())
    summary.counts["check-ins planned"] = planned.checkins
    summary.counts["surveys planned"] = planned.surveys
    summary.counts["cohorts skipped"] = len(planned.skipped_cohorts)
    summary.counts["coach digests planned"] = nudged.digests
    summary.counts["digests skipped"] = nudged.skipped
    summary.counts["partners told of an absence"] = told
    summary.counts["overdue messages expired"] = expired


def _watch(
    database: Database,
    now: datetime,
    admins: Collection[str],
    decrypt: Decrypt | None,
    full: bool,
    cost: Costs,
) -> WatchSummary:
    with cost("watch"):
        runners = admins_by_workspace(database.reading(), admins)
        with database.unit_of_work() as uow:
            watched = watch(uow.session, now, admins=runners, decrypt=decrypt, full=full)
            uow.commit()
    return watched
