"""A cohort's blackout dates (exam weeks, holidays), as a facilitator types and the cohort keeps them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

MAX_BLACKOUTS = 30
LONGEST = timedelta(days=92)  # a blackout longer than a term is a pause, not a blackout
TEXT_MAX = MAX_BLACKOUTS * 24  # one "YYYY-MM-DD..YYYY-MM-DD" per line, with room for spaces
# ASCII digits only (a date in other digits is refused, never guessed); the dashes word processors write
# read like the two dots.
_DATE = r"([0-9]{4}-[0-9]{2}-[0-9]{2})"
_RANGE = re.compile(rf"^{_DATE}(?:\s*(?:\.\.|–|—|to)\s*{_DATE})?$")


@dataclass(frozen=True)
class Blackout:
    """From `starts_on` to `ends_on`, both included, in the cohort's time zone."""

    starts_on: date
    ends_on: date

    def to_json(self) -> dict[str, str]:
        return {"from": self.starts_on.isoformat(), "until": self.ends_on.isoformat()}

    def describe(self) -> str:
        return f"{self.starts_on.isoformat()}..{self.ends_on.isoformat()}"


class InvalidBlackouts(ValueError):
    """Blackout lines that do not read as dates; the message says which line and how to write it."""


def parse_blackouts(text: str | None) -> tuple[Blackout, ...]:
    """One `YYYY-MM-DD..YYYY-MM-DD` (or a single date) per line, blank lines ignored, earliest first."""
    found: list[Blackout] = []
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        match = _RANGE.match(line)
        if match is None:
            raise InvalidBlackouts(f"Line {number}: write it as YYYY-MM-DD..YYYY-MM-DD.")
        try:
            starts = date.fromisoformat(match[1])
            ends = date.fromisoformat(match[2] or match[1])
        except ValueError:
            raise InvalidBlackouts(f"Line {number}: that is not a date on the calendar.") from None
        found.append(Blackout(starts, ends))
    return tuple(sorted(set(found), key=lambda b: (b.starts_on, b.ends_on)))


def blackouts_text(blackouts: Iterable[Blackout]) -> str:
    return "\n".join(b.describe() for b in blackouts)


def blackout_problem(blackouts: tuple[Blackout, ...], low: date, high: date) -> str | None:
    """What is wrong with these blackouts for dates allowed from `low` to `high`, or None."""
    if len(blackouts) > MAX_BLACKOUTS:
        return f"Keep to {MAX_BLACKOUTS} blackout ranges."
    for blackout in blackouts:
        where = blackout.describe()
        if blackout.ends_on < blackout.starts_on:
            return f"{where}: the last day comes before the first."
        if not (low <= blackout.starts_on and blackout.ends_on <= high):
            return f"{where}: use dates from {low.isoformat()} to {high.isoformat()}."
        if blackout.ends_on - blackout.starts_on >= LONGEST:
            return f"{where}: a blackout lasts at most {LONGEST.days} days."
    return None


def blackouts_from_json(data: Any) -> tuple[Blackout, ...]:
    """What a cohort keeps; an entry that cannot be read is left out, so it never stops planning."""
    found: list[Blackout] = []
    for entry in data if isinstance(data, list) else ():
        try:
            found.append(Blackout(date.fromisoformat(entry["from"]), date.fromisoformat(entry["until"])))
        except (KeyError, TypeError, ValueError):
            continue
    return tuple(found)
