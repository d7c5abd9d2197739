"""OAuth states: each visit to /slack/install issues one; a state is taken once, and those never used are
forgotten once expired instead of piling up."""

from __future__ import annotations

import time

from sqlalchemy import text

from bot.edge.oauth_states import FORGET_EVERY_SECONDS, OAuthStates
from circles.persistence.db import Database


class Clock:
    """Now, moved on by hand (slack_sdk dates a state's expiry from the real clock)."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def stored(db: Database) -> list[str]:
    with db.engine.connect() as connection:
        return [row[0] for row in connection.execute(text("SELECT state FROM slack_oauth_states"))]


def expire_all(db: Database) -> None:
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE slack_oauth_states SET expire_at = '2001-01-01 00:00:00'"))


def test_states_never_used_are_forgotten_once_expired_when_the_next_is_issued(db: Database) -> None:
    clock = Clock()
    store = OAuthStates(expiration_seconds=600, engine=db.engine, clock=clock)
    abandoned = [store.issue() for _ in range(3)]  # visits that never came back from Slack
    assert sorted(stored(db)) == sorted(abandoned)
    expire_all(db)
    clock.now += FORGET_EVERY_SECONDS
    fresh = store.issue()
    assert stored(db) == [fresh]
    assert store.consume(fresh) is True
    assert stored(db) == []


def test_a_state_is_taken_once_and_an_expired_one_not_at_all(db: Database) -> None:
    store = OAuthStates(expiration_seconds=600, engine=db.engine, clock=Clock())
    state, stale = store.issue(), store.issue()
    assert store.consume(state) is True
    assert store.consume(state) is False
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE slack_oauth_states SET expire_at = '2001-01-01 00:00:00' WHERE state = :s"),
            {"s": stale},
        )
    assert store.consume(stale) is False
    assert store.consume("never-issued") is False
