"""What partners hear of an imported block: the day the person is back, once per absence, never twice."""

from __future__ import annotations

from datetime import UTC, date, datetime

from circles.domain.availability import AbsenceKind
from circles.domain.availability.told import HeldBlock, News, Told, partners_hear


def on(day: int, month: int = 1) -> datetime:
    return datetime(2027, month, day, tzinfo=UTC)


def day(at: datetime) -> date:
    return at.date()


def rotation(block_id: int, starts: datetime, ends: datetime, told: datetime | None = None) -> HeldBlock:
    return HeldBlock(block_id, starts, ends, AbsenceKind.ROTATION, own=False, told_back_at=told)


def own(block_id: int, starts: datetime, ends: datetime) -> HeldBlock:
    return HeldBlock(block_id, starts, ends, AbsenceKind.AWAY, own=True)


def test_at_its_start_partners_hear_the_day_the_person_is_back() -> None:
    block = rotation(1, on(4), on(1, 2))
    assert partners_hear(block, [block], on(4), day) == Told(News(on(1, 2)), on(1, 2))


def test_their_own_away_time_ending_the_instant_the_rotation_starts_is_no_reason_to_keep_quiet() -> None:
    block = rotation(2, on(4), on(1, 2))
    assert partners_hear(block, [own(1, on(1), on(4)), block], on(4), day).news == News(on(1, 2))


def test_a_rotation_that_keeps_them_away_longer_than_they_said_is_news() -> None:
    block = rotation(2, on(4), on(1, 2))
    assert partners_hear(block, [own(1, on(1), on(20)), block], on(4), day).news == News(on(1, 2))


def test_a_rotation_within_what_they_said_themselves_is_not() -> None:
    block = rotation(2, on(4), on(10))
    assert partners_hear(block, [own(1, on(1), on(20)), block], on(4), day) == Told(None, on(20))


def test_a_block_over_before_anyone_heard_of_it_tells_nothing() -> None:
    block = rotation(1, on(4), on(10))
    assert partners_hear(block, [block], on(12), day) == Told(None, None)


def test_a_block_cut_short_after_partners_heard_a_later_day_tells_them_the_person_is_back() -> None:
    block = rotation(1, on(4), on(8), told=on(1, 2))
    assert partners_hear(block, [block], on(12), day) == Told(News(None), None)


def test_a_correction_to_the_day_partners_know_already_tells_nothing() -> None:
    block = rotation(1, on(4), on(1, 2), told=on(1, 2))
    assert partners_hear(block, [block], on(12), day) == Told(None, on(1, 2))
