"""What /healthz answers: 200 while the database can be written and its schema is current, else 503.

A probe writes inside a transaction it rolls back (an UPDATE of Alembic's one-row version table that
changes nothing), so a read-only or vanished database fails it even when reads still work. A change of
state is logged once, a warning when it turns unhealthy and an info when it recovers, never a traceback
per probe.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from circles.persistence import migrate
from circles.persistence.db import Database
from circles.persistence.trouble import reason, sqlite_path_problem
from circles.services.outbox_failures import failed_since

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
            with self._db.engine.connect() as connection, connection.begin() as transaction:
                version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
                connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
                transaction.rollback()
            if version != self._head:
                detail = f"the database schema is at {version}, not {self._head}: run `circles db upgrade`"
                return Health(False, "database schema behind", detail)
            with self._db.unit_of_work() as uow:
                failed = failed_since(uow.session, self._clock() - LATELY)
        except SQLAlchemyError as error:
            detail = reason(url, error)
            short = "database read-only" if "read-only" in detail else "database unavailable"
            return Health(False, short, detail)
        return Health(True, failed_lately=failed)


def _sqlite_file_problem(url: URL) -> str | None:
    """A SQLite file that is gone, or was replaced, since the start; None when in memory or fine."""
    database = url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    found = sqlite_path_problem(url)
    if found is None and not Path(database).is_file():
        return f"the database file {database} is missing"
    return found
