"""Whether a person can be reached at an instant, and when their next window opens, in their time zone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from circles.domain.availability.absence import Absence, absence_at
from circles.domain.availability.cover import quiet_in_shift
from circles.domain.availability.patterns import WorkPattern
from circles.domain.availability.quiet import EVENING, NIGHT, QuietHours

# A window is looked for this far ahead at most: past it, the message waits for a later look.
LOOK_AHEAD = timedelta(days=62)
# Local times at which a window can open besides a shift's start: midnight (a new day, a rota's
# boundary, a weekend's end) and the ends of the quiet hours.
_OPENINGS = (time(0), EVENING[1], NIGHT[1])
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Reach:
    """Everything that decides when one person may get a personal message."""

    timezone: str
    quiet: QuietHours
    pattern: WorkPattern | None = None
    absences: tuple[Absence, ...] = ()
    # The quiet hours are their cohorts' (they chose none): those give way inside a shift they would
    # cover whole (see cover.py). One's own always hold.
    cohorts_quiet: bool = False

    def local(self, at: datetime) -> datetime:
        return at.astimezone(ZoneInfo(self.timezone))


def reachable(reach: Reach, at: datetime) -> bool:
    """Not away, inside their working pattern (if any) and outside the quiet hours that hold in it."""
    if absence_at(reach.absences, at) is not None:
        return False
    local = reach.local(at)
    if reach.pattern is None:
        return not reach.quiet.quiet_at(local)
    own = not reach.cohorts_quiet
    return any(
        not quiet_in_shift(reach.quiet, shift, own=own).quiet_at(local)
        for shift in reach.pattern.shifts_at(local)
    )


def next_window(reach: Reach, at: datetime, *, look_ahead: timedelta = LOOK_AHEAD) -> datetime | None:
    """`at` itself when the person can be reached then, else the first instant their window opens (in UTC),
    or None when none opens within `look_ahead` (an open-ended absence, a rota of days off)."""
    # Only absences within the search count: a year of rota blocks costs no more than the weeks looked at.
    until = at + look_ahead
    reach = replace(reach, absences=tuple(a for a in reach.absences if a.overlaps(at, until)))
    if reachable(reach, at):
        return at
    zone = ZoneInfo(reach.timezone)
    times = sorted({*_OPENINGS, *(reach.pattern.starts() if reach.pattern else ())})
    ends = [a.ends_at for a in reach.absences if a.ends_at is not None and a.ends_at > at]
    day, last = reach.local(at).date(), reach.local(at + look_ahead).date()
    while day <= last:
        candidates = _openings(day, times, zone)
        candidates += [end for end in ends if end.astimezone(zone).date() == day]
        for candidate in sorted(c for c in candidates if at < c <= at + look_ahead):
            if reachable(reach, candidate):
                return candidate
        day += timedelta(days=1)
    return None


def _openings(day: date, times: list[time], zone: ZoneInfo) -> list[datetime]:
    """The instants of a local day at which a window can open: each of `times`, and on a day the clocks
    change, each of them a second time where the clocks go back over it, and the change itself (a shift
    starting in the hour they skip has started when they go forward)."""
    found = [_instant(day, at, zone, fold=0) for at in times]
    change = _clock_change(day, zone)
    if change is not None:
        found += [_instant(day, at, zone, fold=1) for at in times] + [change]
    return found


def _instant(day: date, at: time, zone: ZoneInfo, *, fold: int) -> datetime:
    return datetime.combine(day, at.replace(fold=fold), tzinfo=zone).astimezone(UTC)


def _clock_change(day: date, zone: ZoneInfo) -> datetime | None:
    """The first minute on the new offset when the clocks change during that local day, else None."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0, fold=1), tzinfo=zone)
    if start.utcoffset() == end.utcoffset():
        return None
    low, high = start.astimezone(UTC), end.astimezone(UTC)
    before = low.astimezone(zone).utcoffset()
    if high.astimezone(zone).utcoffset() == before:
        return None  # the change is at the day's first instant, already an opening
    while high - low > _MINUTE:
        middle = low + max(1, (high - low) // _MINUTE // 2) * _MINUTE
        if middle.astimezone(zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    return high if high.astimezone(zone).date() == day else None  # else it is the next day's


def most_reachable(reaches: Iterable[Reach], at: datetime) -> bool:
    """Whether more than half of these people can be reached at `at` (a circle with nobody: yes)."""
    people = list(reaches)
    return not people or 2 * sum(reachable(r, at) for r in people) > len(people)
