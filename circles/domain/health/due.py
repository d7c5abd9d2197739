"""When a partnership's health can next change with nothing new said: the clock's own signals.

Health reads check-ins as they stand at an instant, so between two signals (an answer, a new
check-in falling due, a pause) it changes only when:

- an unanswered check-in's answer window (from when its question went) closes and it counts as missed;
- an answer given later than the instant looked at starts to count;
- the days without a reported meeting reach the cohort's threshold (later by any time a partner is away,
  and by any gap between two check-ins asked longer than the cohort's interval).

The days also change the words of some reasons ("no meeting reported for 24 days") every day,
but not which rules fired, which is what history and escalations act on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.health.away import overlaps, present_time_reached
from circles.domain.health.signals import AnswerRow, Pair, checkin_starts
from circles.domain.health.unasked import unasked_spans


def next_change(
    pair: Pair, answers: Sequence[AnswerRow], now: datetime, limits: HealthThresholds
) -> datetime | None:
    """The first instant after `now` at which the pair's health may change by time alone, if any.

    `answers` are the pair's check-ins asked by `now`; those asked later are signals of their own.
    """
    within = timedelta(days=limits.answer_within_days)
    soonest: datetime | None = None
    last_meeting: datetime | None = None
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
        elif met and (last_meeting is None or answered_at > last_meeting):
            last_meeting = answered_at
    since = last_meeting if last_meeting is not None else pair.started_at
    held = pair.away + unasked_spans(checkin_starts(answers, now), pair.checkin_every)
    crossing = present_time_reached(held, since, timedelta(days=limits.days_without_meeting))
    if crossing > now and (soonest is None or crossing < soonest):
        soonest = crossing
    return soonest
