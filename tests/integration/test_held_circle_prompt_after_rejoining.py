"""A circle's prompt held for someone's hours is theirs only while the seat is: one who left the cohort and
joined it again the same day is in no circle (a re-match seats them again), and gets no catch-up of the
circle they left. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from circles.domain.vocabulary import OutboxStatus, Role
from circles.persistence.db import Database
from circles.services.people.membership import join, leave
from tests.integration.test_stale_held_messages import (
    MONDAY_9,
    MONDAY_19,
    circle_catch_up,
    claim,
    status,
    world,
)


def test_a_held_catch_up_is_dropped_for_someone_who_left_and_joined_again(db: Database) -> None:
    world(db, learners=2)
    key = circle_catch_up(db)  # held for U0L000's night shift
    assert claim(db, MONDAY_9) == []
    leave(db.unit_of_work(), "T0001", "pgy1-spring", "U0L000", MONDAY_9 + timedelta(hours=1))
    join(db.unit_of_work(), "T0001", "pgy1-spring", "U0L000", Role.PEER, MONDAY_9 + timedelta(hours=2))

    assert key not in [row.key for row in claim(db, MONDAY_19)]
    assert status(db, key) is OutboxStatus.SUPERSEDED
