"""PostgreSQL drops a worker's connection mid-pass: nothing is lost or sent twice; the next pass goes on."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest

from bot import scheduler
from bot.dispatch import dispatch
from bot.health import HealthProbe
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from standin import SlackStandIn
from tests.databases import database, migrated_postgres, release
from tests.dispatching import NOW, UNPACED, FakeClock, deps_for, plain, posts, record, rows
from tests.dropping import COMMIT, dropped_at

pytestmark = pytest.mark.postgres
CLAIM = timedelta(minutes=5)


@pytest.fixture
def db() -> Iterator[Database]:
    with migrated_postgres() as url:
        opened = database(url)
        yield opened
        release(opened)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        # Circles asks for no *:history scope: a message whose fate is unknown could only be posted again.
        running.error("conversations.history", "missing_scope", times=None)
        yield running


def quiet(caplog: pytest.LogCaptureFixture) -> None:
    """At most one line each about the trouble, none with a traceback."""
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []


def test_a_connection_dropped_while_recording_a_sent_message_still_records_it_once(
    db: Database, standin: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    record(db, [plain("prompt:1", "C0ONE"), plain("prompt:2", "C0TWO")])

    with dropped_at(db.engine, "UPDATE outbox", "sent_at") as dropped:
        summary = dispatch(deps_for(db, standin), NOW, options=UNPACED)
    later = dispatch(deps_for(db, standin), NOW + CLAIM + timedelta(seconds=1), options=UNPACED)

    assert dropped
    assert (summary.sent, later.sent) == (2, 0)
    assert posts(standin) == {"prompt:1": 1, "prompt:2": 1}
    assert {row.status for row in rows(db).values()} == {OutboxStatus.SENT}
    quiet(caplog)


def test_a_connection_dropped_while_claiming_loses_nothing_and_the_next_pass_sends(
    db: Database, standin: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    record(db, [plain("prompt:1", "C0ONE"), plain("dm:1", "U0ANN")])

    with dropped_at(db.engine, "FROM outbox", "FOR NO KEY UPDATE"):
        dispatch(deps_for(db, standin), NOW, options=UNPACED)
    dispatch(deps_for(db, standin), NOW + timedelta(seconds=2), options=UNPACED)

    assert posts(standin) == {"prompt:1": 1, "dm:1": 1}
    assert {row.status for row in rows(db).values()} == {OutboxStatus.SENT}
    quiet(caplog)


@pytest.mark.parametrize("skip", [0, 2, 4])
@pytest.mark.parametrize("statement", ["UPDATE outbox", COMMIT])
def test_a_connection_dropped_at_any_write_of_a_pass_neither_loses_nor_doubles(
    db: Database, standin: SlackStandIn, caplog: pytest.LogCaptureFixture, statement: str, skip: int
) -> None:
    standin.fail("chat.postMessage", status=500, times=2)  # some rows are put back to be tried again
    record(db, [plain(f"prompt:{i}", f"C{i:04d}") for i in range(6)])

    pacer = FakeClock().pacer()  # the back-off between tries passes without being waited out
    with dropped_at(db.engine, statement, skip=skip) as dropped:
        dispatch(deps_for(db, standin), NOW, options=UNPACED, pacer=pacer)
    dispatch(deps_for(db, standin), NOW + CLAIM + timedelta(minutes=1), options=UNPACED, pacer=pacer)

    assert dropped
    assert posts(standin) == {f"prompt:{i}": 1 for i in range(6)}
    assert {row.status for row in rows(db).values()} == {OutboxStatus.SENT}
    quiet(caplog)


def test_a_scheduling_pass_whose_connection_drops_logs_one_line_and_the_next_pass_sends(
    db: Database, standin: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    record(db, [plain("prompt:1", "C0ONE")])
    deps = replace(deps_for(db, standin), clock=lambda: NOW)

    with dropped_at(db.engine, "FROM cohorts") as dropped:
        scheduler._tick(deps)
    scheduler._tick(deps)

    assert dropped
    assert posts(standin) == {"prompt:1": 1}
    [trouble] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "the database is unavailable" in trouble.getMessage()
    quiet(caplog)


@pytest.mark.parametrize("statement", ["INSERT INTO seen_requests", "FROM alembic_version"])
def test_healthz_stays_healthy_when_one_connection_drops_under_its_probe(
    db: Database, caplog: pytest.LogCaptureFixture, statement: str
) -> None:
    probe = HealthProbe(db)

    with dropped_at(db.engine, statement) as dropped:
        health = probe.check()

    assert dropped
    assert health.ok
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
