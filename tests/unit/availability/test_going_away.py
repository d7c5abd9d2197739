"""`/circles away` reads weeks or a return date, within limits, and ends at local midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from circles.domain.availability.going_away import AwayRequest, away_problem, back_at, parse_away

TODAY = date(2027, 1, 13)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("2 weeks", AwayRequest(weeks=2)),
        ("1 week", AwayRequest(weeks=1)),
        ("3w", AwayRequest(weeks=3)),
        ("4", AwayRequest(weeks=4)),
        ("2 WEEKS", AwayRequest(weeks=2)),
        ("until 2027-02-01", AwayRequest(until=date(2027, 2, 1))),
        ("2027-02-01", AwayRequest(until=date(2027, 2, 1))),
    ],
)
def test_weeks_and_return_dates_are_read_however_people_say_them(text: str, wanted: AwayRequest) -> None:
    assert parse_away(text.split()) == wanted


@pytest.mark.parametrize(
    "text",
    ["", "soon", "two weeks", "until", "until soon", "2027-02-30", "until 2027/02/01", "٢ weeks", "2 days"],
)
def test_anything_else_reads_as_nothing_so_the_person_gets_help(text: str) -> None:
    assert parse_away(text.split()) is None


@pytest.mark.parametrize(
    ("request_", "words"),
    [
        (AwayRequest(weeks=0), "from 1 to 26"),
        (AwayRequest(weeks=27), "from 1 to 26"),
        (AwayRequest(until=TODAY), "after today"),
        (AwayRequest(until=date(2027, 1, 1)), "after today"),
        (AwayRequest(until=date(2028, 1, 14)), "within a year"),
        (AwayRequest(), "how many weeks"),
    ],
)
def test_out_of_range_requests_say_what_is_wrong(request_: AwayRequest, words: str) -> None:
    problem = away_problem(request_, TODAY)
    assert problem is not None
    assert words in problem


def test_one_and_twenty_six_weeks_tomorrow_and_a_year_ahead_are_fine() -> None:
    for fine in (AwayRequest(weeks=1), AwayRequest(weeks=26), AwayRequest(until=date(2027, 1, 14))):
        assert away_problem(fine, TODAY) is None
    assert away_problem(AwayRequest(until=date(2028, 1, 13)), TODAY) is None
    assert AwayRequest(weeks=2).return_date(TODAY) == date(2027, 1, 27)


def test_the_block_ends_at_local_midnight_of_the_return_date_across_a_dst_change() -> None:
    # New York moves to summer time on 14 March 2027: midnight is 05:00 UTC before, 04:00 after.
    assert back_at(date(2027, 3, 14), "America/New_York") == datetime(2027, 3, 14, 5, tzinfo=UTC)
    assert back_at(date(2027, 3, 15), "America/New_York") == datetime(2027, 3, 15, 4, tzinfo=UTC)
    assert back_at(date(2027, 1, 27), "Asia/Kolkata") == datetime(2027, 1, 26, 18, 30, tzinfo=UTC)
