"""Next prompt and check-in dates in the cohort's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from circles.domain.schedule import Cadence, next_checkin, next_prompt

CHICAGO = Cadence(
    weekday=0,
    local_time=time(9, 0),
    timezone="America/Chicago",
    checkin_every_weeks=2,
    starts_on=date(2027, 1, 11),
    ends_on=date(2027, 6, 28),
    anchor=date(2026, 11, 1),
)


def test_before_the_start_the_first_prompt_is_on_the_start_week_at_local_time() -> None:
    assert next_prompt(CHICAGO, datetime(2026, 11, 21, tzinfo=UTC)) == datetime(2027, 1, 11, 15, tzinfo=UTC)


def test_the_first_check_in_comes_a_cadence_after_the_first_prompt() -> None:
    assert next_checkin(CHICAGO, datetime(2026, 11, 21, tzinfo=UTC)) == datetime(2027, 1, 25, 15, tzinfo=UTC)


def test_once_a_prompt_has_gone_out_the_next_is_a_week_later() -> None:
    assert next_prompt(CHICAGO, datetime(2027, 1, 11, 15, 1, tzinfo=UTC)) == datetime(
        2027, 1, 18, 15, tzinfo=UTC
    )


def test_local_time_holds_across_daylight_saving() -> None:
    # Chicago moves to daylight time on 14 March 2027: 9:00 local becomes 14:00 UTC.
    assert next_prompt(CHICAGO, datetime(2027, 3, 10, tzinfo=UTC)) == datetime(2027, 3, 15, 14, tzinfo=UTC)


def test_nothing_comes_after_the_end() -> None:
    assert next_prompt(CHICAGO, datetime(2027, 6, 29, tzinfo=UTC)) is None
    assert next_checkin(CHICAGO, datetime(2027, 6, 22, tzinfo=UTC)) == datetime(2027, 6, 28, 14, tzinfo=UTC)
    assert next_checkin(CHICAGO, datetime(2027, 6, 29, tzinfo=UTC)) is None


def test_without_a_start_date_the_rhythm_counts_from_the_anchor() -> None:
    open_ended = Cadence(2, time(8, 30), "UTC", 3, None, None, anchor=date(2026, 11, 2))
    assert next_prompt(open_ended, datetime(2026, 11, 2, tzinfo=UTC)) == datetime(
        2026, 11, 4, 8, 30, tzinfo=UTC
    )
    assert next_checkin(open_ended, datetime(2026, 11, 2, tzinfo=UTC)) == datetime(
        2026, 11, 25, 8, 30, tzinfo=UTC
    )
