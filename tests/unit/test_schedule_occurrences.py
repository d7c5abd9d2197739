"""Occurrences in a planning window: at local time in any time zone, across daylight saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from circles.domain.schedule import Cadence, Timing, Window, occurrences

GRACE, HORIZON, LOOK_BACK = timedelta(hours=6), timedelta(hours=1), timedelta(weeks=2)


def cadence(timezone: str, every_weeks: int = 2, **dates: date | None) -> Cadence:
    return Cadence(
        weekday=0,
        local_time=time(9, 0),
        timezone=timezone,
        checkin_every_weeks=every_weeks,
        starts_on=dates.get("starts_on", date(2026, 2, 2)),
        ends_on=dates.get("ends_on"),
        anchor=date(2026, 1, 1),
    )


def window_now() -> Window:
    return Window.around(datetime.now(UTC), grace=GRACE, horizon=HORIZON, look_back=LOOK_BACK)


def due_now(rhythm: Cadence, timezone: str | None = None, **kwargs: int) -> list[datetime]:
    found = occurrences(rhythm, window_now(), timezone=timezone, **kwargs)
    return [o.at for o in found if o.timing is Timing.DUE]


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        # New York springs forward on Sunday 8 March 2026, London on Sunday 29 March.
        ("America/New_York", datetime(2026, 3, 2, 14, tzinfo=UTC), datetime(2026, 3, 9, 13, tzinfo=UTC)),
        ("Europe/London", datetime(2026, 3, 23, 9, tzinfo=UTC), datetime(2026, 3, 30, 8, tzinfo=UTC)),
    ],
)
def test_nine_in_the_morning_stays_nine_in_the_morning_across_a_daylight_saving_change(
    zone: str, before: datetime, after: datetime
) -> None:
    rhythm = cadence(zone)
    seen: list[datetime] = []
    with freeze_time(before - timedelta(days=8)) as clock:
        while datetime.now(UTC) < after + timedelta(days=1):
            seen.extend(due_now(rhythm))
            clock.tick(timedelta(minutes=30))
    # Each pass from an hour before to the end of the grace window sees the occurrence: the same instant.
    assert sorted(set(seen)) == [before - timedelta(weeks=1), before, after]
    assert {at.astimezone(ZoneInfo(zone)).time() for at in seen} == {time(9, 0)}


def test_week_numbers_count_from_the_first_prompt_day_and_check_ins_start_a_cadence_later() -> None:
    rhythm = cadence("America/Chicago", every_weeks=3)
    window = Window(
        datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
    )
    weekly = occurrences(rhythm, window)
    assert [(o.day, o.number, o.week) for o in weekly[:3]] == [
        (date(2026, 2, 2), 1, 1),
        (date(2026, 2, 9), 2, 2),
        (date(2026, 2, 16), 3, 3),
    ]
    checkins = occurrences(rhythm, window, every_weeks=3, skip=1)
    assert [(o.day, o.number, o.week) for o in checkins] == [
        (date(2026, 2, 23), 1, 4),
        (date(2026, 3, 16), 2, 7),
    ]


def test_the_same_day_falls_at_each_persons_own_nine_oclock() -> None:
    rhythm = cadence("America/New_York")
    with freeze_time("2026-02-16 00:00:00"):
        window = Window.around(datetime.now(UTC), grace=GRACE, horizon=timedelta(days=1), look_back=LOOK_BACK)
        at = {
            zone: occurrences(rhythm, window, timezone=zone)[-1]
            for zone in ("Asia/Tokyo", "America/Los_Angeles")
        }
    assert at["Asia/Tokyo"].day == at["America/Los_Angeles"].day == date(2026, 2, 16)
    assert at["Asia/Tokyo"].at == datetime(2026, 2, 16, 0, tzinfo=UTC)
    assert at["America/Los_Angeles"].at == datetime(2026, 2, 16, 17, tzinfo=UTC)


def test_within_grace_an_occurrence_is_due_late_and_before_it_is_missed() -> None:
    rhythm = cadence("UTC")
    with freeze_time("2026-02-16 14:59:00"):
        found = occurrences(rhythm, window_now())
    # 2 February is beyond the two weeks looked back.
    assert [(o.day, o.timing) for o in found] == [
        (date(2026, 2, 9), Timing.MISSED),
        (date(2026, 2, 16), Timing.DUE),
    ]
    with freeze_time("2026-02-16 15:01:00"):
        assert [o.timing for o in occurrences(rhythm, window_now())][-1] is Timing.MISSED


def test_nothing_before_the_start_or_after_the_end_date() -> None:
    rhythm = cadence("UTC", starts_on=date(2026, 2, 4), ends_on=date(2026, 2, 16))
    window = Window(
        datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)
    )
    assert [o.day for o in occurrences(rhythm, window)] == [date(2026, 2, 9), date(2026, 2, 16)]


def test_a_time_that_does_not_exist_on_the_changeover_day_still_happens_once() -> None:
    rhythm = Cadence(6, time(2, 30), "America/New_York", 1, date(2026, 3, 1), None, anchor=date(2026, 1, 1))
    window = Window(
        datetime(2026, 3, 7, tzinfo=UTC), datetime(2026, 3, 7, tzinfo=UTC), datetime(2026, 3, 10, tzinfo=UTC)
    )
    [changeover] = occurrences(rhythm, window)
    assert changeover.day == date(2026, 3, 8)
    assert changeover.at == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 3:30 daylight time, an hour on
