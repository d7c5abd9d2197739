"""When a person's daily digest may come (pure): once a local day, on their working days, from their morning.

A person gets one digest for all their cohorts, so its day and hour are the person's, not a cohort's: their
own time zone (the first cohort's when Slack gave none), from the earliest prompt time of their cohorts,
for a few hours, on the weekdays they chose (Monday to Friday unless they changed it). Hours that start in
the evening run past midnight, still the day they started on (a night shift's).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from circles.domain.nudges import Nudge

WEEK = range(7)  # Monday = 0, as Python's date.weekday()
WORKING_WEEK = frozenset(range(5))
WINDOW = timedelta(hours=8)  # a digest missed by the morning waits for the next working day, not the evening
MORNING = time(9)  # when a cohort sets no prompt time

# Every digest's key begins so: digest:{user}:{their local day}, one a day per person.
DIGEST_KEYS = "digest:"
# Two digests never come closer than this. In one zone they come 15 hours apart at the least (the window,
# an hour of summer time), so only a new time zone brings one sooner: the day there may be one they had.
GAP = timedelta(hours=12)
# How long a digest's key may stand in the way of a day's: that date lived again farther west.
LOOK_BACK = timedelta(days=3)


class InvalidWorkingDays(ValueError):
    """Working days are one or more weekdays, Monday = 0 to Sunday = 6."""


@dataclass(frozen=True)
class DigestSection:
    """What one cohort adds to a person's digest: `member_id` is the person's membership in it, which tells
    two cohorts of the same name apart (None in a digest recorded before sections carried it)."""

    cohort_name: str
    nudges: tuple[Nudge, ...]
    member_id: int | None = None


@dataclass(frozen=True)
class Made:
    """A digest recorded for the person: its key, when it was made, and whether it went or may still go
    (one superseded, missed or refused never reached them)."""

    key: str
    at: datetime
    going: bool


def not_before(made: Collection[Made], now: datetime) -> datetime | None:
    """When the person's next digest may come, while their last one (that went or may go) is not GAP old."""
    last = max((m.at for m in made if m.going), default=None)
    return None if last is None or last + GAP <= now else last + GAP


def digest_key(user_id: str, zone: str, day: date, made: Collection[Made]) -> str:
    """The key of the person's digest of their local `day`: digest:{user}:{day}, the same for every pass, so
    that a day has one. When a digest made where they were before took that key before the day began here
    (they moved west, and live that date again), the day's is digest:{user}:{zone}:{day}."""
    key = f"{DIGEST_KEYS}{user_id}:{day.isoformat()}"
    began = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
    return (
        f"{DIGEST_KEYS}{user_id}:{zone}:{day.isoformat()}"
        if any(m.key == key and m.at < began for m in made)
        else key
    )


def working_days(stored: str | None) -> frozenset[int]:
    """The stored digits as weekdays; nothing stored (or nothing readable) means Monday to Friday."""
    days = frozenset(int(c) for c in stored or "" if c.isascii() and c.isdigit() and int(c) in WEEK)
    return days or WORKING_WEEK


def stored_days(days: Iterable[int]) -> str:
    """Weekdays as the profile keeps them: sorted digits, e.g. "0134"."""
    chosen = sorted(set(days))
    if not chosen or any(day not in WEEK for day in chosen):
        raise InvalidWorkingDays(chosen)
    return "".join(str(day) for day in chosen)


def digest_day(zone: str, starts: Sequence[time | None], days: frozenset[int], now: datetime) -> date | None:
    """The working day whose digest window `now` is in, else None: the person's local date, or the day
    before past midnight in a window that opened late that evening (a night shift's)."""
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    earliest = min((start or MORNING for start in starts), default=MORNING)
    for day in (local.date(), local.date() - timedelta(days=1)):
        # One zone on both sides: compared, and the window added, on the wall clock, as on a DST night.
        start = datetime.combine(day, earliest, tzinfo=tz)
        if day.weekday() in days and start <= local < start + WINDOW:
            return day
    return None


def next_digest_window(
    zone: str, starts: Sequence[time | None], days: frozenset[int], after: datetime
) -> datetime:
    """When the person's first digest window after `after` opens, in UTC: the start `digest_day` uses."""
    tz = ZoneInfo(zone)
    earliest = min((start or MORNING for start in starts), default=MORNING)
    today = after.astimezone(tz).date()
    for offset in range(8):  # a working day comes within a week, today's own start perhaps past already
        day = today + timedelta(days=offset)
        opens = datetime.combine(day, earliest, tzinfo=tz)
        if day.weekday() in days and opens > after:
            return opens.astimezone(UTC)
    raise InvalidWorkingDays(sorted(days))
