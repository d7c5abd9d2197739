"""Integration tests run once on SQLite and once on PostgreSQL, each on a freshly migrated database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from circles.persistence.db import Database
from circles.persistence.migrate import upgrade
from tests.databases import postgres_database, sqlite_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
    else:
        with postgres_database() as url:
            yield url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    upgrade(database.engine)
    yield database
    database.dispose()
