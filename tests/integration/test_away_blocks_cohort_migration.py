"""Migration 0042: blocks stored before it stay; after it two cohorts' imports may each hold a block of the
same person, start and kind while the person's own stay one per start and kind; going back keeps the first
of each, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from circles.persistence import migrate
from circles.persistence.db import Database
from tests import factories

AT = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
STARTS = datetime(2027, 1, 4, 6, tzinfo=UTC)
ENDS = datetime(2027, 2, 1, 6, tzinfo=UTC)


def a_block(connection: Connection, cohort: str | None, by: str = "import") -> None:
    """U0000's leave from STARTS: imported for the cohort with this slug, or their own (None)."""
    connection.execute(
        text(
            "INSERT INTO away_blocks (workspace_id, slack_user_id, starts_at, ends_at, kind, cohort_id,"
            " created_by, created_at)"
            " SELECT w.id, 'U0000', :starts, :ends, 'leave', c.id, :by, :at FROM workspaces AS w"
            " LEFT JOIN cohorts AS c ON c.slug = :cohort"
        ),
        {"starts": STARTS, "ends": ENDS, "by": by, "at": AT, "cohort": cohort},
    )


def blocks(db: Database) -> list[str | None]:
    """The cohort of each of U0000's blocks, by slug (None: their own), in the order they were stored."""
    with db.engine.connect() as connection:
        return list(
            connection.scalars(
                text(
                    "SELECT c.slug FROM away_blocks AS b LEFT JOIN cohorts AS c ON c.id = b.cohort_id"
                    " ORDER BY b.id"
                )
            )
        )


def test_each_cohort_keeps_its_own_block_after_the_revision_and_the_first_stays_going_back(
    empty_database_url: str,
) -> None:
    db = Database(empty_database_url)
    try:
        migrate.upgrade(db.engine, "0041")
        with db.unit_of_work() as uow:  # the models' columns are those of revision 0041
            ws = factories.workspace(uow.session)
            for slug in ("pgy1", "peers"):
                factories.cohort(uow.session, ws, slug)
            uow.commit()
        with db.engine.begin() as connection:
            a_block(connection, "peers")
        migrate.upgrade(db.engine)
        assert blocks(db) == ["peers"]
        with db.engine.begin() as connection:
            a_block(connection, "pgy1")
            a_block(connection, None, by="U0000")
        assert blocks(db) == ["peers", "pgy1", None]
        for cohort, by in (("pgy1", "import"), (None, "U0000")):
            with pytest.raises(IntegrityError), db.engine.begin() as connection:
                a_block(connection, cohort, by)
        command.downgrade(migrate.alembic_config(db.engine), "0041")
        assert blocks(db) == ["peers"]
        migrate.upgrade(db.engine)
        assert blocks(db) == ["peers"]
    finally:
        db.dispose()
