"""Blackout dates (exam weeks, holidays): days a cohort sends no prompts, session ideas or check-ins (pure).

A range is two local dates, both included, in the cohort's time zone. An occurrence is left out when its
day falls inside one: the day of a cycle is the same calendar date in every time zone (a check-in at 9:00
in Tokyo and one at 9:00 in Chicago share it), so the rule does not move with daylight saving or with a
partner's time zone.

The cadence does not move: after a blackout the next regular occurrence comes as it always would. The
prompt track does not lose its place either: a prompt whose occurrence was blacked out comes at the next
occurrence, so every prompt of the track is still sent, in order. The heading keeps the cohort's calendar
week ("Week 6"), which says when it is, not how many prompts came before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from circles.domain.schedule import Cadence, Occurrence


@dataclass(frozen=True)
class Blackout:
    first: date
    last: date

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


def parse_blackouts(stored: object) -> tuple[Blackout, ...]:
    """The ranges a cohort keeps ([{"from": "YYYY-MM-DD", "until": "YYYY-MM-DD"}, …]); an entry that does
    not read as one (an old or hand-written row) is left out rather than stop the cohort's planning."""
    if not isinstance(stored, list):
        return ()
    found = []
    for entry in stored:
        if not isinstance(entry, dict):
            continue
        try:
            first, last = date.fromisoformat(entry["from"]), date.fromisoformat(entry["until"])
        except (KeyError, TypeError, ValueError):
            continue
        if first <= last:
            found.append(Blackout(first, last))
    return tuple(sorted(found, key=lambda b: (b.first, b.last)))


def blacked_out(blackouts: Iterable[Blackout], day: date) -> bool:
    """Whether nothing is sent on this local day."""
    return any(blackout.covers(day) for blackout in blackouts)


def cycles_blacked_out(
    blackouts: Sequence[Blackout], first: date, step: timedelta, skip: int, before: date
) -> int:
    """How many cycle days (every `step` from `first`, from cycle `skip` on) before `before` fell inside a
    blackout; overlapping ranges count a day once. The track's position moves back by this many."""
    days: set[date] = set()
    for blackout in blackouts:
        cycle = max(skip, -((first - blackout.first) // step))  # the first cycle on or after its first day
        while (day := first + cycle * step) <= blackout.last and day < before:
            days.add(day)
            cycle += 1
    return len(days)


def track_position(
    cadence: Cadence, blackouts: Sequence[Blackout], occurrence: Occurrence, *, checkins: bool = False
) -> int:
    """The occurrence's place in its track (1 for the first): its number, less the earlier occurrences
    (weekly, or of the check-in rhythm) that fell on blackout dates, so that no prompt is skipped."""
    if not blackouts:
        return occurrence.number
    every, skip = (cadence.checkin_every_weeks, 1) if checkins else (1, 0)
    step = timedelta(weeks=every)
    return occurrence.number - cycles_blacked_out(
        blackouts, cadence.first_prompt_day(), step, skip, occurrence.day
    )
