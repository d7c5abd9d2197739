"""Cycles of a cohort's rhythm (pure): the week (or fortnight) a day falls in, whatever the prompt weekday,
and the occurrences of a cycle that already had its message on another day."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from circles.domain.planning import Planned
from circles.domain.planning.cycles import Written, cycle_of, moved_ahead, once_a_cycle, slot_of
from circles.domain.schedule import Cadence, Timing, Window, occurrences

# Wednesdays at 9:00 in New York from Monday 2 March 2026; the prompt day used to be Monday.
WEDNESDAYS = Cadence(2, time(9), "America/New_York", 1, date(2026, 3, 2), None, anchor=date(2026, 1, 5))
MONDAYS = replace(WEDNESDAYS, weekday=0)


def planned(key: str, timing: Timing = Timing.DUE) -> Planned:
    return Planned(1, key, "C0", key.split(":")[0], {}, datetime(2026, 3, 11, 13, tzinfo=UTC), timing)


def keys(messages: list[Planned]) -> list[str]:
    return [message.key for message in messages]


@pytest.mark.parametrize("weekday", range(7))
@pytest.mark.parametrize("every_weeks", [1, 2, 3])
@pytest.mark.parametrize("starts_on", [date(2026, 3, 2), date(2026, 3, 5), None])
def test_each_cycle_holds_exactly_the_occurrence_the_rhythm_numbers_so(
    weekday: int, every_weeks: int, starts_on: date | None
) -> None:
    cadence = replace(WEDNESDAYS, weekday=weekday, checkin_every_weeks=every_weeks, starts_on=starts_on)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    window = Window(start, start, start + timedelta(weeks=20))
    weeks = occurrences(cadence, window)
    checkins = occurrences(cadence, window, every_weeks=every_weeks, skip=1)
    assert [cycle_of(cadence, week.day) for week in weeks] == [week.number - 1 for week in weeks]
    assert [cycle_of(cadence, day.day, every_weeks) for day in checkins] == [day.number for day in checkins]


def test_a_prompt_day_moved_within_the_week_stays_in_that_weeks_cycle() -> None:
    monday, wednesday, sunday = date(2026, 3, 9), date(2026, 3, 11), date(2026, 3, 15)
    assert [cycle_of(WEDNESDAYS, day) for day in (monday, wednesday, sunday)] == [1, 1, 1]
    assert cycle_of(WEDNESDAYS, date(2026, 3, 16)) == 2
    assert cycle_of(MONDAYS, wednesday) == cycle_of(MONDAYS, monday)


def test_without_a_start_date_cycles_count_from_the_day_the_cohort_was_made() -> None:
    open_ended = replace(WEDNESDAYS, starts_on=None, anchor=date(2026, 3, 5))  # a Thursday
    assert cycle_of(open_ended, date(2026, 3, 11)) == 0  # its first Wednesday
    assert cycle_of(open_ended, date(2026, 3, 12)) == 1


def test_check_ins_every_two_weeks_share_a_cycle_across_the_fortnight() -> None:
    fortnightly = replace(WEDNESDAYS, checkin_every_weeks=2)
    assert cycle_of(fortnightly, date(2026, 3, 16), 2) == cycle_of(fortnightly, date(2026, 3, 18), 2) == 1
    assert cycle_of(fortnightly, date(2026, 3, 30), 2) == 2


def test_only_the_planners_regular_keys_name_a_slot() -> None:
    assert slot_of("checkin:4:7:2026-03-09") is not None
    assert slot_of("circle_prompt:3:2026-03-09") is not None
    for other in (
        "checkin:4:7:back:2026-03-09",  # a return's catch-up
        "circle_prompt_catch_up:3:7:2026-03-09",
        "checkin:4:2026-03-09",
        "pair_prompt:4:not-a-day",
        "digest:7:2026-03-09",
    ):
        assert slot_of(other) is None


def test_a_week_whose_messages_went_on_the_old_day_gets_none_on_the_new_one() -> None:
    went = [
        Written(key)
        for key in (
            "circle_prompt:3:2026-03-09",
            "checkin:4:7:2026-03-09",
            "pair_prompt:4:2026-03-09",
            "coach_idea:7:2026-03-09",
        )
    ]
    wednesday = [
        planned("circle_prompt:3:2026-03-11"),
        planned("checkin:4:7:2026-03-11"),
        planned("checkin:4:8:2026-03-11"),  # the partner had none on Monday (away): theirs comes
        planned("pair_prompt:4:2026-03-11"),
        planned("coach_idea:7:2026-03-11"),
        planned("circle_prompt:5:2026-03-11"),  # another circle
        planned("circle_prompt:3:2026-03-18"),  # the next week
        planned("checkin:4:7:back:2026-03-09"),  # a catch-up is its own
    ]
    assert keys(once_a_cycle(wednesday, went, WEDNESDAYS)) == [
        "checkin:4:8:2026-03-11",
        "circle_prompt:5:2026-03-11",
        "circle_prompt:3:2026-03-18",
        "checkin:4:7:back:2026-03-09",
    ]


def test_the_same_key_is_left_to_the_database_and_a_catch_up_written_holds_back_nothing() -> None:
    same = [planned("circle_prompt:3:2026-03-11"), planned("checkin:4:7:2026-03-11")]
    written = [Written("circle_prompt:3:2026-03-11"), Written("checkin:4:7:back:2026-03-09")]
    assert keys(once_a_cycle(same, written, WEDNESDAYS)) == keys(same)


def test_a_week_whose_only_message_was_missed_is_sent_on_the_new_day_and_recorded_missed_once() -> None:
    missed = [Written("circle_prompt:3:2026-03-09", missed=True), Written("circle_prompt:3:2026-03-02")]
    messages = [
        planned("circle_prompt:3:2026-03-04", Timing.MISSED),  # week 1 went on Monday the 2nd
        planned("circle_prompt:3:2026-03-11"),  # week 2's Monday was missed: Wednesday's goes
    ]
    assert keys(once_a_cycle(messages, missed, WEDNESDAYS)) == ["circle_prompt:3:2026-03-11"]
    week_1 = [planned("circle_prompt:3:2026-03-04", Timing.MISSED)]
    assert keys(once_a_cycle(week_1, missed[:1], WEDNESDAYS)) == keys(week_1)  # no row in week 1
    assert once_a_cycle(week_1, [Written("circle_prompt:3:2026-03-02", missed=True)], WEDNESDAYS) == []


def test_a_moved_week_is_looked_at_again_until_its_new_day_is_over_everywhere() -> None:
    went = [Written("checkin:4:7:2026-03-09")]
    assert moved_ahead(went, WEDNESDAYS, datetime(2026, 3, 10, 15, tzinfo=UTC))
    assert moved_ahead(went, WEDNESDAYS, datetime(2026, 3, 12, 11, tzinfo=UTC))  # Wednesday, in Honolulu
    assert not moved_ahead(went, WEDNESDAYS, datetime(2026, 3, 12, 12, tzinfo=UTC))
    assert not moved_ahead([Written("checkin:4:7:2026-03-11")], WEDNESDAYS, datetime(2026, 3, 10, tzinfo=UTC))
    missed = [Written("checkin:4:7:2026-03-09", missed=True)]
    assert not moved_ahead(missed, WEDNESDAYS, datetime(2026, 3, 10, 15, tzinfo=UTC))
    earlier = [Written("checkin:4:7:2026-03-11")]  # moved to Monday after Wednesday's went
    assert not moved_ahead(earlier, MONDAYS, datetime(2026, 3, 12, 10, tzinfo=UTC))
    ended = replace(WEDNESDAYS, ends_on=date(2026, 3, 10))
    assert not moved_ahead(went, ended, datetime(2026, 3, 10, 15, tzinfo=UTC))
