"""Blackout dates as a facilitator types them: one range per line, checked, kept earliest first."""

from __future__ import annotations

from datetime import date

import pytest

from circles.domain.availability.blackout_dates import (
    MAX_BLACKOUTS,
    Blackout,
    InvalidBlackouts,
    blackout_problem,
    blackouts_from_json,
    blackouts_text,
    parse_blackouts,
)

LOW, HIGH = date(2022, 1, 1), date(2031, 12, 31)


def test_ranges_and_single_days_are_read_one_per_line_earliest_first() -> None:
    text = "2027-03-01..2027-03-05\n\n 2027-01-04 .. 2027-01-08 \n2027-12-25\n2027-03-01..2027-03-05"
    found = parse_blackouts(text)
    assert found == (
        Blackout(date(2027, 1, 4), date(2027, 1, 8)),
        Blackout(date(2027, 3, 1), date(2027, 3, 5)),
        Blackout(date(2027, 12, 25), date(2027, 12, 25)),
    )
    assert parse_blackouts(blackouts_text(found)) == found
    assert blackouts_from_json([b.to_json() for b in found]) == found


@pytest.mark.parametrize(("text", "words"), [("exam week", "Line 1"), ("2027-01-01\n2027-02-30", "Line 2")])
def test_a_line_that_is_not_a_date_names_its_line(text: str, words: str) -> None:
    with pytest.raises(InvalidBlackouts, match=words):
        parse_blackouts(text)


def test_ranges_must_be_in_order_in_range_short_and_few() -> None:
    assert blackout_problem(parse_blackouts("2027-03-05..2027-03-01"), LOW, HIGH) is not None
    assert blackout_problem(parse_blackouts("2040-01-01"), LOW, HIGH) is not None
    assert blackout_problem(parse_blackouts("2027-01-01..2027-06-01"), LOW, HIGH) is not None
    many = tuple(Blackout(date(2027, 1, 1 + n), date(2027, 1, 1 + n)) for n in range(MAX_BLACKOUTS + 1))
    assert blackout_problem(many, LOW, HIGH) is not None
    assert blackout_problem(many[:MAX_BLACKOUTS], LOW, HIGH) is None


def test_a_stored_entry_that_cannot_be_read_is_left_out() -> None:
    stored = [{"from": "2027-01-01", "until": "2027-01-02"}, {"from": "x"}, "odd", {"until": "2027-01-01"}]
    assert blackouts_from_json(stored) == (Blackout(date(2027, 1, 1), date(2027, 1, 2)),)
    assert blackouts_from_json(None) == ()
