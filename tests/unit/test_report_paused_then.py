"""Whether someone, or a pair, was paused at an earlier instant, from the pauses kept as spans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.domain.health.paused import paused_at
from circles.domain.vocabulary import MemberStatus, PartnershipKind, PartnershipStatus, Role
from circles.queries.reports.as_of import paused_then
from circles.queries.reports.facts import MemberFact, PartnershipFact

START = datetime(2027, 1, 4, 9, tzinfo=UTC)


def day(number: int) -> datetime:
    return START + timedelta(days=number)


def span(since: int, back: int | None) -> list[str | None]:
    return [day(since).isoformat(), None if back is None else day(back).isoformat()]


def test_a_closed_pause_holds_only_its_own_days() -> None:
    kept = [span(2, 4)]
    assert [paused_at(kept, day(n), running=False) for n in (1, 2, 3, 4)] == [False, True, True, False]


def test_nothing_is_known_of_pauses_never_kept() -> None:
    assert paused_at(None, day(3), running=True) is None


def test_a_running_pause_holds_every_day_from_its_start_until_its_date() -> None:
    kept = [span(2, None)]
    assert paused_at(kept, day(30), running=True) is True
    assert paused_at(kept, day(6), running=True, ends=[day(5)]) is False
    assert paused_at(kept, day(1), running=True) is False


def test_someone_who_left_while_paused_was_paused_until_they_left() -> None:
    gone = MemberFact(Role.LEARNER, MemberStatus.LEFT, day(0), day(10), None, [span(3, None)])
    then = [gone.as_of(day(n)) for n in (2, 5, 11)]
    assert [fact.status if fact else None for fact in then] == [
        MemberStatus.ACTIVE,
        MemberStatus.PAUSED,
        MemberStatus.LEFT,
    ]


def test_someone_whose_dated_pause_ran_out_reads_as_active_after_its_date() -> None:
    member = MemberFact(Role.LEARNER, MemberStatus.ACTIVE, day(0), None, None, [span(3, None)], day(7))
    assert [member.as_of(day(n)).status for n in (2, 4, 8)] == [  # type: ignore[union-attr]
        MemberStatus.ACTIVE,
        MemberStatus.PAUSED,
        MemberStatus.ACTIVE,
    ]


def test_a_pair_that_ended_while_paused_was_paused_from_its_pause_until_its_end() -> None:
    running = PartnershipFact(
        1, PartnershipKind.COACH_LEARNER, PartnershipStatus.ACTIVE, None, day(0), None, 10, 11
    )
    now = (PartnershipStatus.ENDED, day(9), [span(4, None)])
    assert [paused_then(running, now, day(n)).status for n in (3, 5)] == [
        PartnershipStatus.ACTIVE,
        PartnershipStatus.PAUSED,
    ]
