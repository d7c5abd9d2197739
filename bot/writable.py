"""Whether the database takes writes, asked without writing for good: what /healthz's probe asks first."""

from __future__ import annotations

import sqlite3
import uuid

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from circles.persistence.db import READING, SQLITE_BUSY_MS, Database

# How long a probe waits on PostgreSQL: a lock held elsewhere (a migration, say) must not hold /healthz.
PG_PROBE_TIMEOUT = "2s"
TIMED_OUT = ("55P03", "57014")  # lock_timeout, statement_timeout
REFUSED = {  # PostgreSQL's refusals of the probe's write, by SQLSTATE
    "25006": ("database read-only", "the database is read-only (a standby, or read-only by default)"),
    "42501": ("database read-only", "the database refuses this role's writes (permission denied)"),
    **dict.fromkeys(TIMED_OUT, ("database busy", f"the database did not answer within {PG_PROBE_TIMEOUT}")),
}


def sqlite_writable(db: Database) -> tuple[str, str] | None:
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
            if "locked" in str(error) or "busy" in str(error):
                return None
            return "database read-only", f"the database is read-only ({error})"
        finally:
            if raw.driver_connection is not None and raw.driver_connection.in_transaction:
                cursor.execute("ROLLBACK")
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
    finally:
        raw.close()
    return None


def pg_writable(db: Database) -> tuple[str, str] | None:
    """None when PostgreSQL takes a write from this role: one row is inserted into `seen_requests`, the
    table every request writes first, and rolled back. A standby, a read-only default and missing
    privileges all refuse it; a lock held elsewhere makes it give up after PG_PROBE_TIMEOUT."""
    with db.engine.connect() as connection:
        try:
            connection.execute(text(f"SET LOCAL lock_timeout = '{PG_PROBE_TIMEOUT}'"))
            connection.execute(text(f"SET LOCAL statement_timeout = '{PG_PROBE_TIMEOUT}'"))
            connection.execute(
                text("INSERT INTO seen_requests (key, expires_at) VALUES (:key, now())"),
                {"key": f"healthz:{uuid.uuid4().hex}"},
            )
        except DBAPIError as error:
            refused = REFUSED.get(sqlstate(error))
            if refused is None:
                raise  # anything else is the database being unavailable
            return refused
        finally:
            connection.rollback()
    return None


def sqlstate(error: SQLAlchemyError) -> str:
    """PostgreSQL's code for the error (its class, not its words); "" for any other error."""
    return str(getattr(getattr(error, "orig", None), "sqlstate", None) or "")
