"""Windows on the days clocks change: night shifts past midnight, a start the clocks skip or repeat, zones
with half-hour offsets. The window found is always the first instant the person can be reached."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from circles.domain.availability import QuietHours, Reach, WorkPattern, next_window, parse_shift, reachable

NO_QUIET = QuietHours()


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


class SlowWindow:
    """The window found the slow way, minute by minute. An instant inside a stretch already walked has
    the same answer: every minute from the stretch's start to its end was unreachable."""

    def __init__(self, reach: Reach) -> None:
        self.reach = reach
        self.walked: tuple[datetime, datetime] | None = None

    def first_reachable_minute(self, at: datetime, within: timedelta = timedelta(days=3)) -> datetime:
        if self.walked is not None and self.walked[0] <= at <= self.walked[1]:
            return self.walked[1]
        minute = at
        while not reachable(self.reach, minute):
            minute += timedelta(minutes=1)
            assert minute - at < within
        self.walked = (at, minute)
        return minute


def test_a_shift_starting_in_the_hour_clocks_skip_opens_when_the_clocks_go_forward() -> None:
    # New York goes from 02:00 EST to 03:00 EDT on Sunday 8 March 2026 (07:00 UTC): a shift from 02:30
    # is running at 03:00 EDT, and the message waiting for it goes then, not an hour into it.
    reach = Reach("America/New_York", NO_QUIET, WorkPattern(parse_shift("Every day 02:30-10:00")))
    saturday_afternoon = utc(2026, 3, 7, 16)
    assert reachable(reach, utc(2026, 3, 8, 7))
    assert next_window(reach, saturday_afternoon) == utc(2026, 3, 8, 7)


def test_a_shift_starting_in_the_hour_clocks_repeat_opens_at_its_second_start() -> None:
    # London goes back from 02:00 BST to 01:00 GMT on Sunday 25 October 2026 (01:00 UTC). At the second
    # 01:20 the shift from 01:30 opens ten minutes later, not at 07:00 or the next night.
    reach = Reach("Europe/London", NO_QUIET, WorkPattern(parse_shift("Every day 01:30-09:00")))
    second_one_twenty = utc(2026, 10, 25, 1, 20)
    assert not reachable(reach, second_one_twenty)
    assert next_window(reach, second_one_twenty) == utc(2026, 10, 25, 1, 30)


@pytest.mark.parametrize(
    ("zone", "change"),
    [
        ("Europe/London", utc(2026, 3, 29, 1)),
        ("Europe/London", utc(2026, 10, 25, 1)),
        ("America/New_York", utc(2026, 3, 8, 7)),
        ("America/New_York", utc(2026, 11, 1, 6)),
        ("Australia/Adelaide", utc(2026, 4, 4, 16, 30)),
        ("Australia/Adelaide", utc(2026, 10, 3, 16, 30)),
    ],
)
@pytest.mark.parametrize(
    "shift", ["Sun-Thu 19:00-07:00", "Every day 01:30-09:00", "Every day 02:30-10:00", "Mon-Fri 16:00-00:00"]
)
@pytest.mark.parametrize("quiet", [NO_QUIET, QuietHours(nights=True)])
def test_around_a_clock_change_the_window_is_the_first_minute_the_person_can_be_reached(
    zone: str, change: datetime, shift: str, quiet: QuietHours
) -> None:
    reach = Reach(zone, quiet, WorkPattern(parse_shift(shift)))
    at, slow = change - timedelta(hours=20), SlowWindow(reach)
    while at < change + timedelta(hours=20):
        assert next_window(reach, at) == slow.first_reachable_minute(at), at
        at += timedelta(minutes=70)


def test_a_night_shift_over_the_spring_change_is_reached_every_night_once() -> None:
    # Sunday-to-Thursday nights in London over 29 March 2026: each night's window opens at 19:00 local,
    # whichever offset the clocks are on; none is skipped, and no window is at a time that does not exist.
    reach = Reach("Europe/London", QuietHours(nights=True), WorkPattern(parse_shift("Sun-Thu 19:00-07:00")))
    opens, at = [], utc(2026, 3, 27, 12)
    while at < utc(2026, 4, 3):
        window = next_window(reach, at)
        assert window is not None
        opens.append(window)
        at = window + timedelta(hours=12)
    assert [reach.local(w).strftime("%a %H:%M") for w in opens] == [
        "Sun 19:00",
        "Mon 19:00",
        "Tue 19:00",
        "Wed 19:00",
        "Thu 19:00",
    ]
    assert opens[0] == utc(2026, 3, 29, 18)  # 19:00 BST


def test_a_half_hour_zone_opens_at_its_own_local_time_across_its_change() -> None:
    # Adelaide (UTC+9:30, +10:30 in summer) goes forward on Sunday 4 October 2026 at 02:00.
    reach = Reach(
        "Australia/Adelaide", QuietHours(nights=True), WorkPattern(parse_shift("Every day 06:00-18:00"))
    )
    assert next_window(reach, utc(2026, 10, 3, 12)) == utc(2026, 10, 3, 20, 30)  # 07:00 ACDT on Sunday
    assert next_window(reach, utc(2026, 10, 2, 12)) == utc(2026, 10, 2, 21, 30)  # 07:00 ACST on Saturday


def test_a_shift_from_midnight_on_a_day_midnight_comes_twice_opens_at_the_first() -> None:
    # Havana goes back from 01:00 to 00:00 on Sunday 1 November 2026: midnight comes at 04:00 and 05:00 UTC.
    reach = Reach("America/Havana", NO_QUIET, WorkPattern(parse_shift("Every day 00:00-08:00")))
    assert next_window(reach, utc(2026, 10, 31, 12, 23)) == utc(2026, 11, 1, 4)
