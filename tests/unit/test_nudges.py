"""Which reminders a coach's digest holds: only what they can act on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.domain.nudges import Nudge, NudgeKind, PairActivity, nudges_for

NOW = datetime(2026, 5, 4, 9, tzinfo=UTC)


def pair(partner: str, met_days_ago: int | None, unanswered: int = 0) -> PairActivity:
    met = NOW - timedelta(days=met_days_ago) if met_days_ago is not None else None
    return PairActivity(partner, NOW - timedelta(days=60), met, unanswered)


def test_a_pair_without_a_meeting_for_the_threshold_is_named_with_the_days() -> None:
    assert nudges_for([pair("U1", 21)], 0, NOW, 21) == [Nudge(NudgeKind.NO_MEETING, "U1", 21)]
    assert nudges_for([pair("U1", 20)], 0, NOW, 21) == []


def test_a_pair_that_never_reported_a_meeting_counts_from_its_start() -> None:
    assert nudges_for([pair("U1", None)], 0, NOW, 21) == [Nudge(NudgeKind.NO_MEETING, "U1", 60)]


def test_unanswered_check_ins_and_waiting_requests_are_reminders_too() -> None:
    found = nudges_for([pair("U2", 1, unanswered=2)], 3, NOW, 21)
    assert found == [Nudge(NudgeKind.CHECKIN_WAITING, "U2", 2), Nudge(NudgeKind.REQUEST_WAITING, None, 3)]


def test_nothing_to_act_on_means_no_digest() -> None:
    assert nudges_for([pair("U1", 3)], 0, NOW, 21) == []
