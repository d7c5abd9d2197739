"""Where a relationship is in its track (pure): a pair's conversation starters and a coach's session ideas
run in order from when the pair (or the coach's first pair) began, not from the cohort's first week, so a
pair formed in a later round starts at the top of its track as the first round's pairs did.

The place is how many check-in days the relationship has had, each by the rhythm the cohort had on it: a
rhythm changed mid-programme (weekly, then every two weeks) neither repeats a starter already sent nor
skips one. The cohort's week still heads each message ("Week 7"): it says when it is, not how far the pair
has come.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from circles.domain.blackouts import Blackout, blacked_out, cycles_blacked_out
from circles.domain.schedule import Cadence, Occurrence, local_instant

# One rhythm and when it ran: its weeks, from the change that began it (None: the start) to the one that
# ended it (None: still running).
Stretch = tuple[int, datetime | None, datetime | None]


def checkins_since(
    cadence: Cadence, blackouts: Sequence[Blackout], since: datetime, day: Occurrence, timezone: str
) -> int:
    """The check-in day's place among the check-in days from `since` on (1 for the first), at the cadence's
    time in `timezone`, less the earlier of them that fell on blackout dates: the track moves on once for
    each check-in day the relationship has lived through, and a blacked-out one skips no prompt.

    For a relationship begun before the cohort's first check-in this is the cohort's own count
    (`track_position` of the check-ins), so the first round's pairs keep the places they always had.
    """
    if not cadence.earlier_rhythms:
        return _by_cycle(cadence, blackouts, since, day, timezone)
    return len(checkin_days_had(cadence, blackouts, since, day.day, timezone)) + 1


def checkin_days_had(
    cadence: Cadence, blackouts: Sequence[Blackout], since: datetime, before: date, timezone: str
) -> list[date]:
    """The check-in days before `before` that a relationship begun at `since` had, oldest first, each by the
    rhythm the cohort had at its instant in `timezone`; none on blackout dates.

    After a change, the new rhythm's day in the cycle the change fell in counts even when it came before
    the change, unless the old rhythm already brought a check-in in that cycle: the planner sends such a
    day at once, as it does a prompt day moved into the past (circles.domain.planning.cycles keeps a
    cycle to one message).
    """
    zone = ZoneInfo(timezone)
    first, start = cadence.first_prompt_day(), cadence.starts_on or cadence.anchor
    since_day = since.astimezone(zone).date()
    had: list[date] = []
    for weeks, began, ended in _stretches(cadence):
        step = timedelta(weeks=weeks)
        cycle = max(1, (since_day - first) // step)  # no day of an earlier cycle is on or after `since`
        if began is not None:  # from the cycle the change fell in
            cycle = max(cycle, (began.astimezone(zone).date() - start) // step)
        while (day := first + cycle * step) < before:
            at = local_instant(day, cadence.local_time, timezone)
            if ended is not None and at >= ended:
                break
            cycle += 1
            if at < since or blacked_out(blackouts, day) or (had and had[-1] == day):
                continue  # not theirs, nothing sent, or the same day (the same message) again
            cycle_began = start + ((day - start) // step) * step
            if began is None or at >= began or not had or had[-1] < cycle_began:
                had.append(day)
    return had


def _stretches(cadence: Cadence) -> Iterator[Stretch]:
    """Each rhythm the cohort had, oldest first, with the changes that began and ended it."""
    began: datetime | None = None
    for weeks, ended in sorted(cadence.earlier_rhythms, key=lambda rhythm: rhythm[1]):
        yield weeks, began, ended
        began = ended
    yield cadence.checkin_every_weeks, began, None


def _by_cycle(
    cadence: Cadence, blackouts: Sequence[Blackout], since: datetime, day: Occurrence, timezone: str
) -> int:
    """`checkins_since` for a cohort that always had one rhythm: its place, by the cycle numbers alone."""
    first_cycle = _first_cycle_from(cadence, since, timezone)
    blacked = 0
    if blackouts:
        step = timedelta(weeks=cadence.checkin_every_weeks)
        blacked = cycles_blacked_out(blackouts, cadence.first_prompt_day(), step, first_cycle, day.day)
    # A check-in day's number is its cycle: the first check-in, a rhythm after the first prompt, is 1.
    return day.number - first_cycle + 1 - blacked


def _first_cycle_from(cadence: Cadence, since: datetime, timezone: str) -> int:
    """The first check-in cycle (1 for the cohort's first check-in) whose instant in `timezone` is at or
    after `since`, as `pair_on` counts a pair on from its start."""
    first = cadence.first_prompt_day()
    step = timedelta(weeks=cadence.checkin_every_weeks)
    local_day = since.astimezone(ZoneInfo(timezone)).date()
    cycle = max(1, -((first - local_day) // step))  # the first cycle on or after that local day
    if first + cycle * step == local_day and local_instant(local_day, cadence.local_time, timezone) < since:
        cycle += 1  # begun that day after its check-in time
    return cycle
