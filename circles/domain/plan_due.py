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

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time, timedelta

from circles.domain.blackouts import Blackout
from circles.domain.catch_up import LONGEST_WAIT, upcoming_catch_ups
from circles.domain.planning import CircleIn, CohortIn
from circles.domain.schedule import Window, next_occurrence

RECHECK_AFTER = timedelta(hours=12)
RECHECK_SPREAD_MINUTES = 12 * 60
# A cohort is looked at again within this long of the end of its window, whatever happens.
LATEST_RECHECK = RECHECK_AFTER + timedelta(minutes=RECHECK_SPREAD_MINUTES)
# Local days are a day either side of UTC's at most; a week more than a cycle holds one of its occurrences.
_DAY, _WEEK = timedelta(days=1), timedelta(weeks=1)


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


def blocks_read(
    blackouts: Sequence[Blackout], checkin_every_weeks: int, window: Window
) -> tuple[datetime, datetime]:
    """The away blocks a cohort's planning pass needs, as (earliest end, latest start): those that keep
    someone away in the window or end in it, and what a return in it looks back over for the latest
    occurrence missed (a cycle of check-ins at most, further where blackout dates left some out or held a
    return's catch-up back, never past LONGEST_WAIT). A block starting after the cohort is next looked at
    can change nothing this pass (the latest start is the same for every cohort). Cost follows the window,
    not the years of time away before it."""
    floor, cycle = window.missed_from - LONGEST_WAIT, timedelta(weeks=max(1, checkin_every_weeks)) + _WEEK
    since, moved = window.missed_from - cycle, True
    while moved and since > floor:
        moved = False
        for blackout in blackouts:
            before = datetime.combine(blackout.first, time(0), tzinfo=UTC) - _DAY - cycle
            if blackout.last >= (since - _DAY).date() and before < since:
                since, moved = before, True
    return max(since, floor), window.until + LATEST_RECHECK


def circle_blocks_read(circles: Iterable[CircleIn], since: datetime, window: Window) -> datetime:
    """The earliest end of the away blocks a cohort's circles need, given what `blocks_read` read (from
    `since`): further back, to LONGEST_WAIT, when someone comes back by the window's end from time away
    that began before `since`. Their catch-up names the latest prompt the circle was sent while they were
    away, and whether it was sent turns on where the others were then: away blocks over long before."""
    floor = window.missed_from - LONGEST_WAIT
    back_from_before = any(
        start < since and back <= window.until for c in circles for p in c.people for start, back in p.away
    )
    return floor if back_from_before and since > floor else since
