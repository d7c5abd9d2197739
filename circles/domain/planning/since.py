"""Where a relationship is in its track (pure): a pair's conversation starters and a coach's session ideas
run in order from when the pair (or the coach's first pair) began, not from the cohort's first week, so a
pair formed in a later round starts at the top of its track as the first round's pairs did.

The cohort's week still heads each message ("Week 7"): it says when it is, not how far the pair has come.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from circles.domain.blackouts import Blackout, cycles_blacked_out
from circles.domain.schedule import Cadence, Occurrence, local_instant


def checkins_since(
    cadence: Cadence, blackouts: Sequence[Blackout], since: datetime, day: Occurrence, timezone: str
) -> int:
    """The check-in day's place among the check-in days from `since` on (1 for the first), at the cadence's
    time in `timezone`, less the earlier of them that fell on blackout dates: the track moves on once for
    each check-in day the relationship has lived through, and a blacked-out one skips no prompt.

    For a relationship begun before the cohort's first check-in this is the cohort's own count
    (`track_position` of the check-ins), so the first round's pairs keep the places they always had.
    """
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
