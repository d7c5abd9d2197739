"""Where a relationship is in its track after the cohort's check-in rhythm changed: the check-in days it has
had, each by the rhythm the cohort had on it (circles.domain.planning.since)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from circles.domain.blackouts import Blackout
from circles.domain.planning.since import checkin_days_had, checkins_since
from circles.domain.schedule import Cadence, Occurrence, Timing, local_instant

START = date(2026, 3, 2)  # a Monday; check-ins at 9:00 UTC, the first a rhythm after it
WEEKLY = Cadence(0, time(9), "UTC", 1, START, None, anchor=START)
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def changed(every_weeks: int, *earlier: tuple[int, date]) -> Cadence:
    """Check-ins every `every_weeks` weeks now, after the `earlier` rhythms, each ended on its day at noon."""
    return replace(
        WEEKLY, checkin_every_weeks=every_weeks, earlier_rhythms=tuple((w, at(d)) for w, d in earlier)
    )


def had(
    cadence: Cadence, before: date, since: datetime = LONG_AGO, blackouts: tuple[Blackout, ...] = ()
) -> list[str]:
    return [d.isoformat() for d in checkin_days_had(cadence, blackouts, since, before, "UTC")]


def place(cadence: Cadence, day: date, since: datetime = LONG_AGO) -> int:
    occurrence = Occurrence(day, 0, 0, local_instant(day, time(9), "UTC"), Timing.DUE)
    return checkins_since(cadence, (), since, occurrence, "UTC")


def test_weekly_days_before_the_change_and_two_weekly_ones_after_it_count_once_each() -> None:
    cadence = changed(2, (1, date(2026, 3, 31)))

    assert had(cadence, date(2026, 5, 11)) == [
        *("2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30"),
        *("2026-04-13", "2026-04-27"),
    ]
    assert place(cadence, date(2026, 4, 13)) == 5  # the fifth check-in day, not the third two-weekly one


def test_two_weekly_days_then_weekly_ones_take_the_next_place_without_skipping_any() -> None:
    cadence = changed(1, (2, date(2026, 3, 31)))

    assert had(cadence, date(2026, 4, 20)) == ["2026-03-16", "2026-03-30", "2026-04-06", "2026-04-13"]
    assert place(cadence, date(2026, 4, 6)) == 3


def test_a_relationship_begun_after_the_change_counts_from_its_own_start() -> None:
    cadence = changed(2, (1, date(2026, 3, 31)))

    assert place(cadence, date(2026, 4, 13), since=at(date(2026, 4, 7))) == 1
    assert place(cadence, date(2026, 4, 27), since=at(date(2026, 4, 7))) == 2
    # Begun between two weekly days: the weekly ones after its start count, then the two-weekly ones.
    assert had(cadence, date(2026, 4, 27), since=at(date(2026, 3, 18))) == [
        "2026-03-23",
        "2026-03-30",
        "2026-04-13",
    ]


def test_every_change_is_counted_by_the_rhythm_it_ended() -> None:
    cadence = changed(3, (1, date(2026, 3, 31)), (2, date(2026, 4, 14)))

    # Three-weekly days fall on 23 March, 13 April and 4 May: 13 April was the two-weekly rhythm's too.
    assert had(cadence, date(2026, 5, 26)) == [
        *("2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30"),
        *("2026-04-13", "2026-05-04", "2026-05-25"),
    ]


def test_back_to_weekly_in_a_week_the_old_rhythm_had_none_counts_that_mondays_check_in_sent_late() -> None:
    cadence = changed(1, (1, date(2026, 3, 31)), (2, date(2026, 4, 21)))

    assert had(cadence, date(2026, 4, 28)) == [
        *("2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30"),
        *("2026-04-13", "2026-04-20", "2026-04-27"),
    ]


def test_a_change_in_a_cycle_that_had_its_check_in_adds_none_before_the_change() -> None:
    # Three-weekly (23 March, 13 April), two-weekly from Tuesday 24 March: its cycle from 16 March had
    # its check-in on the 23rd, so its own day, the 16th, is not sent (nor counted).
    cadence = changed(2, (3, date(2026, 3, 24)))

    assert had(cadence, date(2026, 4, 14)) == ["2026-03-23", "2026-03-30", "2026-04-13"]


def test_blacked_out_check_in_days_take_no_place_after_a_change() -> None:
    cadence = changed(2, (1, date(2026, 3, 31)))
    easter = (Blackout(date(2026, 4, 10), date(2026, 4, 14)), Blackout(date(2026, 3, 16), date(2026, 3, 16)))

    assert had(cadence, date(2026, 5, 1), blackouts=easter) == [
        "2026-03-09",
        "2026-03-23",
        "2026-03-30",
        "2026-04-27",
    ]


@pytest.mark.parametrize("every", [1, 2, 3])
@pytest.mark.parametrize(
    "since", [LONG_AGO, at(date(2026, 3, 16), 8), at(date(2026, 3, 16), 10), at(date(2026, 4, 1))]
)
def test_a_rhythm_that_never_changed_counts_as_its_cycle_numbers_do(every: int, since: datetime) -> None:
    kept = replace(WEEKLY, checkin_every_weeks=every)
    # The same rhythm "changed" to itself: counted day by day, it must agree with the cycle numbers.
    relabelled = replace(kept, earlier_rhythms=((every, at(date(2026, 3, 25))),))
    blackouts = (Blackout(date(2026, 4, 6), date(2026, 4, 20)),)
    for cycle in range(1, 12):
        day = START + timedelta(weeks=cycle * every)
        if blackouts[0].covers(day) or local_instant(day, time(9), "UTC") < since:
            continue
        occurrence = Occurrence(day, cycle, cycle * every + 1, local_instant(day, time(9), "UTC"), Timing.DUE)
        assert checkins_since(relabelled, blackouts, since, occurrence, "UTC") == checkins_since(
            kept, blackouts, since, occurrence, "UTC"
        )
