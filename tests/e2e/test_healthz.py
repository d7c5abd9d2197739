"""/healthz over real HTTP: 200 only while the database can be written and its schema is current."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, make_url, text, update

from bot.web import CirclesWsgi
from circles.domain.vocabulary import OutboxStatus
from circles.persistence import migrate
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from standin import SlackStandIn
from tests.databases import migrated_postgres, migrated_sqlite_url, sqlite_url
from tests.dispatching import plain, record
from tests.e2e.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.e2e.harness import circles_run_logged, free_port, http_get, served_in_thread


@pytest.fixture
def migrated(tmp_path: Path) -> str:
    """The URL of a SQLite database at the newest schema."""
    return migrated_sqlite_url(tmp_path)


def health_of(database_url: str) -> Iterator[str]:
    db = Database(database_url)
    try:
        with served_in_thread(CirclesWsgi(db)) as base_url:
            yield base_url
    finally:
        db.dispose()


def test_a_deleted_sqlite_file_turns_healthz_to_503_logged_once_without_a_traceback(
    tmp_path: Path, standin: SlackStandIn
) -> None:
    settings = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
    migrated_sqlite_url(tmp_path)  # made once for the run: losing the file is under test, not migrating
    with circles_run_logged(tmp_path, SLACK_API_URL=standin.api_url, **settings) as started:
        assert http_get(f"{started.base_url}/healthz")[0] == 200
        for leftover in tmp_path.glob("circles.db*"):
            leftover.unlink()
        answers = [http_get(f"{started.base_url}/healthz") for _ in range(3)]
        output = started.output()
    assert answers == [(503, b"unhealthy: database file missing\n")] * 3
    assert output.count("unhealthy: the database file") == 1
    assert "Traceback" not in output


def test_a_read_only_database_answers_503(migrated: str, tmp_path: Path) -> None:
    # Root writes through chmod; SQLite's own read-only mode holds for everyone.
    for base_url in health_of(f"sqlite:///file:{tmp_path}/circles.db?mode=ro&uri=true"):
        assert http_get(f"{base_url}/healthz") == (503, b"unhealthy: database read-only\n")


def test_a_schema_behind_answers_503_until_upgraded_and_each_change_is_logged_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    head = ScriptDirectory(str(migrate.MIGRATIONS)).get_revision("head")
    assert head is not None
    db = Database(sqlite_url(tmp_path))
    migrate.upgrade(db.engine, str(head.down_revision))
    caplog.set_level(logging.INFO, logger="bot.health")
    for base_url in health_of(sqlite_url(tmp_path)):
        behind = [http_get(f"{base_url}/healthz") for _ in range(2)]
        migrate.upgrade(db.engine)
        after = [http_get(f"{base_url}/healthz") for _ in range(2)]
    db.dispose()
    assert behind == [(503, b"unhealthy: database schema behind\n")] * 2
    ok = b"ok\nmessages failed for good in the last 24 h: 0\n"
    assert after == [(200, ok)] * 2
    probes = [record for record in caplog.records if record.name == "bot.health"]
    said = [(record.levelname, record.getMessage().split(":")[0]) for record in probes]
    assert said == [("WARNING", "unhealthy"), ("INFO", "healthy again")]
    assert all(record.exc_info is None for record in probes)


def test_healthz_counts_the_messages_that_failed_for_good_in_the_last_day(migrated: str) -> None:
    db = Database(migrated)
    record(db, [plain("lost", "C0GONE"), plain("fine", "C0HERE")], due_at=datetime.now(UTC))
    with db.unit_of_work() as uow:
        failed = update(OutboxMessage).where(OutboxMessage.idempotency_key == "lost")
        uow.session.execute(failed.values(status=OutboxStatus.FAILED, last_error="unbuildable:KeyError"))
        uow.commit()
    db.dispose()
    for base_url in health_of(migrated):
        assert http_get(f"{base_url}/healthz") == (
            200,
            b"ok\nmessages failed for good in the last 24 h: 1\n",
        )


@pytest.mark.postgres
def test_a_current_postgresql_database_is_healthy_and_one_not_listening_is_not() -> None:
    with migrated_postgres() as url:
        for base_url in health_of(url):
            assert http_get(f"{base_url}/healthz")[0] == 200
    for base_url in health_of(f"postgresql://circles:secret@127.0.0.1:{free_port()}/circles"):
        assert http_get(f"{base_url}/healthz") == (503, b"unhealthy: database unavailable\n")


@pytest.mark.postgres
def test_a_role_postgresql_lets_read_but_not_write_is_unhealthy() -> None:
    with migrated_postgres() as url:
        owner = create_engine(url)
        role = f"circles_reader_{uuid.uuid4().hex[:8]}"
        with owner.begin() as connection:
            connection.execute(text(f"CREATE ROLE {role} LOGIN"))
            connection.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"))
        try:
            reader = make_url(url).set(username=role).render_as_string(hide_password=False)
            for base_url in health_of(reader):
                assert http_get(f"{base_url}/healthz") == (503, b"unhealthy: database read-only\n")
        finally:
            with owner.begin() as connection:
                connection.execute(text(f"DROP OWNED BY {role}"))
                connection.execute(text(f"DROP ROLE {role}"))
            owner.dispose()


@pytest.mark.postgres
def test_a_table_locked_elsewhere_makes_healthz_answer_busy_within_seconds_not_wait() -> None:
    with migrated_postgres() as url:
        owner = create_engine(url)
        try:
            for base_url in health_of(url):
                assert http_get(f"{base_url}/healthz")[0] == 200
                with owner.begin() as connection:
                    connection.execute(text("LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE"))
                    asked = time.monotonic()
                    answer = http_get(f"{base_url}/healthz")
                    waited = time.monotonic() - asked
                assert answer == (503, b"unhealthy: database busy\n")
                assert waited < 4.5  # the probe gives up after two seconds; /healthz is not held
                assert http_get(f"{base_url}/healthz")[0] == 200
        finally:
            owner.dispose()
