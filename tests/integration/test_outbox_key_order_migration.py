"""Outbox keys kept before migration 0033 are kept by it, found by their beginning after it, and still once
per workspace; going back keeps them too, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from circles.persistence import migrate
from circles.persistence.db import Database
from circles.queries.outbox.rows import keys_starting
from tests import factories
from tests.factories import NOW

BEFORE = "0032"
KEPT_BEFORE = text(
    "INSERT INTO outbox (workspace_id, idempotency_key, method, payload, status, due_at, attempts,"
    " created_at) VALUES (:workspace, :key, 'chat.postMessage', '{}', 'sent', :at, 1, :at)"
)
KEYS = ["escalation:2:U0A:open", "escalation:21:U0A:open", "checkin:7:2026-11-02"]


def key_collation(db: Database) -> str | None:
    """The key's own collation on PostgreSQL (None: the database's); SQLite's is always binary."""
    if db.engine.dialect.name != "postgresql":
        return None
    with db.engine.connect() as connection:
        found: str | None = connection.scalar(
            text(
                "SELECT collation_name FROM information_schema.columns"
                " WHERE table_name = 'outbox' AND column_name = 'idempotency_key'"
            )
        )
        return found


def kept_before(db: Database) -> int:
    with db.unit_of_work() as uow:
        workspace_id = factories.workspace(uow.session).id
        uow.commit()
    command.downgrade(migrate.alembic_config(db.engine), BEFORE)
    with db.engine.begin() as connection:
        for key in KEYS:
            connection.execute(KEPT_BEFORE, {"workspace": workspace_id, "key": key, "at": NOW})
    return workspace_id


def test_keys_kept_before_the_upgrade_are_found_by_their_beginning_and_still_once_each(
    from_empty: Database,
) -> None:
    workspace_id = kept_before(from_empty)
    migrate.upgrade(from_empty.engine)
    assert key_collation(from_empty) == ("C" if from_empty.engine.dialect.name == "postgresql" else None)
    with from_empty.reading() as reading:
        assert sorted(keys_starting(reading.session, workspace_id, "escalation:2")) == sorted(KEYS[:2])
        assert keys_starting(reading.session, workspace_id, "escalation:2:") == KEYS[:1]
    with pytest.raises(IntegrityError), from_empty.engine.begin() as connection:
        connection.execute(KEPT_BEFORE, {"workspace": workspace_id, "key": KEYS[0], "at": NOW})


def test_going_back_keeps_every_key_in_the_databases_own_order(from_empty: Database) -> None:
    workspace_id = kept_before(from_empty)
    migrate.upgrade(from_empty.engine)
    command.downgrade(migrate.alembic_config(from_empty.engine), BEFORE)
    assert key_collation(from_empty) is None
    with from_empty.engine.connect() as connection:
        keys = connection.scalars(
            text("SELECT idempotency_key FROM outbox WHERE workspace_id = :workspace"),
            {"workspace": workspace_id},
        )
        assert sorted(keys) == sorted(KEYS)
