"""A cohort's calendar for reports: weeks from Monday to Monday in the cohort's own time zone."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from circles.domain.cohort_rules import is_time_zone


@dataclass(frozen=True)
class Week:
    """One week of the report: events at `begins` <= t < `ends` belong to it."""

    start: date  # its Monday in the cohort's time zone: how the week is named everywhere
    begins: datetime
    ends: datetime


@dataclass(frozen=True)
class Calendar:
    weeks: tuple[Week, ...]  # never empty

    @cached_property
    def _begins(self) -> list[datetime]:
        return [week.begins for week in self.weeks]

    def index(self, instant: datetime) -> int | None:
        """The week holding `instant`: the first one for anything earlier, None after the last."""
        if instant >= self.weeks[-1].ends:
            return None
        return max(bisect_right(self._begins, instant) - 1, 0)


def zone(timezone: str) -> ZoneInfo:
    """The cohort's time zone, or UTC when its name is not one."""
    return ZoneInfo(timezone if is_time_zone(timezone) else "UTC")


def local_day(instant: datetime, timezone: str) -> date:
    return instant.astimezone(zone(timezone)).date()


def calendar(first: datetime, now: datetime, timezone: str) -> Calendar:
    """Every week from the one holding `first` to the one holding `now` (at least that one)."""
    local = zone(timezone)
    monday = _monday(min(first, now), local)
    last = _monday(now, local)
    weeks = []
    while monday <= last:
        following = monday + timedelta(days=7)
        weeks.append(Week(monday, _midnight(monday, local), _midnight(following, local)))
        monday = following
    return Calendar(tuple(weeks))


def _monday(instant: datetime, local: ZoneInfo) -> date:
    day = instant.astimezone(local).date()
    return day - timedelta(days=day.weekday())


def _midnight(day: date, local: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=local).astimezone(UTC)
