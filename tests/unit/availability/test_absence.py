"""Absences: which one holds, when a person is back, and how much of a stretch they were away."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.domain.availability import Absence, AbsenceKind, absence_at, absent_during, away_until


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_back_follows_absences_that_run_into_each_other() -> None:
    rotation = Absence(utc(2027, 1, 4), utc(2027, 1, 18), AbsenceKind.ROTATION)
    leave = Absence(utc(2027, 1, 18), utc(2027, 1, 25), AbsenceKind.LEAVE)
    assert away_until([leave, rotation], utc(2027, 1, 10)) == utc(2027, 1, 25)
    assert away_until([rotation], utc(2027, 1, 18)) is None  # back that instant


def test_the_absence_that_lasts_longest_is_the_one_shown() -> None:
    short = Absence(utc(2027, 1, 1), utc(2027, 1, 3), AbsenceKind.DND)
    long = Absence(utc(2027, 1, 1), utc(2027, 1, 30), AbsenceKind.AWAY)
    assert absence_at([short, long], utc(2027, 1, 2)) == long


def test_overlapping_absences_count_once() -> None:
    a = Absence(utc(2027, 1, 1), utc(2027, 1, 11))
    b = Absence(utc(2027, 1, 6), utc(2027, 1, 16))
    assert absent_during([a, b], utc(2027, 1, 1), utc(2027, 2, 1)) == timedelta(days=15)
    assert absent_during([a, b], utc(2027, 1, 10), utc(2027, 1, 12)) == timedelta(days=2)
    assert absent_during([Absence(utc(2027, 1, 1), None)], utc(2027, 1, 5), utc(2027, 1, 6)) == timedelta(1)
    assert absent_during([], utc(2027, 1, 1), utc(2027, 1, 2)) == timedelta(0)
