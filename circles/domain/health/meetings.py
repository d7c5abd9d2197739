"""How a pair's days without a meeting run, read from its check-ins as of an instant: since when they count,
what of that time is no day without meeting, and until when the pair awaits a check-in (see
circles.domain.health.unasked). Health's next change (circles.domain.health.due) and the coaches' and
mentors' digest (circles.queries.guide_pairs) read them here alike."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from circles.domain.health.away import Spans, overlaps
from circles.domain.health.signals import AnswerRow, Pair, checkin_starts
from circles.domain.health.unasked import awaiting_until, unasked_time


class NoMeeting(NamedTuple):
    """A pair's days without a meeting as its check-ins asked by an instant have them."""

    last_met_at: datetime | None  # the latest meeting reported by then (None: none yet)
    since: datetime  # that meeting, or the pairing: the days count from here
    unasked: Spans  # of the time since, what no check-in asked about: no day without meeting
    awaiting: datetime | None  # until when the pair awaits a check-in (None: it does not)


def read_meetings(
    pair: Pair, answers: Sequence[AnswerRow], now: datetime, within: timedelta
) -> tuple[NoMeeting, datetime | None]:
    """The pair's days without meeting as its check-ins asked by `now` have them (`answers`, by due time;
    `within` the answer window), and the first instant after `now` at which one of those check-ins says
    something new by time alone: an answer given later starts to count, or an answer window closes and
    its check-in counts as missed (unless a partner was away then)."""
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
    awaiting = awaiting_until(
        pair, starts, since, _first_due(starts, reported), _first_due(starts, settled), within
    )
    return NoMeeting(last_meeting, since, unasked_time(pair, starts, since), awaiting), soonest


def _first_due(starts: Sequence[datetime], due: datetime | None) -> datetime | None:
    """When the check-in a question due at `due` belongs to was first due (see `checkin_starts`)."""
    if due is None:
        return None
    found = bisect_right(starts, due)
    return starts[found - 1] if found else None
