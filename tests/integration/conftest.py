"""Integration tests run once on SQLite and once on PostgreSQL, each on a database at the latest schema
with no rows (`db`), or on an empty one for tests that run the migrations themselves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from circles.persistence import migrate
from circles.persistence.db import Database
from tests.databases import (
    database,
    migrated_postgres,
    migrated_sqlite,
    postgres_database,
    release,
    sqlite_url,
)

BOTH = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BOTH)
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A database at the latest schema, with no rows."""
    if request.param == "sqlite":
        with migrated_sqlite() as url:
            yield url
    else:
        with migrated_postgres() as url:
            yield url


@pytest.fixture(params=BOTH)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, not even a schema."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
    else:
        with postgres_database() as url:
            yield url


@pytest.fixture
def from_empty(empty_database_url: str) -> Iterator[Database]:
    """A database the migrations built from nothing."""
    database = Database(empty_database_url)
    migrate.upgrade(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    opened = database(database_url)
    yield opened
    release(opened)
