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
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from bot.writable import PG_PROBE_TIMEOUT, REFUSED, TIMED_OUT, pg_writable, sqlite_writable, sqlstate
from circles.persistence import migrate
from circles.persistence.db import Database
from circles.persistence.retry import again_if_dropped
from circles.persistence.trouble import reason, sqlite_file, sqlite_path_problem
from circles.services.outbox.failures import failed_since

logger = logging.getLogger(__name__)

LATELY = timedelta(hours=24)
PROBE_WAIT = 4.0  # seconds a request waits for the probe's answer: load balancers give up at about 5


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
    """Checks the database on each request; safe to share between the server's threads.

    One probe asks the database at a time, on a thread of its own, and every request waits for it at
    most `wait` seconds: a database that stops answering (a network partition, a server hung) holds that
    one thread, never the server's threads, which Slack's requests need; each probe meanwhile answers 503.
    """

    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        *,
        wait: float = PROBE_WAIT,
    ) -> None:
        self._db, self._clock, self._wait = db, clock, wait
        self._head = migrate.head_revision()
        self._healthy: bool | None = None
        self._lock = threading.Lock()
        self._asking: Future[Health] | None = None  # the probe asking the database now, or last

    def check(self) -> Health:
        with self._lock:
            if self._asking is None or self._asking.done():
                self._asking = _in_a_thread(self._probe)
            asking = self._asking
        try:
            health = asking.result(timeout=self._wait)
        except FutureTimeout:
            late = f"no answer from the database in {self._wait:g} s"
            health = Health(False, "database not answering", late)
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
            # A connection dropped under the probe (PostgreSQL restarted, an operator terminated it) is
            # not an outage: ask again at once on a new one; a database really gone fails that too.
            asked = again_if_dropped(self._ask, waits=(0.0,))
            if isinstance(asked, Health):
                return asked
            version, failed = asked
            if version is not None and version != self._head and version not in migrate.known_revisions():
                return Health(False, "database schema newer", str(migrate.SchemaFromANewerVersion(version)))
            if version != self._head:
                detail = f"the database schema is at {version}, not {self._head}: run `circles db upgrade`"
                return Health(False, "database schema behind", detail)
        except SQLAlchemyError as error:
            detail = reason(url, error)
            if sqlstate(error) in TIMED_OUT:
                return Health(False, *REFUSED[sqlstate(error)])
            short = "database read-only" if "read-only" in detail else "database unavailable"
            return Health(False, short, detail)
        return Health(True, failed_lately=failed)

    def _ask(self) -> Health | tuple[str | None, int]:
        """Whether the database takes writes (a Health when it does not), else its schema's version and
        how many messages failed lately."""
        postgres = self._db.engine.url.get_backend_name() == "postgresql"
        writable = pg_writable(self._db) if postgres else sqlite_writable(self._db)
        if writable is not None:
            return Health(False, *writable)
        with self._db.reading() as uow:
            if postgres:  # a table locked elsewhere must not hold the probe either
                uow.session.execute(text(f"SET LOCAL statement_timeout = '{PG_PROBE_TIMEOUT}'"))
            version = uow.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
            return version, failed_since(uow.session, self._clock() - LATELY)


def _in_a_thread(probe: Callable[[], Health]) -> Future[Health]:
    """Run the probe on a daemon thread: one stuck on a dead connection never holds the process's exit."""
    future: Future[Health] = Future()

    def run() -> None:
        try:
            future.set_result(probe())
        except BaseException as error:  # handed, as raised, to whoever waits for the answer
            future.set_exception(error)

    threading.Thread(target=run, name="healthz-probe", daemon=True).start()
    return future


def _sqlite_file_problem(url: URL) -> str | None:
    """A SQLite file that is gone, or was replaced, since the start; None when in memory or fine."""
    path = sqlite_file(url)
    found = sqlite_path_problem(url)
    if path is not None and found is None and not path.is_file():
        return f"the database file {url.database} is missing"
    return found
