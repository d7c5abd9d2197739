"""Databases a test module's read-only tests share: the world is built once per module and database.

The `db` fixture empties its database after each test, so a module whose tests only read one world would
build it again for every test. A module fixture on `shared(request)` builds it once on SQLite and once on
PostgreSQL; its tests must not write (nothing they call commits), or the next test would see the change.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from circles.persistence.db import Database
from tests.databases import database, migrated_postgres, migrated_sqlite, release

BOTH = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@contextmanager
def shared(request: pytest.FixtureRequest) -> Iterator[Database]:
    """The module's database for the fixture's parameter (one of BOTH), emptied when the module is done."""
    with migrated_sqlite() if request.param == "sqlite" else migrated_postgres() as url:
        opened = database(url)
        try:
            yield opened
        finally:
            release(opened)
