"""When a cohort's prompts and check-ins fall, in its own time zone or a member's."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from circles.domain.cohort_rules.time_zones import is_time_zone

# A due time stored for what can have nothing due until something about it changes (an archived cohort,
# a person who guides nobody): far enough to be never, near enough for every database.
NEVER = datetime(9999, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Cadence:
    """A cohort's rhythm: a weekly prompt day and time, check-ins every few weeks, within its dates."""

    weekday: int  # Monday = 0
    local_time: time
    timezone: str
    checkin_every_weeks: int
    starts_on: date | None
    ends_on: date | None
    anchor: date  # the first week counts from here when no start date is set
    # The check-in rhythms it had before (weeks, and the instant each ended), oldest first: where a pair is
    # in its track counts the check-in days each rhythm brought (circles.domain.planning.since).
    earlier_rhythms: tuple[tuple[int, datetime], ...] = ()

    def prompt_at(self, day: date) -> datetime:
        return local_instant(day, self.local_time, self.timezone)

    def first_prompt_day(self) -> date:
        start = self.starts_on or self.anchor
        return start + timedelta(days=(self.weekday - start.weekday()) % 7)


def next_prompt(cadence: Cadence, now: datetime) -> datetime | None:
    """The first prompt at or after now, or None once the cohort has ended."""
    return _next_on_cycle(cadence, now, every_weeks=1, skip=0)


def next_checkin(cadence: Cadence, now: datetime, timezone: str | None = None) -> datetime | None:
    """Check-ins fall every N weeks on the prompt day, the first one N weeks after the first prompt, at the
    cadence's local time in the partner's own `timezone` (the cohort's when None)."""
    every = cadence.checkin_every_weeks
    return _next_on_cycle(cadence, now, every_weeks=every, skip=1, timezone=timezone or cadence.timezone)


def _next_on_cycle(
    cadence: Cadence, now: datetime, *, every_weeks: int, skip: int, timezone: str | None = None
) -> datetime | None:
    zone = timezone or cadence.timezone
    first = cadence.first_prompt_day()
    step = timedelta(weeks=every_weeks)
    local_today = now.astimezone(ZoneInfo(zone)).date()
    cycles = max(skip, (local_today - first) // step)
    day = first + cycles * step
    while local_instant(day, cadence.local_time, zone) < now:
        day += step
    if cadence.ends_on is not None and day > cadence.ends_on:
        return None
    return local_instant(day, cadence.local_time, zone)


def next_occurrence(
    cadence: Cadence, after: datetime, *, timezone: str, every_weeks: int = 1, skip: int = 0
) -> datetime | None:
    """The first cycle instant strictly after `after`, at the cadence's local time in `timezone`, or None
    once the cohort has ended; cycles are counted as in `occurrences`."""
    first = cadence.first_prompt_day()
    step = timedelta(weeks=every_weeks)
    local_day = after.astimezone(ZoneInfo(timezone)).date()
    day = first + max(skip, (local_day - first) // step) * step
    while local_instant(day, cadence.local_time, timezone) <= after:
        day += step
    if cadence.ends_on is not None and day > cadence.ends_on:
        return None
    return local_instant(day, cadence.local_time, timezone)


class Timing(StrEnum):
    DUE = "due"  # to be sent at its instant (or a little late, within the grace window)
    MISSED = "missed"  # fell due while nothing was running: recorded, never sent
    # A change (a time zone, a prompt day) put it in the past, in the cycle under way, before that cycle's
    # message had gone: sent at once, unless its cycle has a row already (circles.domain.planning.cycles).
    LATE = "late"


@dataclass(frozen=True)
class Window:
    """What a planning pass looks at: occurrences from `due_from` to `until` are sent; older ones, back to
    `missed_from`, are recorded as missed so that nobody gets a 9 a.m. prompt at 3 a.m.; after a change
    that moved them (`since_change`), those of the cycle under way that it put in the past are late."""

    missed_from: datetime
    due_from: datetime
    until: datetime
    changed_at: datetime | None = None  # planned from scratch after a change that moved occurrences
    late_at: datetime | None = None  # when the occurrences that change made late are sent: the pass's now

    @classmethod
    def around(cls, now: datetime, *, grace: timedelta, horizon: timedelta, look_back: timedelta) -> Window:
        return cls(now - max(look_back, grace), now - grace, now + horizon)

    def beyond(self, written_until: datetime | None) -> Window:
        """The part of the window after what an earlier pass already wrote (all of it when unknown)."""
        if written_until is None:
            return self
        after = written_until + timedelta(microseconds=1)
        return Window(max(self.missed_from, after), max(self.due_from, after), self.until)

    def since_change(self, changed_at: datetime | None, now: datetime) -> Window:
        """The window of a pass planning from scratch after a change at `changed_at` (None: no change)."""
        return replace(self, changed_at=changed_at, late_at=now) if changed_at is not None else self

    def timing(self, at: datetime) -> Timing | None:
        if self.due_from <= at <= self.until:
            return Timing.DUE
        if self.missed_from <= at < self.due_from:
            return Timing.MISSED
        return None


@dataclass(frozen=True)
class Occurrence:
    day: date  # the local date: the same calendar day in every time zone, part of the idempotency key
    number: int  # week N of the cohort (weekly), or the Nth check-in
    week: int  # the cohort's week it falls in
    at: datetime  # the instant, in UTC
    timing: Timing
    late_at: datetime | None = None  # a LATE one is sent then

    @property
    def due_at(self) -> datetime:
        return self.late_at or self.at


def day_over(day: date, timezone: str, now: datetime) -> bool:
    """Whether `day` has ended in `timezone` at `now` (a cohort's last day is over in its own zone)."""
    return now.astimezone(ZoneInfo(timezone)).date() > day


def same_hour_elsewhere(instant: datetime, old_zone: str, new_zone: str) -> datetime:
    """The instant at the same local day and time in `new_zone` as `instant` has in `old_zone`, in UTC:
    what someone planned for 9:00 where they were comes at 9:00 where they are now. A zone no clock can be
    read in (one this server does not know, a blank one) moves nothing."""
    if old_zone == new_zone or not (is_time_zone(old_zone) and is_time_zone(new_zone)):
        return instant.astimezone(UTC)
    wall = instant.astimezone(ZoneInfo(old_zone)).replace(tzinfo=None)
    return wall.replace(tzinfo=ZoneInfo(new_zone)).astimezone(UTC)


def over_everywhere(day: date, now: datetime) -> bool:
    """Whether `day` has ended in every time zone (the last, UTC-12, ends it 12 hours after UTC does): a
    programme's pairs complete then, so a partner in a zone behind the cohort's still gets that day's
    check-in."""
    return now >= datetime.combine(day + timedelta(days=1), time(12), tzinfo=UTC)


def local_instant(day: date, local_time: time, timezone: str) -> datetime:
    """The instant a local day and time mean in a time zone (daylight saving included), in UTC."""
    return datetime.combine(day, local_time, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def occurrences(
    cadence: Cadence, window: Window, *, timezone: str | None = None, every_weeks: int = 1, skip: int = 0
) -> list[Occurrence]:
    """The cycle days in the window, oldest first, at the cadence's local time in `timezone`.

    Cycles run every `every_weeks` weeks from the first prompt day, starting with cycle `skip` (check-ins
    skip the first week); nothing before the start date or after the end date.
    """
    zone = timezone or cadence.timezone
    first = cadence.first_prompt_day()
    step = 7 * every_weeks
    earliest = window.missed_from.astimezone(ZoneInfo(zone)).date()
    latest = window.until.astimezone(ZoneInfo(zone)).date()
    cycle = max(skip, -((first - earliest).days // step))  # the first cycle on or after `earliest`
    changed = _cycle_changed(cadence, window, zone, step)
    found = []
    while (day := first + timedelta(days=cycle * step)) <= latest:
        if cadence.ends_on is not None and day > cadence.ends_on:
            break
        at = local_instant(day, cadence.local_time, zone)
        timing, late_at = window.timing(at), None
        if timing is Timing.MISSED and cycle == changed and window.changed_at and at <= window.changed_at:
            timing, late_at = Timing.LATE, window.late_at
        if timing is not None:
            found.append(Occurrence(day, cycle + 1 - skip, cycle * every_weeks + 1, at, timing, late_at))
        cycle += 1
    return found


def _cycle_changed(cadence: Cadence, window: Window, zone: str, step: int) -> int | None:
    """The cycle (as `occurrences` counts them) that the change fell in, by its local day in `zone`; none
    once the change is older than the grace window (nothing ran since: what it made late is missed)."""
    if window.changed_at is None or window.changed_at < window.due_from:
        return None
    changed_on = window.changed_at.astimezone(ZoneInfo(zone)).date()
    return (changed_on - (cadence.starts_on or cadence.anchor)).days // step
