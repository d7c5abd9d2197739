"""When planning a cohort next has something new to write (pure).

Planning writes every occurrence up to the end of its window, so the next pass worth making for a cohort
is the one whose window reaches the cohort's next occurrence: its weekly prompt day in its own time zone
(circle and pair prompts), or its check-in day in the time zone of any partner (check-ins and session
ideas). Who is present at that instant is decided when it is planned, not here. A person coming back from
an away block is an occurrence too: their catch-up is planned at their return, or on the first day after
a blackout the return falls in (circles.domain.catch_up).

A cohort is also looked at again within a day whatever its rhythm, so that a change nobody announced
(a row written by hand, a path that forgot to say so) delays its messages by a day at most.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from circles.domain.catch_up import upcoming_catch_ups
from circles.domain.planning import CohortIn
from circles.domain.schedule import next_occurrence

RECHECK_AFTER = timedelta(hours=12)
RECHECK_SPREAD_MINUTES = 12 * 60


def next_plan_at(cohort: CohortIn, planned_until: datetime) -> datetime | None:
    """The earliest instant after `planned_until` at which one of the cohort's messages could fall.

    None when the cohort has ended: nothing more will ever come on these inputs.
    """
    cadence = cohort.cadence
    found = [next_occurrence(cadence, planned_until, timezone=cadence.timezone)]
    zones = sorted({person.timezone for pair in cohort.pairs for person in (pair.first, pair.second)})
    for zone in zones:
        every = cadence.checkin_every_weeks
        found.append(next_occurrence(cadence, planned_until, timezone=zone, every_weeks=every, skip=1))
    found += upcoming_catch_ups(cohort, planned_until)
    return min((at for at in found if at is not None), default=None)


def recheck_at(cohort_id: int, planned_until: datetime) -> datetime:
    """When to look at a cohort again at the latest: 12 to 24 hours on, spread by cohort so that cohorts
    planned at the same moment are not all looked at again in the same pass."""
    spread = timedelta(minutes=(cohort_id * 7919) % RECHECK_SPREAD_MINUTES)
    return planned_until + RECHECK_AFTER + spread
