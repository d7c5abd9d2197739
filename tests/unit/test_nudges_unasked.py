"""Days without meeting in a coach's digest leave out time no check-in was asked, as health does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.domain.health.unasked import unasked_spans
from circles.domain.nudges import Nudge, NudgeKind, PairActivity, next_nudge_at, nudges_for

NOW = datetime(2026, 5, 4, 9, tzinfo=UTC)
EVERY = timedelta(weeks=2)


def after_an_outage(partner: str) -> PairActivity:
    """Met 30 days ago at a check-in; the worker was down, and the next check-in was asked yesterday."""
    met = NOW - timedelta(days=30)
    asked = [met - timedelta(hours=3), NOW - timedelta(days=1)]
    return PairActivity(partner, NOW - timedelta(days=60), met, 0, unasked=unasked_spans(asked, EVERY))


def test_days_nobody_was_asked_to_check_in_are_no_days_without_a_meeting() -> None:
    # 30 days since the meeting, less the 15 days and 3 hours no check-in was asked though due: 14 days.
    assert after_an_outage("U1").days_without_meeting(NOW) == 14
    assert nudges_for([after_an_outage("U1")], 0, NOW, 21) == []


def test_days_while_check_ins_were_asked_still_count() -> None:
    steady = PairActivity("U1", NOW - timedelta(days=60), NOW - timedelta(days=30), 0)
    assert nudges_for([steady], 0, NOW, 21) == [Nudge(NudgeKind.NO_MEETING, "U1", 30)]


def test_the_next_digest_waits_for_the_days_left_out_too() -> None:
    pair = after_an_outage("U1")
    reached = next_nudge_at([pair], NOW, 21)
    assert reached is not None
    assert pair.days_without_meeting(reached) == 21
    assert pair.days_without_meeting(reached - timedelta(minutes=1)) == 20
