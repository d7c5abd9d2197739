"""A person's own hours: a rota entry joins the usual shift, replacing what it overlaps."""

from __future__ import annotations

from datetime import date

from circles.domain.availability import RotaEntry, WorkPattern, parse_shift
from circles.domain.availability.own_hours import MAX_ROTA, HoursChoice, chosen_pattern, rota_problem

TODAY = date(2027, 1, 13)
DAYS = parse_shift("Mon-Fri 08:00-17:00")
NIGHTS = parse_shift("Sun-Thu 19:00-07:00")


def entry(first: int, last: int, shift: bool = True) -> RotaEntry:
    return RotaEntry(date(2027, 1, first), date(2027, 1, last), NIGHTS if shift else None)


def test_no_usual_hours_means_any_hour_and_drops_the_rota() -> None:
    old = WorkPattern(DAYS, (entry(14, 20),))
    assert chosen_pattern(old, HoursChoice(None), TODAY) is None


def test_a_new_entry_replaces_those_it_overlaps_and_entries_over_already_drop() -> None:
    old = WorkPattern(DAYS, (entry(1, 5), entry(14, 20), entry(25, 28)))
    kept = chosen_pattern(old, HoursChoice(DAYS, entry(18, 22, shift=False)), TODAY)
    assert kept == WorkPattern(DAYS, (entry(18, 22, shift=False), entry(25, 28)))


def test_new_usual_hours_keep_the_rota_and_it_stays_short() -> None:
    old = WorkPattern(DAYS, tuple(entry(14 + n, 14 + n) for n in range(MAX_ROTA)))
    kept = chosen_pattern(old, HoursChoice(NIGHTS, entry(31, 31)), TODAY)
    assert kept is not None
    assert kept.shift == NIGHTS
    assert len(kept.rota) == MAX_ROTA
    assert kept.rota[-1] == entry(31, 31)


def test_rota_dates_must_be_in_order_not_over_near_and_short() -> None:
    assert rota_problem(entry(14, 20), TODAY) is None
    assert "before the first" in (rota_problem(entry(20, 14), TODAY) or "")
    assert "over already" in (rota_problem(entry(1, 5), TODAY) or "")
    assert "8 weeks" in (rota_problem(RotaEntry(date(2027, 1, 14), date(2027, 3, 20), None), TODAY) or "")
    assert "within a year" in (rota_problem(RotaEntry(date(2028, 2, 1), date(2028, 2, 2), None), TODAY) or "")
