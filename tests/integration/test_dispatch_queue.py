"""Claiming outbox rows and recording how attempts ended, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage, Workspace
from circles.services.outbox.queue import (
    Trail,
    claim_due,
    mark_failed,
    mark_sent,
    release,
)
from tests.databases import migrated_postgres
from tests.dispatching import NOW, given_up, plain, record, rows

CLAIM = timedelta(minutes=5)


def claim(db: Database, at: timedelta = timedelta(0), limit: int = 10) -> list[str]:
    return [row.key for row in claim_due(db.unit_of_work(), NOW + at, limit=limit, claim_for=CLAIM)]


def test_claiming_takes_due_rows_oldest_first_and_leaves_later_ones(db: Database) -> None:
    record(db, [plain("b", "C1")], due_at=NOW - timedelta(minutes=1))
    record(db, [plain("a", "C1")], due_at=NOW - timedelta(minutes=2))
    record(db, [plain("tomorrow", "C1")], due_at=NOW + timedelta(days=1))

    assert claim(db) == ["a", "b"]
    found = rows(db)
    assert found["a"].status == OutboxStatus.CLAIMED
    assert (found["a"].attempts, found["a"].claimed_until) == (1, NOW + CLAIM)
    assert found["tomorrow"].status == OutboxStatus.PENDING


def test_a_row_someone_holds_is_not_claimed_again_until_the_claim_expires(db: Database) -> None:
    record(db, [plain("a", "C1"), plain("b", "C2")])
    assert claim(db, limit=1) == ["a"]

    assert claim(db, at=timedelta(minutes=1)) == ["b"]
    assert claim(db, at=timedelta(minutes=2)) == []
    [again] = claim_due(db.unit_of_work(), NOW + CLAIM + timedelta(seconds=1), limit=1, claim_for=CLAIM)

    assert (again.key, again.attempt) == ("a", 2)
    assert again.trail == Trail(first_claimed_at=NOW, maybe_posted=True)  # its dispatcher may have posted it


def test_a_claim_made_at_a_past_now_holds_for_five_minutes_of_the_wall_clock(db: Database) -> None:
    record(db, [plain("a", "C1")], due_at=NOW - timedelta(hours=1))
    # `circles tick --now` ten minutes ago, run now: what is due is decided at its `now`, not the claim.
    [row] = claim_due(db.unit_of_work(), NOW - timedelta(minutes=10), limit=1, claim_for=CLAIM, wall=NOW)

    assert row.claimed_until == NOW + CLAIM
    assert claim(db) == []  # a worker beside it, on the wall clock, finds nothing to take
    ahead = NOW + timedelta(hours=1)  # nor does a pass run by hand ahead of the wall clock
    assert (
        claim_due(db.unit_of_work(), ahead, limit=1, claim_for=CLAIM, wall=NOW + timedelta(minutes=4)) == []
    )
    [again] = claim_due(
        db.unit_of_work(), NOW, limit=1, claim_for=CLAIM, wall=NOW + CLAIM + timedelta(seconds=1)
    )
    assert (again.key, again.attempt) == ("a", 2)


def test_a_claim_that_kept_expiring_is_given_up_as_failed(db: Database) -> None:
    record(db, [plain("poison", "C1")])
    at = NOW
    for _ in range(3):
        assert claim_due(db.unit_of_work(), at, limit=1, claim_for=CLAIM, max_attempts=3)
        at += CLAIM + timedelta(seconds=1)

    assert claim_due(db.unit_of_work(), at, limit=1, claim_for=CLAIM, max_attempts=3) == []
    row = rows(db)["poison"]
    assert row.status == OutboxStatus.FAILED
    assert str(row.last_error).startswith("gave up after 3 attempts")


def test_a_postponed_row_comes_back_when_due_and_fails_after_the_last_attempt(db: Database) -> None:
    record(db, [plain("a", "C1")])
    [first] = claim_due(db.unit_of_work(), NOW, limit=1, claim_for=CLAIM, max_attempts=2)
    later = NOW + timedelta(seconds=30)
    trail = Trail(NOW, maybe_posted=True)

    assert given_up(db, first, "internal_error", later, trail, max_attempts=2) == (OutboxStatus.PENDING)
    assert claim(db, at=timedelta(seconds=29)) == []
    [second] = claim_due(db.unit_of_work(), later, limit=1, claim_for=CLAIM, max_attempts=2)
    assert second.trail == trail
    status = given_up(db, second, "request_timeout", later, trail, max_attempts=2)

    assert status == OutboxStatus.FAILED
    assert rows(db)["a"].last_error == "request_timeout"


def test_a_dispatcher_whose_claim_was_taken_over_cannot_fail_or_postpone_the_row(db: Database) -> None:
    record(db, [plain("a", "C1")])
    [stale] = claim_due(db.unit_of_work(), NOW, limit=1, claim_for=CLAIM)
    [current] = claim_due(db.unit_of_work(), NOW + CLAIM + timedelta(seconds=1), limit=1, claim_for=CLAIM)
    trail = Trail(NOW)

    assert mark_failed(db.unit_of_work(), stale.id, stale.attempt, "is_archived") is False
    assert given_up(db, stale, "x", NOW, trail) is None
    assert release(db.unit_of_work(), stale.id, stale.attempt) is False
    assert rows(db)["a"].status == OutboxStatus.CLAIMED
    # That Slack has the message is true whoever learns it.
    assert mark_sent(db.unit_of_work(), stale.id, {"channel": "C1", "ts": "1.2"}, NOW) is True
    assert mark_sent(db.unit_of_work(), current.id, {"channel": "C1", "ts": "1.2"}, NOW) is False
    assert rows(db)["a"].result == {"channel": "C1", "ts": "1.2"}


def test_a_released_claim_keeps_its_place_and_does_not_count_as_an_attempt(db: Database) -> None:
    record(db, [plain("a", "C1")], due_at=NOW - timedelta(hours=1))
    [row] = claim_due(db.unit_of_work(), NOW, limit=1, claim_for=CLAIM)

    assert release(db.unit_of_work(), row.id, row.attempt) is True
    found = rows(db)["a"]
    assert (found.status, found.attempts, found.due_at) == (OutboxStatus.PENDING, 0, NOW - timedelta(hours=1))


def test_rows_of_a_workspace_that_uninstalled_the_app_wait_until_it_is_back(db: Database) -> None:
    workspace_id = record(db, [plain("a", "C1")])
    record(db, [plain("b", "C1")], team_id="T0002")
    with db.unit_of_work() as uow:
        uow.session.get_one(Workspace, workspace_id).uninstalled_at = NOW
        uow.commit()

    assert claim(db) == ["b"]
    assert rows(db)["a"].status == OutboxStatus.PENDING


def test_claimers_racing_on_threads_each_take_every_row_once(db: Database) -> None:
    record(db, [plain(f"m{i}", f"C{i}") for i in range(60)])
    taken: Counter[str] = Counter()
    errors: list[Exception] = []
    lock = threading.Lock()

    def claimer() -> None:
        try:
            while keys := claim(db, limit=3):
                with lock:
                    taken.update(keys)
        except Exception as error:  # e.g. SQLite's "database is locked": a claimer must never see one
            errors.append(error)

    threads = [threading.Thread(target=claimer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert taken == Counter({f"m{i}": 1 for i in range(60)})


@pytest.fixture
def postgres() -> Iterator[Database]:
    with migrated_postgres() as url:
        database = Database(url)
        yield database
        database.dispose()


@pytest.mark.postgres
def test_on_postgresql_a_claim_skips_rows_locked_by_a_claim_in_progress(postgres: Database) -> None:
    record(postgres, [plain("a", "C1"), plain("b", "C2")])
    with postgres.unit_of_work() as uow:
        # Another dispatcher is midway through claiming "a": it holds the row lock, not yet committed.
        uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == "a").with_for_update()
        ).one()

        assert claim(postgres) == ["b"]
