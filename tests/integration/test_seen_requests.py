"""The table of requests taken in: the first sighting wins, on SQLite and PostgreSQL, even at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from circles.persistence.db import Database
from circles.persistence.models import SeenRequest
from circles.services.intake.seen import first_sighting, forget_expired

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=10)


def keys(db: Database) -> list[str]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(SeenRequest.key).order_by(SeenRequest.key)))


def test_a_request_is_new_once_and_a_replay_of_it_is_not(db: Database) -> None:
    assert first_sighting(db.unit_of_work(), [("request:1:v0=aa", LATER)]) is True
    assert first_sighting(db.unit_of_work(), [("request:1:v0=aa", LATER)]) is False
    assert first_sighting(db.unit_of_work(), [("request:2:v0=bb", LATER)]) is True


def test_a_retried_event_with_a_new_signature_is_not_new(db: Database) -> None:
    assert first_sighting(db.unit_of_work(), [("request:1:v0=aa", LATER), ("event:Ev1", LATER)]) is True
    assert first_sighting(db.unit_of_work(), [("request:2:v0=bb", LATER), ("event:Ev1", LATER)]) is False
    assert keys(db) == ["event:Ev1", "request:1:v0=aa", "request:2:v0=bb"]


def test_expired_requests_are_forgotten_and_the_others_kept(db: Database) -> None:
    first_sighting(db.unit_of_work(), [("request:old", NOW), ("request:new", LATER)])
    assert forget_expired(db.unit_of_work(), NOW + timedelta(minutes=1)) == 1
    assert keys(db) == ["request:new"]


def test_two_replicas_taking_in_the_same_request_at_once_let_exactly_one_win(db: Database) -> None:
    start = threading.Barrier(8)
    outcomes: list[bool] = []
    lock = threading.Lock()

    def take_in() -> None:
        start.wait()
        won = first_sighting(db.unit_of_work(), [("request:1:v0=same", LATER)])
        with lock:
            outcomes.append(won)

    threads = [threading.Thread(target=take_in) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [False] * 7 + [True]
    assert keys(db) == ["request:1:v0=same"]
