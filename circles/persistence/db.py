"""Engines, sessions and the unit of work that owns a transaction."""

from __future__ import annotations

import os
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from circles.persistence.sealing import seal_with

__all__ = [
    "READING",
    "SQLITE_BUSY_MS",
    "Database",
    "Session",
    "UnitOfWork",
    "make_engine",
    "normalise_url",
]
# Services name the session they are given as `circles.persistence.db.Session`: they take a unit of
# work's session without importing SQLAlchemy, whose statements live in circles/queries/ only.


def normalise_url(url: str | URL) -> URL:
    """Use psycopg 3 for PostgreSQL whatever spelling the URL has (postgres://, postgresql://)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """Build an engine tuned for the database behind the URL; NoSuchModuleError when its driver is missing."""
    try:
        return _make_engine(normalise_url(url), **kwargs)
    except ImportError as error:  # e.g. mysql:// without MySQLdb: a database we cannot reach, not a bug
        raise NoSuchModuleError(f"no driver for {make_url(url).drivername}: {error}") from error


def _make_engine(parsed: URL, **kwargs: Any) -> Engine:
    # A failed statement's error would otherwise quote its parameters: people's notes and messages.
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        _private_file(parsed.database)
        # Listeners run on worker threads; SQLite's own locking keeps writers apart.
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": SQLITE_BUSY_MS / 1000})
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _tune_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    # A server that stops answering (a network partition, a failover) must fail a connection, not hold
    # its thread for the kernel's minutes: libpq's own timeouts, unless the URL sets them.
    given = set(parsed.query)
    timeouts = {name: value for name, value in PG_CONNECTION_TIMEOUTS.items() if name not in given}
    kwargs["connect_args"] = {**timeouts, **kwargs.get("connect_args", {})}
    return create_engine(parsed, **kwargs)


def _private_file(database: str | None) -> None:
    """Create a new SQLite file readable by its owner only: it holds people's profiles, emails and
    ratings (SQLite gives its journal and write-ahead log the file's mode). An existing file is left as
    it is, as are in-memory and URI databases."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    try:
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:  # a folder that is missing or not writable: connecting says so, in its own words
        pass


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite opens transactions only before writes, so a SAVEPOINT after a read would commit for
    # real; SQLAlchemy's recipe: let the driver do nothing and emit BEGIN ourselves (see _begin_sqlite).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # SQLite ignores ON DELETE CASCADE without it
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_sqlite(connection: Any) -> None:
    # IMMEDIATE takes the write lock at the start: a transaction that reads, then writes, can never be
    # refused half-way ("database is locked") because another one wrote in between; the busy timeout
    # queues it instead. Each unit of work is one short use case. A reading unit begins DEFERRED: it
    # reads a snapshot (WAL) without taking or waiting for the write lock, so a Home page or /healthz
    # never queues behind a tick.
    reading = connection.get_execution_options().get(READING, False)
    # query_only makes SQLite refuse a write in a reading unit, as PostgreSQL's read-only transactions
    # do; it belongs to the connection, so it is switched only when the kind of unit changes.
    info = connection.connection.info
    if info.get(READING, False) != reading:
        connection.exec_driver_sql(f"PRAGMA query_only = {int(reading)}")
        info[READING] = reading
    connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


SQLITE_BUSY_MS = 30_000  # how long a SQLite writer waits for another before giving up
PG_CONNECTION_TIMEOUTS = {
    "connect_timeout": 10,  # seconds to open a connection, start-up included
    "keepalives": 1,  # an idle connection whose server vanished is found out in about 25 s ...
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 30_000,  # ... and one whose sent data goes unacknowledged for 30 s is closed
}

# An execution option marking a unit of work that only reads; PostgreSQL then refuses any write in it.
READING = "circles_reading"
READ_ONLY_OPTIONS = {READING: True, "postgresql_readonly": True}


class UnitOfWork:
    """One transaction: commit explicitly, anything else rolls back when the block ends."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed and detaches rows without expiring them,
        # so values read inside the block stay readable after it.
        self.session.close()

    def commit(self) -> None:
        self.session.commit()


class Database:
    """The engine and the session factory of one database, built once at start-up."""

    def __init__(self, url: str | URL, **engine_kwargs: Any) -> None:
        self.engine = make_engine(url, **engine_kwargs)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.reading_sessions = sessionmaker(
            self.engine, expire_on_commit=False, execution_options=READ_ONLY_OPTIONS
        )

    def seal_private(self, key: bytes) -> None:
        """Seal private outbox payloads with this notes key from now on; earlier keys still open theirs."""
        seal_with(self.engine, key)

    def unit_of_work(self) -> UnitOfWork:
        """A transaction that may write (on SQLite it holds the write lock from its start)."""
        return UnitOfWork(self.sessions)

    def reading(self) -> UnitOfWork:
        """A transaction that only reads: it never waits for writers, and PostgreSQL refuses writes in it."""
        return UnitOfWork(self.reading_sessions)

    def dispose(self) -> None:
        self.engine.dispose()
