"""`/circles away` names a day as not on the calendar only when that day is all it was given: a real day
in words it cannot read gets the usual help."""

from __future__ import annotations

import pytest

from circles.domain.availability.going_away import impossible_day, parse_away


@pytest.mark.parametrize("text", ["until 2027-02-30", "2027-13-01", "UNTIL 2027-02-29", "until  2027-00-10"])
def test_a_date_of_the_right_shape_but_no_such_day_is_named(text: str) -> None:
    assert parse_away(text.split()) is None
    assert impossible_day(text.split()) == text.split()[-1]


@pytest.mark.parametrize(
    "text",
    [
        "until until 2027-02-01",
        "2 weeks until 2027-02-01",
        "until 2027-02-01 2027-03-01",
        "until 2027-02-01",
        "2027-02-01",
        "soon 2027-02-30",
        "until until 2027-02-30",
        "2 weeks",
        "",
    ],
)
def test_anything_else_is_not_called_an_impossible_day(text: str) -> None:
    assert impossible_day(text.split()) is None
