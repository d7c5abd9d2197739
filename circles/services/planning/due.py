"""Which cohorts a planning pass looks at: those whose next message falls within its window.

Each cohort keeps `plan_due_at`, the instant of the next message its planning has not written yet (None:
at once). A pass reads the due cohorts with one indexed query, plans them, and stores each one's next
instant in one statement, so a pass with nothing due costs one statement whatever the installation.

Anything that changes what a cohort would plan sets its instant back to None in the same transaction
(see circles.services.planning.replan). On PostgreSQL the due rows are locked until the pass commits: such a
change waits for the pass and lands after it, and another pass skips them instead of planning them twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from circles.domain.plan_due import recheck_at
from circles.domain.schedule import NEVER, Window, next_occurrence
from circles.persistence.db import Session
from circles.persistence.models import Cohort
from circles.queries.cohorts import lock_due_cohorts
from circles.services.planning.load import cadence_of

# A pass plans at most this many cohorts, so that it stays short (its rows stay locked, and on SQLite every
# other writer waits for it); any more are planned by the next pass, well within the planning horizon.
COHORTS_PER_PASS = 200


def due_cohorts(session: Session, window: Window) -> Sequence[tuple[Cohort, bool]]:
    """The cohorts with a message possibly in the window (at most COHORTS_PER_PASS), by id, each with
    whether it can still have any (not archived, its workspace installed, its dates overlapping the
    window with a day's slack for time zones); locked until the caller commits, skipping those another
    pass is planning."""
    rows = lock_due_cohorts(session, window.until, COHORTS_PER_PASS)
    return [(cohort, uninstalled is None and _within_dates(cohort, window)) for cohort, uninstalled in rows]


def later_than(cohort: Cohort, window: Window) -> bool:
    """Starts after the window: nothing to plan yet, but its first prompt will come."""
    return cohort.starts_on is not None and cohort.starts_on > (window.until + timedelta(days=1)).date()


def resting_due(cohort: Cohort, window: Window) -> datetime:
    """When a cohort that can have no message in the window is due: one that starts later at its first
    prompt (looked at again within a day); any other never, until something about it changes."""
    if not later_than(cohort, window):
        return NEVER
    recheck = recheck_at(cohort.id, window.until)
    try:
        cadence = cadence_of(cohort)
        first = next_occurrence(cadence, window.until, timezone=cadence.timezone)
    except (ArithmeticError, LookupError, TypeError, ValueError):
        return recheck  # an odd row: planning skips it by id once it starts
    return recheck if first is None else min(first, recheck)


def _within_dates(cohort: Cohort, window: Window) -> bool:
    if cohort.archived_at is not None:
        return False
    ended = cohort.ends_on is not None and cohort.ends_on < (window.missed_from - timedelta(days=1)).date()
    return not ended and not later_than(cohort, window)
