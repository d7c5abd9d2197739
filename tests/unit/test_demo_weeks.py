"""The demo's timeline says a week is after the end only once the cohort has ended."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest

from bot.demo.timeline import Timeline

NINTH_MONDAY = datetime(2027, 3, 8, 15, 0, tzinfo=UTC)  # week 9 of a cohort starting Mon 11 Jan 2027


@pytest.mark.parametrize(
    ("ends_on", "heading"),
    [
        (date(2027, 6, 28), "Week 9 · Mon 08 Mar 2027"),  # a cohort file running into the summer
        (None, "Week 9 · Mon 08 Mar 2027"),  # a cohort file with no end date
        (date(2027, 3, 8), "After the end · Mon 08 Mar 2027"),
    ],
)
def test_a_week_past_the_demos_weeks_is_after_the_end_only_once_the_cohort_ended(
    ends_on: date | None, heading: str
) -> None:
    out = io.StringIO()
    timeline = Timeline(out, ends_on=ends_on)
    timeline.week(9, NINTH_MONDAY, weeks=8)
    assert out.getvalue().strip() == heading
