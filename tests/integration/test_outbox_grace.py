"""A planned occurrence past the grace window (CIRCLES_GRACE_HOURS) is recorded missed, never sent late,
whichever pass comes first after an outage: a worker's sender polling as it starts (before its first tick),
a pass after the process or its machine was paused, the database back after hours; on SQLite and
PostgreSQL. One-off notices still go late, and a message held for its person's window goes when the
window opens, its grace counted from then."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.dispatch import dispatch
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import CheckIn
from circles.services.outbox.queue import claim_due
from circles.services.planning import expire_overdue
from standin import SlackStandIn
from tests.dispatching import NOW, UNPACED, deps_for, plain, posts, record, rows
from tests.integration.test_delivery_deferral import MONDAY_9, checkin_row, outbox, world

GRACE = timedelta(hours=6)
CLAIM = timedelta(minutes=5)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def claim(db: Database, at: timedelta) -> list[str]:
    """The keys a claim with the grace window takes at MONDAY_9 + `at` (on the wall clock too)."""
    when = MONDAY_9 + at
    claimed = claim_due(db.unit_of_work(), when, limit=50, claim_for=CLAIM, wall=when, grace=GRACE)
    return [row.key for row in claimed]


def expire(db: Database, at: timedelta) -> int:
    """The tick's expiry at MONDAY_9 + `at`."""
    with db.unit_of_work() as uow:
        expired = expire_overdue(uow.session, MONDAY_9 + at, GRACE)
        uow.commit()
        return expired


def checkins(db: Database) -> int:
    with db.unit_of_work() as uow:
        return len(uow.session.scalars(select(CheckIn)).all())


def test_a_sender_polling_after_a_long_outage_sends_the_notices_but_not_the_occurrences_past_grace(
    db: Database, standin: SlackStandIn
) -> None:
    stale = [plain("circle_prompt:1:2026-11-23", "C0CIRCLE1"), plain("welcome:U0ANN", "U0ANN")]
    record(db, stale, due_at=NOW - timedelta(hours=8))
    record(db, [plain("circle_prompt:2:2026-11-23", "C0CIRCLE2")], due_at=NOW - timedelta(hours=5))

    dispatch(deps_for(db, standin), NOW, options=UNPACED)  # the grace of the settings: 6 hours

    # A welcome is a one-off notice, worth sending late; the prompt due within the grace window goes too.
    assert posts(standin) == {"welcome:U0ANN": 1, "circle_prompt:2:2026-11-23": 1}
    late = rows(db)["circle_prompt:1:2026-11-23"]
    assert (late.status, late.due_at, late.attempts) == (OutboxStatus.PENDING, NOW - timedelta(hours=8), 0)
    with db.unit_of_work() as uow:
        assert expire_overdue(uow.session, NOW, GRACE) == 1  # the worker's first tick
        uow.commit()
    assert rows(db)["circle_prompt:1:2026-11-23"].status == OutboxStatus.MISSED


def test_a_check_in_past_grace_is_not_held_for_the_persons_next_window_but_recorded_missed(
    db: Database,
) -> None:
    world(db)
    night, day = checkin_row(db, "U0N000", MONDAY_9), checkin_row(db, "U0D000", MONDAY_9)

    # Eight hours later, two before the night worker's shift: held to 19:00, it would never expire.
    assert claim(db, timedelta(hours=8)) == []

    for key in (night, day):
        row = outbox(db)[key]
        assert (row.status, row.due_at, row.deferred_from, row.attempts) == (
            OutboxStatus.PENDING,
            MONDAY_9,
            None,
            0,
        )
    assert expire(db, timedelta(hours=8)) == 2
    assert {outbox(db)[key].status for key in (night, day)} == {OutboxStatus.MISSED}
    assert checkins(db) == 0  # a question never asked counts as no missed answer
    assert claim(db, timedelta(hours=10, minutes=5)) == []  # nor goes when the shift begins


def test_a_check_in_held_for_its_window_goes_when_it_opens_its_grace_counted_from_then(
    db: Database,
) -> None:
    world(db)
    night = checkin_row(db, "U0N000", MONDAY_9)

    assert claim(db, timedelta(0)) == []  # held to 19:00, ten hours after it was first due
    assert outbox(db)[night].due_at == MONDAY_9.replace(hour=19)
    assert claim(db, timedelta(hours=10, minutes=5)) == [night]


def test_a_check_in_held_for_its_window_is_missed_when_an_outage_from_then_outlasts_grace(
    db: Database,
) -> None:
    world(db)
    night = checkin_row(db, "U0N000", MONDAY_9)
    assert claim(db, timedelta(0)) == []  # held to 19:00

    # Nothing ran from before 19:00 until 03:00: held again, it would go a day later still.
    assert claim(db, timedelta(hours=18)) == []
    assert expire(db, timedelta(hours=18)) == 1
    assert outbox(db)[night].status == OutboxStatus.MISSED


def test_a_claim_that_expired_past_grace_is_not_claimed_again_but_left_for_the_tick_to_record_missed(
    db: Database,
) -> None:
    world(db)
    day = checkin_row(db, "U0D000", MONDAY_9)
    assert claim(db, timedelta(0)) == [day]  # its dispatcher stops for good (or its machine for hours)

    assert claim(db, timedelta(hours=8)) == []

    row = outbox(db)[day]
    assert (row.status, row.claimed_until, row.attempts) == (OutboxStatus.PENDING, None, 1)
    assert expire(db, timedelta(hours=8)) == 1
    assert outbox(db)[day].status == OutboxStatus.MISSED
    assert checkins(db) == 0


def test_a_claim_that_expired_within_grace_is_claimed_again(db: Database) -> None:
    world(db)
    day = checkin_row(db, "U0D000", MONDAY_9)
    assert claim(db, timedelta(0)) == [day]

    assert claim(db, timedelta(hours=1)) == [day]
    assert outbox(db)[day].attempts == 2
