"""What /healthz answers: 200 while the database can be written and its schema is current, else 503.

A probe reads in a reading unit of work, which never waits for a writer. Whether the database takes
writes is asked without writing: PostgreSQL is asked whether it is a standby or read-only; SQLite runs a
no-op UPDATE that is rolled back, with no busy wait (a database busy being written is writable). So a
read-only or vanished database fails the probe even when reads still work. A change of
state is logged once, a warning when it turns unhealthy and an info when it recovers, never a traceback
per probe.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from circles.persistence import migrate
from circles.persistence.db import READING, SQLITE_BUSY_MS, Database
from circles.persistence.trouble import reason, sqlite_file, sqlite_path_problem
from circles.services.outbox.failures import failed_since

logger = logging.getLogger(__name__)

LATELY = timedelta(hours=24)


@dataclass(frozen=True)
class Health:
    """A probe's answer: `reason` is a few words fit for anyone; `detail` is for the log only."""

    ok: bool
    reason: str = ""
    detail: str = ""
    failed_lately: int | None = None  # rows failed for good in the last 24 h

    def body(self) -> bytes:
        lines = ["ok" if self.ok else f"unhealthy: {self.reason}"]
        if self.failed_lately is not None:
            lines.append(f"messages failed for good in the last 24 h: {self.failed_lately}")
        return ("\n".join(lines) + "\n").encode()


class HealthProbe:
    """Checks the database on each request; safe to share between the server's threads."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._db, self._clock = db, clock
        self._head = migrate.head_revision()
        self._healthy: bool | None = None
        self._lock = threading.Lock()

    def check(self) -> Health:
        health = self._probe()
        with self._lock:
            was, self._healthy = self._healthy, health.ok
        if not health.ok and was is not False:
            logger.warning("unhealthy: %s", health.detail or health.reason)
        elif health.ok and was is False:
            logger.info("healthy again: the database can be written and its schema is current")
        return health

    def _probe(self) -> Health:
        url = self._db.engine.url
        if url.get_backend_name() == "sqlite":
            missing = _sqlite_file_problem(url)
            if missing is not None:
                return Health(False, "database file missing", missing)
        try:
            writable = (
                _sqlite_writable(self._db) if url.get_backend_name() == "sqlite" else _pg_writable(self._db)
            )
            with self._db.reading() as uow:
                version = uow.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
                failed = failed_since(uow.session, self._clock() - LATELY)
            if writable is not None:
                return Health(False, "database read-only", writable)
            if version is not None and version != self._head and version not in migrate.known_revisions():
                return Health(False, "database schema newer", str(migrate.SchemaFromANewerVersion(version)))
            if version != self._head:
                detail = f"the database schema is at {version}, not {self._head}: run `circles db upgrade`"
                return Health(False, "database schema behind", detail)
        except SQLAlchemyError as error:
            detail = reason(url, error)
            short = "database read-only" if "read-only" in detail else "database unavailable"
            return Health(False, short, detail)
        return Health(True, failed_lately=failed)


def _sqlite_writable(db: Database) -> str | None:
    """None when SQLite would take a write; never waits for a writer, and changes nothing.

    The no-op UPDATE runs under a zero busy timeout and is rolled back: a database that is busy being
    written is writable, so "locked" counts as healthy.
    """
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA query_only = 0")  # the pooled connection may last have served a reading unit
        raw.info[READING] = False
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("UPDATE alembic_version SET version_num = version_num")
        except sqlite3.OperationalError as error:
            return (
                None
                if "locked" in str(error) or "busy" in str(error)
                else f"the database is read-only ({error})"
            )
        finally:
            if raw.driver_connection is not None and raw.driver_connection.in_transaction:
                cursor.execute("ROLLBACK")
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
    finally:
        raw.close()
    return None


def _pg_writable(db: Database) -> str | None:
    """None unless PostgreSQL is a standby or refuses writes by default: read, nothing locked."""
    with db.engine.connect() as connection:
        standby, read_only = connection.execute(
            text("SELECT pg_is_in_recovery(), current_setting('default_transaction_read_only')")
        ).one()
        connection.rollback()
    if standby:
        return "the database is read-only (a standby server in recovery)"
    if read_only == "on":
        return "the database is read-only (default_transaction_read_only is on)"
    return None


def _sqlite_file_problem(url: URL) -> str | None:
    """A SQLite file that is gone, or was replaced, since the start; None when in memory or fine."""
    path = sqlite_file(url)
    found = sqlite_path_problem(url)
    if path is not None and found is None and not path.is_file():
        return f"the database file {url.database} is missing"
    return found
