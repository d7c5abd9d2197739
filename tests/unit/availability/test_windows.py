"""When a person's window opens: working patterns, night shifts past midnight, quiet hours, DST."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest

from circles.domain.availability import (
    Absence,
    AbsenceKind,
    InvalidPattern,
    QuietHours,
    Reach,
    RotaEntry,
    WorkPattern,
    next_window,
    parse_quiet_hours,
    parse_shift,
    reachable,
)
from circles.domain.availability.reach import most_reachable

NIGHTS = WorkPattern(parse_shift("Sun-Thu 19:00-07:00"))
NO_QUIET = QuietHours()


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_a_night_shift_reads_as_crossing_midnight() -> None:
    shift = parse_shift("Sun-Thu 19:00-07:00")
    assert shift.overnight
    assert shift.days == frozenset({6, 0, 1, 2, 3})
    assert shift.describe() == "Sun-Thu 19:00-07:00"
    assert parse_shift("Mon,Wed 07:00-19:00").describe() == "Mon,Wed 07:00-19:00"


@pytest.mark.parametrize("text", ["", "Funday 09:00-17:00", "Mon-Fri 25:00-07:00", "Mon 09:00-09:00", "Mon"])
def test_a_pattern_that_cannot_be_read_is_refused(text: str) -> None:
    with pytest.raises(InvalidPattern):
        parse_shift(text)


def test_a_night_shift_member_is_reached_at_night_not_at_nine_in_the_morning() -> None:
    reach = Reach("Europe/London", NO_QUIET, NIGHTS)
    nine_am_wednesday = utc(2027, 1, 13, 9)  # London is on UTC in January
    assert not reachable(reach, nine_am_wednesday)
    assert next_window(reach, nine_am_wednesday) == utc(2027, 1, 13, 19)
    assert reachable(reach, utc(2027, 1, 14, 3))  # Wednesday's shift, still running on Thursday


def test_the_shift_that_ends_on_friday_morning_belongs_to_thursday() -> None:
    reach = Reach("UTC", NO_QUIET, NIGHTS)
    assert reachable(reach, utc(2027, 1, 15, 6, 59))  # Friday 06:59: Thursday's night
    # Friday and Saturday nights are not worked: the next shift starts on Sunday evening.
    assert next_window(reach, utc(2027, 1, 15, 7)) == utc(2027, 1, 17, 19)


def test_quiet_hours_keep_the_evening_free_inside_a_shift() -> None:
    reach = Reach("UTC", QuietHours(evenings=True), NIGHTS)
    assert next_window(reach, utc(2027, 1, 13, 12)) == utc(2027, 1, 13, 22)


def test_without_a_pattern_only_the_quiet_hours_hold_a_message_back() -> None:
    reach = Reach("America/New_York", parse_quiet_hours("nights,weekends"))
    friday_late = utc(2027, 1, 16, 3, 30)  # Friday 22:30 in New York
    assert next_window(reach, friday_late) == utc(2027, 1, 18, 12)  # Monday 07:00 EST
    assert reachable(reach, utc(2027, 1, 18, 15))


def test_windows_follow_the_local_clock_across_the_spring_change() -> None:
    reach = Reach("America/New_York", NO_QUIET, WorkPattern(parse_shift("Every day 19:00-07:00")))
    # Clocks go forward on Sunday 14 March 2027: the evening shift starts at 19:00 EDT, 23:00 UTC.
    assert next_window(reach, utc(2027, 3, 14, 14)) == utc(2027, 3, 14, 23)
    assert next_window(reach, utc(2027, 3, 13, 14)) == utc(2027, 3, 14, 0)  # 19:00 EST the day before
    assert reachable(reach, utc(2027, 3, 14, 10, 30))  # 06:30 EDT, Saturday's night still running


def test_windows_follow_the_local_clock_across_the_autumn_change() -> None:
    reach = Reach("Europe/Berlin", parse_quiet_hours("nights"))
    # Clocks go back on Sunday 31 October 2027: 07:00 local is 06:00 UTC, no longer 05:00.
    assert next_window(reach, utc(2027, 10, 31, 1)) == utc(2027, 10, 31, 6)
    assert next_window(reach, utc(2027, 10, 30, 1)) == utc(2027, 10, 30, 5)


def test_a_rota_entry_replaces_the_usual_shift_for_its_dates() -> None:
    days = WorkPattern(
        parse_shift("Mon-Fri 08:00-17:00"),
        (RotaEntry(date(2027, 1, 11), date(2027, 1, 17), parse_shift("Every day 20:00-08:00")),),
    )
    reach = Reach("UTC", NO_QUIET, days)
    assert next_window(reach, utc(2027, 1, 12, 9)) == utc(2027, 1, 12, 20)  # nights this week
    assert next_window(reach, utc(2027, 1, 19, 18)) == utc(2027, 1, 20, 8)  # back on days
    assert reachable(reach, utc(2027, 1, 18, 7))  # Sunday's night runs into Monday morning


def test_an_away_block_holds_everything_until_the_day_they_are_back() -> None:
    back = utc(2027, 2, 1, 0)
    reach = Reach("UTC", parse_quiet_hours("nights"), None, (Absence(utc(2027, 1, 18), back),))
    assert next_window(reach, utc(2027, 1, 20, 12)) == utc(2027, 2, 1, 7)  # midnight is quiet: 07:00


def test_an_open_ended_absence_has_no_window() -> None:
    reach = Reach("UTC", NO_QUIET, None, (Absence(utc(2027, 1, 1), None, AbsenceKind.STATUS),))
    assert next_window(reach, utc(2027, 1, 2)) is None


def test_do_not_disturb_defers_to_the_minute_it_ends() -> None:
    ends = utc(2027, 1, 13, 10, 45)
    reach = Reach("UTC", NO_QUIET, None, (Absence(utc(2027, 1, 13, 9), ends, AbsenceKind.DND),))
    assert next_window(reach, utc(2027, 1, 13, 9, 30)) == ends


def test_a_circle_is_prompted_when_most_of_it_can_be_reached() -> None:
    day = Reach("UTC", parse_quiet_hours("nights"))
    night = Reach("UTC", NO_QUIET, NIGHTS)
    assert most_reachable([day, day, night], utc(2027, 1, 13, 9))
    assert not most_reachable([day, night, night], utc(2027, 1, 13, 9))
    assert most_reachable([], utc(2027, 1, 13, 9))


def test_a_whole_day_shift_is_24_hours_and_ends_at_the_next_midnight() -> None:
    saturdays = WorkPattern(parse_shift("Sat 00:00-24:00"))
    assert parse_shift("Sat 00:00-24:00").describe() == "Sat 00:00-24:00"
    assert parse_shift("Mon-Fri 19:00-24:00").describe() == "Mon-Fri 19:00-00:00"
    reach = Reach("UTC", NO_QUIET, saturdays)
    assert reachable(reach, utc(2027, 1, 16, 0))
    assert reachable(reach, utc(2027, 1, 16, 23, 59))
    assert not reachable(reach, utc(2027, 1, 17, 0))  # Sunday: the shift is over
    assert next_window(reach, utc(2027, 1, 17, 0)) == utc(2027, 1, 23, 0)
    assert WorkPattern.from_json(saturdays.to_json()) == saturdays


@dataclass(frozen=True)
class Looked(Absence):
    """An absence that counts how often a window's search looks at it."""

    looks: list[int] = field(default_factory=list, compare=False)

    def covers(self, at: datetime) -> bool:
        self.looks.append(1)
        return super().covers(at)


def test_finding_a_window_looks_only_at_the_absences_within_reach_not_a_years_rota() -> None:
    now, looks = utc(2027, 1, 11, 3), []
    for ahead in (10, 1000):  # rota blocks after the two months a window is looked for in
        far = tuple(
            Looked(utc(2027, 6, 1) + n * timedelta(hours=5), utc(2027, 6, 1, 1) + n * timedelta(hours=5))
            for n in range(ahead)
        )
        nights = (Looked(now - timedelta(hours=2), now + timedelta(days=1)),)
        reach = Reach("UTC", parse_quiet_hours("nights"), None, nights + far)
        assert next_window(reach, now) == utc(2027, 1, 12, 7)
        looks.append(sum(len(a.looks) for a in nights + far))
    assert looks[0] == looks[1]


def test_a_stored_pattern_reads_back_the_same() -> None:
    pattern = WorkPattern(
        parse_shift("Mon,Wed 07:00-19:30"), (RotaEntry(date(2027, 1, 1), date(2027, 1, 3), None),)
    )
    assert WorkPattern.from_json(pattern.to_json()) == pattern
    assert WorkPattern.from_json({"shift": {"days": "", "start": "x"}}) is None
    assert parse_shift("mon 7:00-19:00").start == time(7)
