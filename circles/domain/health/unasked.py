"""Time no check-in was asked never counts against a pair: partners report a meeting only by answering one.

- Of each gap between two check-ins asked one after the other, only the time until the next one fell due
  counts as days without meeting; the rest (the app down for weeks, say) is left out, the way time away
  is (overlaps counted once). When it fell due is read from the intervals the cohort had then, not from
  today's alone: check-ins asked on time every four weeks are no time unasked once it checks in weekly.
- Time before the cohort's first week is left out too: no check-in can be asked before it.
- Since the last meeting reported (or the pairing) the pair awaits a check-in until one asked since is
  answered or missed: no meeting reported is no concern while they could not yet say they met, however
  long the interval. Once one interval and the answer window have passed with nothing asked since the
  check-in that reported it (or the pairing, or the cohort's first week), time away not counted, the pair
  awaits no more: the days count again, all of them, as when check-ins stopped.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from circles.domain.cohort_rules.time_zones import is_time_zone
from circles.domain.health.away import Spans, present_time_reached
from circles.domain.health.intervals import Intervals, next_due_after
from circles.domain.schedule import local_instant

if TYPE_CHECKING:
    from circles.domain.health.signals import Pair


def unasked_spans(asked: Iterable[datetime], every: timedelta | None, earlier: Intervals = ()) -> Spans:
    """The spans in which no check-in was asked though one was due: from when the next was due after each
    instant a check-in was asked (in order) until the next one asked, by the intervals the cohort had then
    (`earlier`: those it had before `every`, today's). None for `every`: nothing is left out."""
    if every is None or every <= timedelta(0):
        return ()
    found: list[tuple[datetime, datetime]] = []
    instants = iter(asked)
    previous = next(instants, None)
    if previous is None:
        return ()
    for at in instants:
        if earlier:
            due = next_due_after(every, earlier, previous)
            if at > due:
                found.append((due, at))
        elif at - previous > every:
            found.append((previous + every, at))
        if at > previous:
            previous = at
    return tuple(found)


def unasked_time(pair: Pair, starts: Sequence[datetime], since: datetime) -> Spans:
    """What of the time from `since` on no check-in was asked about: each gap past its interval, and the
    time before the cohort's first week (`starts`: when each check-in asked was first due, in order)."""
    gaps = unasked_spans(starts, pair.checkin_every, pair.earlier_every)
    begins = pair.cohort_starts_at
    return (*gaps, (since, begins)) if begins is not None and since < begins else gaps


def awaiting_until(
    pair: Pair,
    starts: Sequence[datetime],
    since: datetime,
    reported: datetime | None,
    settled: datetime | None,
    within: timedelta,
) -> datetime | None:
    """Until when the pair awaits a check-in (None: it does not): `reported` and `settled` are when the
    check-in that reported the last meeting (None: none did, `since` is the pairing) and the latest one
    answered or missed were first due, and `within` the answer window."""
    every = pair.checkin_every
    if every is None or every <= timedelta(0):
        return None
    if settled is not None and (reported is None or settled > reported):
        return None  # asked since, and answered or missed: they could have said they met
    if reported is None:
        anchor = since
    else:
        found = bisect_right(starts, reported)
        anchor = starts[found - 1] if found else since
    begins = pair.cohort_starts_at
    if begins is not None and begins > anchor:
        anchor = begins
    next_due = next_due_after(every, pair.earlier_every, anchor) if pair.earlier_every else anchor + every
    until = present_time_reached(pair.away, anchor, next_due - anchor + within)
    # A check-in asked since and still open keeps them awaiting until its answer window closes.
    if starts and starts[-1] + within > until:
        until = starts[-1] + within
    return until


def concern_from(reached: datetime, awaiting: datetime | None) -> datetime:
    """When days without meeting that reach the threshold at `reached` become a concern: not while the pair
    awaits a check-in (`awaiting`, from `awaiting_until`), so no sooner than that ends."""
    return awaiting if awaiting is not None and reached < awaiting else reached


def first_week_begins(starts_on: date | None, weekday: int, timezone: str) -> datetime | None:
    """When a cohort's first week begins: the first of its prompt days from its start date on, at midnight
    in its time zone (its first check-in comes an interval later); None without a start date (it began
    when it was made)."""
    if starts_on is None:
        return None
    day = starts_on + timedelta(days=(weekday - starts_on.weekday()) % 7)
    return local_instant(day, time(0), timezone if is_time_zone(timezone) else "UTC")
