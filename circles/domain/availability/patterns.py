"""Working patterns: the days and hours a person works, night shifts that cross midnight, and a rota."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SHIFT = re.compile(r"^\s*(?P<days>[a-z, -]+?)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})\s*$")


class InvalidPattern(ValueError):
    """A working pattern reads like `Mon-Fri 08:00-17:00` or `Sun-Thu 19:00-07:00` (nights); `problem`
    says what is wrong when it is more than how it is written."""

    def __init__(self, text: str, problem: str | None = None) -> None:
        super().__init__(text)
        self.problem = problem


# A shift that starts when it ends reads as none at all or as 24 hours: neither is guessed.
SAME_TIME = (
    "Those hours start and end at the same time. Working 24 hours? Leave your usual hours empty (any hour "
    "suits you), or give whole days as 00:00-24:00, e.g. Sat 00:00-24:00."
)
_MIDNIGHT_END = "24:00"  # the end of a whole day: kept as 00:00, a shift past midnight that ends then


@dataclass(frozen=True)
class Shift:
    """Working hours on some weekdays (Monday = 0); when `end` is not after `start` the shift runs past
    midnight and belongs to the day it starts on."""

    days: frozenset[int]
    start: time
    end: time

    @property
    def overnight(self) -> bool:
        return self.end <= self.start

    def describe(self) -> str:
        """As the hours form reads it back: a whole day from midnight ends at 24:00."""
        end = _MIDNIGHT_END if self.start == self.end == time(0) else f"{self.end:%H:%M}"
        return f"{_days_text(self.days)} {self.start:%H:%M}-{end}"

    def to_json(self) -> dict[str, str]:
        days = "".join(str(d) for d in sorted(self.days))
        return {"days": days, "start": f"{self.start:%H:%M}", "end": f"{self.end:%H:%M}"}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Shift:
        days = frozenset(int(c) for c in str(data["days"]) if c.isdigit() and int(c) < 7)
        if not days:
            raise InvalidPattern("no working days")
        return cls(days, time.fromisoformat(str(data["start"])), time.fromisoformat(str(data["end"])))


@dataclass(frozen=True)
class RotaEntry:
    """From `starts_on` to `ends_on` (both included) another shift holds, or none (`shift` None: off)."""

    starts_on: date
    ends_on: date
    shift: Shift | None

    def to_json(self) -> dict[str, Any]:
        shift = None if self.shift is None else self.shift.to_json()
        return {"from": self.starts_on.isoformat(), "until": self.ends_on.isoformat(), "shift": shift}


@dataclass(frozen=True)
class WorkPattern:
    """A person's usual shift and the rota entries that replace it for some dates."""

    shift: Shift
    rota: tuple[RotaEntry, ...] = ()

    def shift_on(self, day: date) -> Shift | None:
        """The shift starting on that local date (None on a rota's day off, or on a day not worked)."""
        for entry in self.rota:
            if entry.starts_on <= day <= entry.ends_on:
                return entry.shift if entry.shift is not None and day.weekday() in entry.shift.days else None
        return self.shift if day.weekday() in self.shift.days else None

    def working_at(self, local: datetime) -> bool:
        """Whether a local date and time falls inside a shift: today's, or last night's running on."""
        return bool(self.shifts_at(local))

    def shifts_at(self, local: datetime) -> tuple[Shift, ...]:
        """The shifts a local date and time falls in: today's, and last night's running on."""
        today, now = local.date(), local.time()
        found = []
        shift = self.shift_on(today)
        if shift is not None and shift.start <= now and (shift.overnight or now < shift.end):
            found.append(shift)
        yesterday = self.shift_on(today - timedelta(days=1))
        if yesterday is not None and yesterday.overnight and now < yesterday.end:
            found.append(yesterday)
        return tuple(found)

    def day_of(self, local: datetime) -> date:
        """The working day a local date and time belongs to: in the part of last night's shift past
        midnight, the day it started on (unless one of today's has begun), else its own date."""
        today = local.date()
        last_night = self.shift_on(today - timedelta(days=1))
        if last_night is None or not last_night.overnight or local.time() >= last_night.end:
            return today
        tonight = self.shift_on(today)
        return today if tonight is not None and tonight.start <= local.time() else today - timedelta(days=1)

    def starts(self) -> frozenset[time]:
        """Every time of day a shift of this pattern can start at."""
        shifts = [self.shift, *(e.shift for e in self.rota if e.shift is not None)]
        return frozenset(s.start for s in shifts)

    def to_json(self) -> dict[str, Any]:
        return {"shift": self.shift.to_json(), "rota": [entry.to_json() for entry in self.rota]}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> WorkPattern | None:
        """A stored pattern, or None when there is none (or it cannot be read: reachable at any hour)."""
        if not data:
            return None
        try:
            rota = tuple(
                RotaEntry(
                    date.fromisoformat(e["from"]),
                    date.fromisoformat(e["until"]),
                    None if e.get("shift") is None else Shift.from_json(e["shift"]),
                )
                for e in data.get("rota") or ()
            )
            return cls(Shift.from_json(data["shift"]), rota)
        except (InvalidPattern, KeyError, TypeError, ValueError):
            return None


def parse_shift(text: str) -> Shift:
    """Read `Mon-Fri 08:00-17:00`, `Sun-Thu 19:00-07:00`, `Mon,Wed,Fri 07:00-19:00` or `Sat 00:00-24:00`
    (a whole day); hours that start when they end are refused with a `problem`."""
    found = _SHIFT.match(text.lower())
    if found is None:
        raise InvalidPattern(text)
    days = _parse_days(found["days"])
    whole_day = _padded(found["end"]) == _MIDNIGHT_END
    try:
        start = time.fromisoformat(_padded(found["start"]))
        end = time(0) if whole_day else time.fromisoformat(_padded(found["end"]))
    except ValueError:
        raise InvalidPattern(text) from None
    if start == end and not whole_day:
        raise InvalidPattern(text, SAME_TIME)
    return Shift(days, start, end)


def _parse_days(text: str) -> frozenset[int]:
    days: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        if part in ("every day", "daily", "all"):
            days.update(range(7))
            continue
        first, _, last = (s.strip()[:3] for s in part.partition("-"))
        if first not in DAY_NAMES or (last and last not in DAY_NAMES):
            raise InvalidPattern(text)
        a, b = DAY_NAMES.index(first), DAY_NAMES.index(last or first)
        days.update((a + i) % 7 for i in range((b - a) % 7 + 1))
    if not days:
        raise InvalidPattern(text)
    return frozenset(days)


def _padded(clock: str) -> str:
    hours, minutes = clock.split(":")
    return f"{int(hours):02d}:{minutes}"


def _days_text(days: frozenset[int]) -> str:
    """ "Every day", a run of days ("Sun-Thu", across the week's end too), or a list ("Mon,Wed")."""
    if len(days) == 7:
        return "Every day"
    first = next(d for d in sorted(days) if (d - 1) % 7 not in days)
    run = [(first + i) % 7 for i in range(len(days))]
    if len(days) > 2 and set(run) == days:
        return f"{DAY_NAMES[run[0]].title()}-{DAY_NAMES[run[-1]].title()}"
    return ",".join(DAY_NAMES[d].title() for d in sorted(days))
