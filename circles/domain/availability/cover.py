"""Whether quiet hours cover a shift whole: the one rule that keeps a night worker reachable.

A person's own quiet hours always hold (the hours form refuses ones that cover all of their working
hours). A cohort's quiet hours, which hold for members who chose none, give way inside a shift they
would cover whole: someone who works Sun-Thu 22:00-07:00 under a cohort's "nights" is reached in their
shift, since their working hours are when they can be reached. A shift they leave some time in keeps
them. Shifts and quiet hours repeat every week in local time, so one week of local instants decides.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

from circles.domain.availability.patterns import Shift, WorkPattern
from circles.domain.availability.quiet import EVENING, NAMES, NIGHT, QuietHours

_MONDAY = date(2024, 1, 1)  # any Monday: a week of local days with no clock change in local time
# Quiet hours start or end only at these local times (a weekend at midnight).
_CHANGES = (time(0), NIGHT[1], EVENING[0], EVENING[1])


@lru_cache(maxsize=4096)
def covers(quiet: QuietHours, shift: Shift) -> bool:
    """Whether every working minute of the shift, in any week, falls in these quiet hours."""
    return not any(not quiet.quiet_at(local) for local in _working_instants(shift))


def quiet_in_shift(quiet: QuietHours, shift: Shift, *, own: bool) -> QuietHours:
    """The quiet hours that hold inside a shift: one's own always; a cohort's unless they cover it whole."""
    return quiet if own or not covers(quiet, shift) else QuietHours()


def each_enough(quiet: QuietHours, shift: Shift) -> tuple[str, ...]:
    """Of quiet hours that cover a shift whole, those that left out alone leave some of it free."""
    return tuple(n for n in NAMES if getattr(quiet, n) and not covers(_without(quiet, n), shift))


def touching(quiet: QuietHours, shift: Shift) -> tuple[str, ...]:
    """Of these quiet hours, those that cover some of the shift (left out together, all of it is free)."""
    return tuple(n for n in NAMES if getattr(quiet, n) and _touches(n, shift))


def _touches(name: str, shift: Shift) -> bool:
    only = QuietHours(**{name: True})
    return any(only.quiet_at(local) for local in _working_instants(shift))


def _without(quiet: QuietHours, name: str) -> QuietHours:
    return QuietHours(**{n: getattr(quiet, n) and n != name for n in NAMES})


def _working_instants(shift: Shift) -> list[datetime]:
    """Local instants of a week at which the shift is worked, one at least in each stretch of it that
    quiet hours treat alike: whether a shift is worked or quiet, it changes only at these times."""
    pattern = WorkPattern(shift)
    times = {*_CHANGES, shift.start}
    found = []
    for offset in range(7):
        day = _MONDAY + timedelta(days=offset)
        found += [local for at in times if pattern.working_at(local := datetime.combine(day, at))]
    return found
