"""A partner away or paused now is no one to restart things with: the coach's digest names the pair again
when they are back, with the days it had before and none of the days away, and its check-ins waiting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.domain.nudges import Nudge, NudgeKind, PairActivity, next_nudge_at, nudges_for

NOW = datetime(2026, 5, 4, 9, tzinfo=UTC)
BACK = NOW + timedelta(days=10)


def away_since(days_ago: int, back: datetime = BACK, *, unanswered: int = 0) -> PairActivity:
    """Never met in the 60 days since the start; the partner away from `days_ago` until `back`."""
    started = NOW - timedelta(days=60)
    return PairActivity("U1", started, None, unanswered, away=((NOW - timedelta(days=days_ago), back),))


def test_a_pair_past_the_days_is_not_named_while_the_partner_is_away() -> None:
    pair = away_since(5)
    assert pair.days_without_meeting(NOW) == 55  # the days before they went: the five away left out
    assert nudges_for([pair], 0, NOW, 21) == []


def test_the_pair_comes_back_into_the_digest_when_the_partner_does() -> None:
    pair = away_since(5)
    assert next_nudge_at([pair], NOW, 21) == BACK
    assert nudges_for([pair], 0, BACK, 21) == [Nudge(NudgeKind.NO_MEETING, "U1", 55)]


def test_the_coachs_own_unanswered_check_ins_wait_while_the_partner_is_away_and_come_back_with_them() -> None:
    pair = away_since(5, unanswered=1)
    assert nudges_for([pair], 0, NOW, 100) == []  # a check-in about a partner on leave is not pressed
    assert next_nudge_at([pair], NOW, 100) == BACK
    assert nudges_for([pair], 0, BACK, 100) == [Nudge(NudgeKind.CHECKIN_WAITING, "U1", 1)]


def test_an_absence_over_changes_nothing() -> None:
    pair = away_since(20, NOW - timedelta(days=10))  # away for ten days, back ten days ago
    assert nudges_for([pair], 0, NOW, 21) == [Nudge(NudgeKind.NO_MEETING, "U1", 50)]
