"""When a partnership's health can next change with nothing new said: the clock's own signals.

Health reads check-ins as they stand at an instant, so between two signals (an answer, a new
check-in falling due, a pause) it changes only when:

- an unanswered check-in's answer window (from when its question went) closes and it counts as missed;
- an answer given later than the instant looked at starts to count;
- the days without a reported meeting reach the cohort's threshold (later by any time a partner is away,
  by any gap between two check-ins asked longer than the cohort's interval, and by the time before its
  first week), once the pair no longer awaits a check-in (circles.domain.health.unasked).

The days also change the words of some reasons ("no meeting reported for 24 days") every day,
but not which rules fired, which is what history and escalations act on.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import datetime, timedelta

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.health.away import overlaps, present_time_reached
from circles.domain.health.signals import AnswerRow, Pair, checkin_starts
from circles.domain.health.unasked import awaiting_until, unasked_time


def next_change(
    pair: Pair, answers: Sequence[AnswerRow], now: datetime, limits: HealthThresholds
) -> datetime | None:
    """The first instant after `now` at which the pair's health may change by time alone, if any.

    `answers` are the pair's check-ins asked by `now`; those asked later are signals of their own.
    """
    within = timedelta(days=limits.answer_within_days)
    soonest: datetime | None = None
    last_meeting: datetime | None = None
    reported: datetime | None = None  # the due time of the answer that reported it
    settled: datetime | None = None  # the latest due time of a check-in answered or missed
    held = pair.away  # either partner away puts the pair on hold: neither's question is missed then
    for _, due, answered_at, _, met, _, asked_at in answers:
        asked = due if asked_at is None else asked_at
        if asked > now:
            continue
        if answered_at is None or answered_at > now:
            closes = asked + within  # counted as missed from then on, unless answered before or away
            # The cheap comparisons first: an answer window long closed needs no look at time away.
            soonest_closes = closes > now and (soonest is None or closes < soonest)
            if soonest_closes and not overlaps(held, asked, closes):
                soonest = closes
            if answered_at is not None and (soonest is None or answered_at < soonest):
                soonest = answered_at  # given after `now`: it counts from then on
            if closes <= now and not overlaps(held, asked, closes) and (settled is None or due > settled):
                settled = due  # missed
            continue
        if settled is None or due > settled:
            settled = due
        if met and (last_meeting is None or answered_at > last_meeting):
            last_meeting, reported = answered_at, due
    since = last_meeting if last_meeting is not None else pair.started_at
    starts = checkin_starts(answers, now)
    held = pair.away + unasked_time(pair, starts, since)
    crossing = present_time_reached(held, since, timedelta(days=limits.days_without_meeting))
    # While the pair awaits a check-in the days are no concern: they may cross the threshold only after.
    awaiting = awaiting_until(
        pair, starts, since, _first_due(starts, reported), _first_due(starts, settled), within
    )
    if awaiting is not None and awaiting > now and crossing < awaiting:
        crossing = awaiting
    if crossing > now and (soonest is None or crossing < soonest):
        soonest = crossing
    return soonest


def _first_due(starts: Sequence[datetime], due: datetime | None) -> datetime | None:
    """When the check-in a question due at `due` belongs to was first due (see `checkin_starts`)."""
    if due is None:
        return None
    found = bisect_right(starts, due)
    return starts[found - 1] if found else None
