"""A pause's end date decides whether someone takes part, the moment it comes, whatever is stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.domain.presence import status_now, taking_part
from circles.domain.vocabulary import MemberStatus

NOW = datetime(2027, 3, 1, 9, tzinfo=UTC)
DAY = timedelta(days=1)


def test_a_dated_pause_is_a_pause_before_its_date_and_over_from_it() -> None:
    assert status_now(MemberStatus.PAUSED, NOW + DAY, NOW) is MemberStatus.PAUSED
    assert status_now(MemberStatus.PAUSED, NOW, NOW) is MemberStatus.ACTIVE
    assert status_now(MemberStatus.PAUSED, NOW - DAY, NOW) is MemberStatus.ACTIVE
    assert taking_part(MemberStatus.PAUSED, NOW - DAY, NOW)
    assert not taking_part(MemberStatus.PAUSED, NOW + DAY, NOW)


def test_without_a_date_the_stored_status_stands_and_someone_who_left_stays_gone() -> None:
    assert status_now(MemberStatus.PAUSED, None, NOW) is MemberStatus.PAUSED
    assert status_now(MemberStatus.ACTIVE, None, NOW) is MemberStatus.ACTIVE
    assert status_now(MemberStatus.LEFT, NOW - DAY, NOW) is MemberStatus.LEFT
    assert not taking_part(MemberStatus.LEFT, None, NOW)
    assert not taking_part(MemberStatus.ACTIVE, NOW + DAY, NOW)  # a date still to come holds them back
