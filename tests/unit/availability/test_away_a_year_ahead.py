"""`/circles away until` takes a return date up to the same date next year, a 29 February between or not, as
far as a facilitator's rota lets a block run from the same day."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from circles.domain.availability.going_away import AwayRequest, a_year_after, away_problem
from circles.domain.rotations import RotationRow, read_rotations


@pytest.mark.parametrize(
    ("today", "back"),
    [
        (date(2027, 6, 1), date(2028, 6, 1)),  # 29 February 2028 between: 366 days
        (date(2027, 3, 1), date(2028, 3, 1)),
        (date(2028, 2, 28), date(2029, 2, 28)),
        (date(2027, 1, 13), date(2028, 1, 13)),  # no 29 February between: 365 days
    ],
)
def test_back_on_the_same_date_next_year_is_within_a_year(today: date, back: date) -> None:
    assert away_problem(AwayRequest(until=back), today) is None


@pytest.mark.parametrize(
    ("today", "back"),
    [(date(2027, 6, 1), date(2028, 6, 2)), (date(2028, 2, 28), date(2029, 3, 1))],
)
def test_a_day_past_the_same_date_next_year_is_refused(today: date, back: date) -> None:
    problem = away_problem(AwayRequest(until=back), today)
    assert problem is not None
    assert "within a year" in problem


def test_from_29_february_a_year_on_is_1_march_as_a_rota_block_from_that_day_may_run() -> None:
    assert a_year_after(date(2028, 2, 29)) == date(2029, 3, 1)
    assert away_problem(AwayRequest(until=date(2029, 3, 1)), date(2028, 2, 29)) is None
    assert away_problem(AwayRequest(until=date(2029, 3, 2)), date(2028, 2, 29)) is not None
    # The rota's last day away is 28 February: the person is back on 1 March, as they may say themselves.
    rows = read_rotations(
        b"email,start,end\nann@hospital.org,2028-02-29,2029-02-28\nbo@hospital.org,2028-02-29,2029-03-01\n",
        "rota.csv",
        ZoneInfo("America/Chicago"),
    ).entries
    assert isinstance(rows[0], RotationRow)
    assert "over a year long" in str(rows[1])


def test_the_rota_allows_a_block_as_long_as_a_person_may_say_they_are_away() -> None:
    for start in (date(2027, 6, 1), date(2027, 3, 1), date(2028, 2, 28), date(2027, 1, 13)):
        last_day = date.fromordinal(a_year_after(start).toordinal() - 1)
        csv = f"email,start,end\nann@hospital.org,{start},{last_day}\n".encode()
        [row] = read_rotations(csv, "rota.csv", ZoneInfo("America/Chicago")).entries
        assert isinstance(row, RotationRow), row
