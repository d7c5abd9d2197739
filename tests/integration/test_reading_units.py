"""Reads never wait for writers and never write: a reading unit of work, and /healthz's probe."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.health import Health, HealthProbe
from circles.persistence.db import Database


def while_a_writer_holds_the_database(db: Database, read: Callable[[], Any]) -> Any:
    """Run `read` while another transaction holds the write lock (SQLite) and alembic's row (both)."""
    found: list[Any] = []
    with db.unit_of_work() as writer:
        writer.session.execute(text("UPDATE alembic_version SET version_num = version_num"))
        reader = threading.Thread(target=lambda: found.append(read()))
        reader.start()
        reader.join(timeout=10)  # the writer's transaction stays open until the reader is done
        finished = not reader.is_alive()
    reader.join()
    assert finished, "the read waited for the writer"
    return found[0]


def test_a_reading_unit_reads_while_a_tick_holds_the_write_lock(db: Database) -> None:
    def read() -> str | None:
        with db.reading() as uow:
            return uow.session.execute(text("SELECT version_num FROM alembic_version")).scalar()

    assert while_a_writer_holds_the_database(db, read) is not None


def test_healthz_answers_healthy_at_once_while_the_database_is_being_written(db: Database) -> None:
    health = while_a_writer_holds_the_database(db, HealthProbe(db).check)
    assert isinstance(health, Health)
    assert health.ok


def test_a_write_inside_a_reading_unit_is_refused_and_the_next_unit_may_write(db: Database) -> None:
    with db.reading() as uow, pytest.raises(DBAPIError, match=r"(?i)read-?only"):
        uow.session.execute(text("UPDATE alembic_version SET version_num = version_num"))
    for _ in range(3):  # whichever pooled connection it gets
        with db.unit_of_work() as uow:
            uow.session.execute(text("UPDATE alembic_version SET version_num = version_num"))
            uow.commit()


def test_healthz_stays_healthy_after_the_pool_served_reading_units(db: Database) -> None:
    probe = HealthProbe(db)
    for _ in range(3):
        with db.reading() as uow:
            uow.session.execute(text("SELECT 1"))
        assert probe.check().ok
