"""A pair awaiting a check-in could not have said they met: the coach's digest names it for no meeting only
once the check-in it awaits is answered or missed, as health does (circles.domain.health.unasked)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.domain.health.away import Spans
from circles.domain.nudges import Nudge, NudgeKind, PairActivity, next_nudge_at, nudges_for

NOW = datetime(2026, 5, 20, 9, tzinfo=UTC)
MET = NOW - timedelta(days=23)  # at the last check-in of a four-week rhythm
AWAITS = NOW + timedelta(days=8)  # the next check-in falls due in five days, its answer window three more


def awaiting(until: datetime = AWAITS, away: Spans = ()) -> PairActivity:
    """A pair that met 23 days ago, awaiting a check-in until `until`."""
    return PairActivity("U1", NOW - timedelta(days=90), MET, 0, away=away, awaiting_until=until)


def test_a_pair_awaiting_its_next_check_in_is_not_named_however_many_days_since_they_met() -> None:
    assert awaiting().days_without_meeting(NOW) == 23
    assert nudges_for([awaiting()], 0, NOW, 21) == []


def test_the_digest_looks_at_the_pair_again_when_the_awaiting_ends_and_names_it_then() -> None:
    assert next_nudge_at([awaiting()], NOW, 21) == AWAITS
    assert nudges_for([awaiting()], 0, AWAITS, 21) == [Nudge(NudgeKind.NO_MEETING, "U1", 31)]


def test_an_awaiting_over_leaves_the_days_as_they_were() -> None:
    over = awaiting(NOW - timedelta(days=1))
    assert nudges_for([over], 0, NOW, 21) == [Nudge(NudgeKind.NO_MEETING, "U1", 23)]
    assert next_nudge_at([over], NOW, 21) is None


def test_a_pair_back_from_an_absence_while_still_awaiting_is_looked_at_when_the_awaiting_ends() -> None:
    back = NOW + timedelta(days=2)
    pair = awaiting(away=((NOW - timedelta(days=1), back),))
    assert nudges_for([pair], 0, NOW, 21) == []
    assert next_nudge_at([pair], NOW, 21) == AWAITS
