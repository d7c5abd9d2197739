"""Databases for tests: SQLite files and PostgreSQL databases, empty or already migrated.

Migrating takes a while and PostgreSQL's CREATE and DROP DATABASE each wait for a checkpoint, so a
migrated database is made once per run and handed out again: SQLite as a copy of a migrated file,
PostgreSQL as a database emptied after each test (every table truncated, ids restarted) and kept
for the next one. A test that needs an empty database (to run migrations itself) asks for one.

`database(url)` gives the same `Database` for a kept PostgreSQL database every time: its engine keeps
what it compiled and learnt about the server, which a new engine per test would compile and ask again.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sqlite3
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from circles.persistence.db import SQLITE_BUSY_MS, Database, UnitOfWork
from circles.persistence.migrate import upgrade
from tests.conftest import in_ci

POSTGRES_URL = os.environ.get(
    "CIRCLES_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'circles.db'}"


_sqlite_template: list[Path] = []  # the run's migrated SQLite file, once made


def migrated_sqlite_url(folder: Path) -> str:
    """A SQLite file in `folder` at the latest schema: a copy of one migrated once in this run."""
    if not _sqlite_template:
        made = Path(tempfile.mkdtemp(prefix="circles-template-"))
        atexit.register(shutil.rmtree, made, True)
        database = Database(sqlite_url(made))
        upgrade(database.engine)
        database.dispose()  # the last connection to close folds the WAL into the file
        _sqlite_template.append(made / "circles.db")
    shutil.copyfile(_sqlite_template[0], folder / "circles.db")
    return sqlite_url(folder)


_free_sqlite: list[str] = []  # migrated SQLite files emptied after their last test, ready for the next


@contextmanager
def migrated_sqlite() -> Iterator[str]:
    """A SQLite file at the latest schema with no rows, for the length of one test; emptied and kept
    for the next, with its `database`."""
    url = _free_sqlite.pop() if _free_sqlite else _new_sqlite()
    try:
        yield url
    finally:
        if _emptied_sqlite(url):
            _free_sqlite.append(url)


def _new_sqlite() -> str:
    folder = Path(tempfile.mkdtemp(prefix="circles-test-"))
    atexit.register(shutil.rmtree, folder, True)
    url = migrated_sqlite_url(folder)
    _opened[url] = Database(url)
    return url


def _emptied_sqlite(url: str) -> bool:
    """Delete every row but Alembic's and restart the ids, after closing what the test left connected.

    The rows go through a connection of this module's own, open on the file as long as the run: the
    test's next connection finds the schema already read and the write-ahead log still there, where the
    last connection to close would fold the log into the file, and the next to open read both again."""
    _opened[url].engine.dispose()
    try:
        keeper = _keeper(url)
        tables = keeper.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'alembic_version'"
        ).fetchall()
        keeper.execute("BEGIN IMMEDIATE")
        for (name,) in tables:
            keeper.execute(f'DELETE FROM "{name}"')
        keeper.execute("COMMIT")
    except (sqlite3.Error, OSError):
        _forget_sqlite(url)  # closing the keeper rolls back whatever it began
        return False  # a new file serves the next test rather than this one in an unknown state
    return True


# By URL: a connection of this module's own on the file, foreign keys off, and the file's inode: a test
# could have put another file at that path.
_keepers: dict[str, tuple[sqlite3.Connection, int]] = {}


def _keeper(url: str) -> sqlite3.Connection:
    path = make_url(url).database or ""
    if url in _keepers and _keepers[url][1] != os.stat(path).st_ino:
        _keepers.pop(url)[0].close()
    if url not in _keepers:
        keeper = sqlite3.connect(path, timeout=SQLITE_BUSY_MS / 1000, isolation_level=None)
        keeper.execute("PRAGMA foreign_keys=OFF")  # outside a transaction, or SQLite ignores it
        keeper.execute("PRAGMA synchronous=NORMAL")  # as the app's connections: no wait for the disk
        _keepers[url] = (keeper, os.stat(path).st_ino)
    return _keepers[url][0]


def _forget_sqlite(url: str) -> None:
    if url in _keepers:
        _keepers.pop(url)[0].close()
    _opened.pop(url).dispose()


@contextmanager
def postgres_database() -> Iterator[str]:
    """Create an empty database on the local server, yield its URL, drop it afterwards."""
    admin = _admin()
    name = _create(admin)
    try:
        yield _url(name)
    finally:
        _drop(admin, name)


_free: list[str] = []  # migrated databases emptied after their last test, ready for the next
_kept: list[str] = []  # every migrated database this run made, dropped when the run ends
_opened: dict[str, Database] = {}  # the one Database of each kept database, by URL


def database(url: str) -> Database:
    """The Database for `url`: the same one each time for a kept database (SQLite or PostgreSQL), else a
    new one. Dispose of it after the test as of any other: its engine closes its connections and stays
    usable."""
    if url in _opened:
        return _opened[url]
    parsed = make_url(url)
    if parsed.database not in _kept:
        return Database(url)
    # Named, so that emptying the database between tests leaves its connections open (OTHERS_CLOSED).
    named = {"connect_args": {"application_name": KEPT}} if parsed.get_backend_name() == "postgresql" else {}
    opened = _opened[url] = Database(url, **named)
    return opened


@contextmanager
def migrated_postgres() -> Iterator[str]:
    """A PostgreSQL database at the latest schema with no rows, for the length of one test."""
    admin = _admin()
    name = _free.pop() if _free else _new_migrated(admin)
    try:
        yield _url(name)
    finally:
        if _emptied(name):
            _free.append(name)
        else:
            _kept.remove(name)
            _drop(admin, name)


def _new_migrated(admin: Engine) -> str:
    name = _create(admin)
    with admin.connect() as connection:  # a test server need not wait for the disk at each commit
        connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    if not _kept:
        atexit.register(_drop_kept, admin)
    _kept.append(name)
    database = Database(_url(name))
    try:
        upgrade(database.engine)
    finally:
        database.dispose()
    return name


# One round trip: DELETE, not TRUNCATE (a few rows go faster than new files for every table); with
# triggers off (replica role) foreign keys do not care in which order the tables empty. Only sequences
# the test drew from start again (a sequence started again shows no last value): restarting all 25 took
# 20 ms, and setval puts one back where ALTER SEQUENCE ... RESTART would, without the new file and the
# invalidation every other connection then reads (a millisecond of the server's CPU for each).
EMPTY_EVERY_TABLE = """
DO $$
DECLARE name text; start bigint;
BEGIN
    SET LOCAL lock_timeout = '10s';
    SET LOCAL session_replication_role = replica;
    FOR name IN SELECT quote_ident(tablename) FROM pg_tables
                WHERE schemaname = 'public' AND tablename <> 'alembic_version' LOOP
        EXECUTE 'DELETE FROM ' || name;
    END LOOP;
    FOR name, start IN SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), start_value
                       FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL LOOP
        PERFORM setval(name::regclass, start, false);
    END LOOP;
END
$$
"""


def _emptied(name: str) -> bool:
    """Delete every row but Alembic's, after closing whatever else the test left connected. The kept
    Database's own connection stays open for the next test, and with it what the server has read of
    the tables' definitions: a new connection reads them again, at the server's cost."""
    try:
        with database(_url(name)).engine.begin() as connection:
            connection.execute(text(OTHERS_CLOSED))
            connection.execute(text(EMPTY_EVERY_TABLE))
    except SQLAlchemyError:
        _opened.pop(_url(name)).dispose()
        return False  # made anew next time rather than reused in an unknown state
    return True


# Whatever else the test left connected (an app, a killed process, a second engine) is closed; the kept
# Database's own pooled connections stay open. Closing those too cost a new server process for each
# (about 15 ms of the server's CPU to read the schema again); and once SQLAlchemy found one closed, it
# took every connection older than that moment for stale, which under a clock frozen in the past is
# every new one: such a test reconnected at every unit of work.
KEPT = "circles-tests-kept"
OTHERS_CLOSED = f"""
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> '{KEPT}'
"""


def release(opened: Database) -> None:
    """What a test does with its Database when it ends: a kept one stays open for the next test."""
    if opened not in _opened.values():
        opened.dispose()


def _admin() -> Engine:
    if not _admins:
        _admins.append(create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", pool_size=1))
    return _admins[0]


_admins: list[Engine] = []


def _create(admin: Engine) -> str:
    name = f"circles_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        message = f"PostgreSQL is not reachable at {POSTGRES_URL}: {error.orig}"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return name


def _drop(admin: Engine, name: str) -> None:
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _drop_kept(admin: Engine) -> None:
    for name in _kept:
        with contextlib.suppress(SQLAlchemyError):  # the server went away first: nothing left to tidy
            _drop(admin, name)
    admin.dispose()


def _url(name: str) -> str:
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    """The SQL statements `db` sends while the block runs, in order."""
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


# How many connections to the current PostgreSQL database wait for a lock another transaction holds.
WAITING_FOR_A_LOCK = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


@contextmanager
def postgres_db() -> Iterator[Database]:
    """A Database on a migrated PostgreSQL database of its own, for one test."""
    with migrated_postgres() as url:
        db = Database(url)
        try:
            yield db
        finally:
            db.dispose()


@pytest.fixture
def postgres() -> Iterator[Database]:
    """A test's own PostgreSQL database, migrated, whatever `db` runs on: for races between replicas."""
    with postgres_db() as db:
        yield db


def until_one_waits(db: Database, seconds: float = 10, through: threading.Event | None = None) -> bool:
    """Return once a connection to db waits for a lock (another replica blocked mid-race), or once
    `through` is set (the other side went on without waiting: done, or past the point the test needed),
    or after `seconds`, for the test to find what happened. Whether a wait or `through` was seen.

    Each look is a transaction of its own: PostgreSQL shows pg_stat_activity as it was at the first
    look in a transaction, so looking again in the same one would never see the other side block."""
    through = through or threading.Event()
    deadline = time.monotonic() + seconds
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as watching:
        while watching.execute(text(WAITING_FOR_A_LOCK)).scalar_one() == 0:
            if through.wait(0.01) or time.monotonic() >= deadline:  # wakes at once when it is set
                return through.is_set()
    return True


def raced(db: Database, first: UnitOfWork, second: Callable[[], object]) -> object:
    """Run `second` in another thread while `first` holds its writes uncommitted (another replica between
    its check and its commit); commit `first` once `second` waits on it, or has finished without waiting.
    What `second` returned or raised."""
    other = Aside(second)
    first.session.flush()
    other.thread.start()
    until_one_waits(db, through=other.finished)
    first.commit()
    other.thread.join(timeout=10)
    [found] = other.outcome
    return found


class Aside:
    """`work` to run on a thread of its own: what it returned or raised lands in `outcome`, then
    `finished` is set."""

    def __init__(self, work: Callable[[], object]) -> None:
        self.outcome: list[object] = []
        self.finished = threading.Event()
        self._work = work
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        try:
            self.outcome.append(self._work())
        except BaseException as error:  # the test reads what it was
            self.outcome.append(error)
        finally:
            self.finished.set()


@contextmanager
def sqlite_writer_tried(db: Database, during: str) -> Iterator[list[str]]:
    """Try, from another connection, to take SQLite's write lock as a check-in or a join would, the first
    time a statement naming `during` runs inside the block: what that try found ("wrote", or SQLite's
    refusal) is in the list given."""
    outcomes: list[str] = []

    def write_elsewhere(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if during not in statement or outcomes:
            return
        writer = sqlite3.connect(str(db.engine.url.database), timeout=0, isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")  # what a check-in's transaction begins with
            writer.execute("ROLLBACK")
            outcomes.append("wrote")
        except sqlite3.OperationalError as error:
            outcomes.append(str(error))
        finally:
            writer.close()

    event.listen(db.engine, "before_cursor_execute", write_elsewhere)
    try:
        yield outcomes
    finally:
        event.remove(db.engine, "before_cursor_execute", write_elsewhere)


@contextmanager
def meanwhile(db: Database, statement: str, work: Callable[[], object]) -> Iterator[list[object]]:
    """The first time `db` sends a statement beginning with `statement`, run `work` in another thread until
    it waits for a lock or ends; then the statement goes on. What `work` returned or raised is in the list."""
    aside = Aside(work)

    def before(_conn: Any, _cursor: Any, sent: str, *_: Any) -> None:
        if sent.startswith(statement) and not aside.thread.is_alive() and not aside.finished.is_set():
            aside.thread.start()
            until_one_waits(db, through=aside.finished)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield aside.outcome
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        if aside.thread.is_alive() or aside.finished.is_set():
            aside.thread.join(timeout=20)
