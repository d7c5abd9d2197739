"""The check-in intervals a cohort had, and when its first week begins: what says when a check-in could be
asked, so that the time it could not never counts against a pair."""

from __future__ import annotations

from datetime import UTC, date, datetime

from circles.domain.health.intervals import intervals_from_json, next_due_after, with_earlier_interval
from circles.domain.health.unasked import first_week_begins, unasked_spans
from tests.unit.test_health_awaiting_checkin import FIRST, FOUR_WEEKS, WEEK


def test_the_first_week_begins_on_the_first_prompt_day_from_the_start_date_in_the_cohorts_zone() -> None:
    assert first_week_begins(date(2026, 4, 28), 0, "America/New_York") == datetime(2026, 5, 4, 4, tzinfo=UTC)
    assert first_week_begins(date(2026, 4, 27), 0, "Nowhere/Else") == datetime(2026, 4, 27, tzinfo=UTC)
    assert first_week_begins(None, 0, "UTC") is None


def test_each_gap_is_judged_by_when_the_next_check_in_fell_due_under_the_intervals_the_cohort_had() -> None:
    shortened = datetime(2026, 5, 1, tzinfo=UTC)
    earlier = ((shortened, FOUR_WEEKS),)
    assert next_due_after(WEEK, earlier, FIRST) == FIRST + FOUR_WEEKS
    # Four weeks on from 27 April, but weekly from 1 May: the next was due within a week of the change.
    assert next_due_after(WEEK, earlier, FIRST + 2 * FOUR_WEEKS) == shortened + WEEK
    assert next_due_after(WEEK, earlier, shortened + WEEK) == shortened + 2 * WEEK
    lengthened = ((datetime(2026, 3, 14, tzinfo=UTC), WEEK),)
    assert next_due_after(FOUR_WEEKS, lengthened, FIRST + WEEK) == datetime(2026, 4, 11, tzinfo=UTC)
    dues = [FIRST, FIRST + FOUR_WEEKS, FIRST + 2 * FOUR_WEEKS, shortened + 6 * WEEK]
    assert unasked_spans(dues, WEEK, earlier) == ((shortened + WEEK, shortened + 6 * WEEK),)
    assert unasked_spans(dues, WEEK) == (
        (FIRST + WEEK, FIRST + FOUR_WEEKS),
        (FIRST + FOUR_WEEKS + WEEK, FIRST + 2 * FOUR_WEEKS),
        (FIRST + 2 * FOUR_WEEKS + WEEK, shortened + 6 * WEEK),
    )


def test_earlier_intervals_are_kept_oldest_first_and_odd_entries_are_left_out() -> None:
    stored = with_earlier_interval(None, 4, datetime(2026, 5, 1, tzinfo=UTC))
    stored = with_earlier_interval(stored, 1, datetime(2026, 6, 1, tzinfo=UTC))
    odd = [*stored, {"weeks": "x", "until": "2026-07-01T00:00:00+00:00"}, {"until": "2026-07-01"}, 3]
    assert intervals_from_json(odd) == (
        (datetime(2026, 5, 1, tzinfo=UTC), FOUR_WEEKS),
        (datetime(2026, 6, 1, tzinfo=UTC), WEEK),
    )
    assert intervals_from_json(None) == ()
