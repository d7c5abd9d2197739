"""What comes next for one member by the planner's own rules (pure): the first circle prompt and check-in
`plan` would send them, and what held back the occurrences before it.

A prompt comes when the member is in a circle (prompts go into circles, nowhere else), the cohort's day is
not blacked out and the member is there (`Person.present_at`: not paused, a dated pause ending by itself, and
not away); a check-in, in the member's own time zone, when it is not blacked out and one of their active
pairs is on (`pair_on`: both partners there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from circles.domain.blackouts import Blackout, blacked_out
from circles.domain.planning.inputs import PairIn, Person
from circles.domain.planning.plan import checkin_days, pair_on
from circles.domain.presence import taking_part
from circles.domain.schedule import Cadence, Occurrence, Window, occurrences

NEAR = 4  # occurrences looked at first: most members have no hold, and a zone's instants cost
LOOK_AHEAD = 60  # occurrences looked at in all: a longer hold reads as nothing to come, and never loops


class Hold(StrEnum):
    """Why an occurrence does not reach the member. A partner's own reason is theirs: only PARTNER."""

    PAUSED = "paused"  # their own pause
    AWAY = "away"  # their own away block (`/circles away`, a rotation, leave)
    BLACKOUT = "blackout"  # the cohort's blackout dates
    PARTNER = "partner"  # no partner of an active pair is there
    NO_CIRCLE = "no_circle"  # in no circle yet: nothing comes until the facilitators seat them in one
    ALONE = "alone"  # the others in their circle all left: none comes until someone is seated beside them


@dataclass(frozen=True)
class Next:
    at: datetime | None  # None: none within LOOK_AHEAD occurrences, or the cohort ends first
    held: Hold | None = None  # what held the occurrence just before `at` (or the last one looked at)


def next_prompt(
    cadence: Cadence,
    blackouts: Sequence[Blackout],
    person: Person,
    now: datetime,
    *,
    seated: bool,
    meets: bool = True,
) -> Next:
    """The first weekly prompt at or after `now` that the planner would send while the member is there;
    none for a member `seated` in no circle of the cohort's latest round, whose prompts go nowhere, nor for
    one whose circles do not `meet` (others left them alone: `circle_size.meets`), which the planner skips."""
    if not seated:
        return Next(None, Hold.NO_CIRCLE)
    if not meets:
        return Next(None, Hold.ALONE)
    days = _ahead(now, timedelta(weeks=1), lambda window: occurrences(cadence, window))
    return _first(
        days,
        lambda day: person.present_at(day.at) and not blacked_out(blackouts, day.day),
        lambda day: _why(person, blackouts, day),
    )


def next_checkin(
    cadence: Cadence, blackouts: Sequence[Blackout], person: Person, pairs: Sequence[PairIn], now: datetime
) -> Next:
    """The first check-in at or after `now`, in `person`'s zone, that the planner would send them in one of
    `pairs` (their active partnerships, `person` on one side of each)."""
    step = timedelta(weeks=cadence.checkin_every_weeks)
    days = _ahead(now, step, lambda window: checkin_days(cadence, window, person.timezone))
    return _first(
        days,
        lambda day: not blacked_out(blackouts, day.day) and any(pair_on(pair, day.at) for pair in pairs),
        lambda day: _why(person, blackouts, day),
    )


def _ahead(
    now: datetime, step: timedelta, days: Callable[[Window], list[Occurrence]]
) -> Iterator[Occurrence]:
    """Occurrences from `now` on, up to LOOK_AHEAD steps ahead; the far ones only when looked for."""
    near = Window(now, now, now + NEAR * step)
    yield from days(near)
    yield from days(Window(now, now, now + LOOK_AHEAD * step).beyond(near.until))


def _first(
    days: Iterator[Occurrence], sent: Callable[[Occurrence], bool], why: Callable[[Occurrence], Hold]
) -> Next:
    held = None
    for day in days:
        if sent(day):
            return Next(day.at, held)
        held = why(day)
    return Next(None, held)


def _why(person: Person, blackouts: Sequence[Blackout], day: Occurrence) -> Hold:
    """The member's own reasons first (theirs to change), then the cohort's, then a partner's."""
    if not taking_part(person.status, person.paused_until, day.at):
        return Hold.PAUSED
    if person.away_at(day.at):
        return Hold.AWAY
    return Hold.BLACKOUT if blacked_out(blackouts, day.day) else Hold.PARTNER
