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

from collections.abc import Sequence
from datetime import datetime, timedelta

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.health.away import present_time_reached
from circles.domain.health.meetings import read_meetings
from circles.domain.health.signals import AnswerRow, Pair
from circles.domain.health.unasked import concern_from


def next_change(
    pair: Pair, answers: Sequence[AnswerRow], now: datetime, limits: HealthThresholds
) -> datetime | None:
    """The first instant after `now` at which the pair's health may change by time alone, if any.

    `answers` are the pair's check-ins asked by `now`; those asked later are signals of their own.
    """
    meetings, soonest = read_meetings(pair, answers, now, timedelta(days=limits.answer_within_days))
    reached = present_time_reached(
        pair.away + meetings.unasked, meetings.since, timedelta(days=limits.days_without_meeting)
    )
    # While the pair awaits a check-in the days are no concern: they may cross the threshold only after.
    crossing = concern_from(reached, meetings.awaiting)
    if crossing > now and (soonest is None or crossing < soonest):
        soonest = crossing
    return soonest
