"""A night's digest: hours that start in the evening run past midnight and stay the day they started on,
on the wall clock across a change of the clocks; a digest held past midnight in a night shift is still that
night's, not one held over a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from circles.domain.availability import QuietHours, Reach, WorkPattern, parse_shift
from circles.domain.delivery import Unsent, outdated_daily
from circles.domain.digests import WORKING_WEEK, digest_day

LONDON, NEW_YORK = "Europe/London", "America/New_York"
NIGHTS = WorkPattern(parse_shift("Sun-Thu 20:00-08:00"))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant of January 2027 in UTC (London's own time then): Monday is the 11th."""
    return datetime(2027, 1, day, hour, minute, tzinfo=UTC)


def test_hours_from_the_evening_run_past_midnight_as_the_working_day_they_began_on() -> None:
    evening = [time(20)]
    assert digest_day(LONDON, evening, WORKING_WEEK, at(11, 20)) == date(2027, 1, 11)
    assert digest_day(LONDON, evening, WORKING_WEEK, at(12, 1)) == date(2027, 1, 11)  # Monday night's
    assert digest_day(LONDON, evening, WORKING_WEEK, at(12, 3, 59)) == date(2027, 1, 11)
    assert digest_day(LONDON, evening, WORKING_WEEK, at(12, 4)) is None  # eight hours on: over
    assert digest_day(LONDON, evening, WORKING_WEEK, at(16, 1)) == date(2027, 1, 15)  # Saturday: Friday's
    assert digest_day(LONDON, evening, WORKING_WEEK, at(11, 1)) is None  # Monday: Sunday's, no working day


def test_morning_hours_never_reach_back_to_the_day_before() -> None:
    assert digest_day(LONDON, [time(9)], WORKING_WEEK, at(12, 1)) is None
    assert digest_day(LONDON, [time(0)], WORKING_WEEK, at(12, 7, 59)) == date(2027, 1, 12)


def test_a_night_window_is_eight_hours_on_the_wall_clock_when_the_clocks_change_in_it() -> None:
    everyday = frozenset(range(7))
    # New York went from 02:00 EST to 03:00 EDT on Sunday 14 March 2027: 05:59 EDT is still Saturday's.
    assert digest_day(NEW_YORK, [time(22)], everyday, datetime(2027, 3, 14, 9, 59, tzinfo=UTC)) == date(
        2027, 3, 13
    )
    assert digest_day(NEW_YORK, [time(22)], everyday, datetime(2027, 3, 14, 10, tzinfo=UTC)) is None
    # Back from 02:00 EDT to 01:00 EST on Sunday 7 November 2027: the second 01:30 is Saturday's too.
    second = datetime(2027, 11, 7, 6, 30, tzinfo=UTC)
    assert digest_day(NEW_YORK, [time(22)], everyday, second) == date(2027, 11, 6)
    assert digest_day(NEW_YORK, [time(22)], everyday, datetime(2027, 11, 7, 11, tzinfo=UTC)) is None


def test_past_midnight_in_a_night_shift_it_is_still_the_day_the_shift_began() -> None:
    local = datetime(2027, 1, 12, 1)  # Tuesday 01:00, in Monday night's shift
    assert NIGHTS.day_of(local) == date(2027, 1, 11)
    assert NIGHTS.day_of(local.replace(hour=8)) == date(2027, 1, 12)  # the shift is over
    assert NIGHTS.day_of(datetime(2027, 1, 16, 1)) == date(2027, 1, 16)  # Saturday: no Friday night shift
    assert WorkPattern(parse_shift("Mon-Fri 08:00-17:00")).day_of(local) == date(2027, 1, 12)


def test_a_digest_held_past_midnight_in_a_night_shift_still_goes_that_night() -> None:
    reach = Reach(LONDON, QuietHours(nights=True), NIGHTS)
    monday = Unsent(1, 1, "U0COACH", "digest:U0COACH:2027-01-11", "coach_digest", at(12, 1))
    tuesday_evening = at(12, 20)

    assert not outdated_daily(monday, reach, at(12, 7), tuesday_evening)
    # Once Tuesday's shift has begun, Monday's is a day old and Tuesday's is coming: it is dropped.
    assert outdated_daily(monday, reach, at(12, 20), tuesday_evening)
