"""Blackout ranges as facilitators paste them: with an en or em dash or "to", not only two dots."""

from __future__ import annotations

from datetime import date

import pytest

from circles.domain.availability.blackout_dates import Blackout, InvalidBlackouts, parse_blackouts

EXAM_WEEK = (Blackout(date(2027, 3, 1), date(2027, 3, 5)),)


@pytest.mark.parametrize(
    "text",
    [
        "2027-03-01..2027-03-05",
        "2027-03-01 – 2027-03-05",
        "2027-03-01—2027-03-05",
        "2027-03-01 to 2027-03-05",
    ],
)
def test_a_range_written_with_a_dash_or_to_reads_like_one_with_two_dots(text: str) -> None:
    assert parse_blackouts(text) == EXAM_WEEK


@pytest.mark.parametrize("text", ["２０２７-03-01", "2027-03-01..٢٠٢٧-03-05", "2027-03-01 … 2027-03-05"])
def test_dates_in_other_digits_or_other_marks_are_still_refused(text: str) -> None:
    with pytest.raises(InvalidBlackouts, match="Line 1"):
        parse_blackouts(text)
