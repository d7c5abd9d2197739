"""Alembic's entry point: run migrations on the engine handed over by circles.persistence.migrate."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import context
from sqlalchemy import Connection, Engine

from circles.persistence import models  # noqa: F401 - registers every table on Base.metadata
from circles.persistence.base import Base
from circles.persistence.db import make_engine
from circles.persistence.migrations_filter import include_object
from circles.settings import Settings


def run() -> None:
    engine = context.config.attributes.get("engine")
    if not isinstance(engine, Engine):
        # Run from the `alembic` command line: use DATABASE_URL like the app does.
        engine = make_engine(Settings().database_url)
    with engine.connect() as connection, _sqlite_foreign_keys_waiting(connection):
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=True,  # SQLite alters tables by copying them
            include_object=include_object,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


@contextmanager
def _sqlite_foreign_keys_waiting(connection: Connection) -> Iterator[None]:
    """On SQLite, foreign keys off while the migrations run, on again after.

    SQLite alters a table by copying it and dropping the original; with foreign keys on, that drop deletes
    every row that points at the table (ON DELETE CASCADE), so altering `members` would take every pair and
    check-in with it. The pragma only takes effect outside a transaction, hence the driver's own connection;
    the copy keeps every id, so nothing is left pointing at nothing.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.dbapi_connection
    assert raw is not None  # an open connection has one
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        if connection.in_transaction():  # each migration committed its own; what is left only read
            connection.rollback()
        raw.execute("PRAGMA foreign_keys=ON")  # the connection goes back to the pool


run()
