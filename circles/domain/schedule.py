"""When a cohort's next prompt and check-in fall, in its own time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


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

    def prompt_at(self, day: date) -> datetime:
        return datetime.combine(day, self.local_time, tzinfo=ZoneInfo(self.timezone)).astimezone(UTC)

    def first_prompt_day(self) -> date:
        start = self.starts_on or self.anchor
        return start + timedelta(days=(self.weekday - start.weekday()) % 7)


def next_prompt(cadence: Cadence, now: datetime) -> datetime | None:
    """The first prompt at or after now, or None once the cohort has ended."""
    return _next_on_cycle(cadence, now, every_weeks=1, skip=0)


def next_checkin(cadence: Cadence, now: datetime) -> datetime | None:
    """Check-ins fall every N weeks on the prompt day, the first one N weeks after the first prompt."""
    return _next_on_cycle(cadence, now, every_weeks=cadence.checkin_every_weeks, skip=1)


def _next_on_cycle(cadence: Cadence, now: datetime, *, every_weeks: int, skip: int) -> datetime | None:
    first = cadence.first_prompt_day()
    step = timedelta(weeks=every_weeks)
    local_today = now.astimezone(ZoneInfo(cadence.timezone)).date()
    cycles = max(skip, (local_today - first) // step)
    day = first + cycles * step
    while cadence.prompt_at(day) < now:
        day += step
    if cadence.ends_on is not None and day > cadence.ends_on:
        return None
    return cadence.prompt_at(day)
