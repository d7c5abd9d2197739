"""Migration 0040: the people Slack said have left are kept in a table of their own, which going back removes
and coming forward again brings back empty, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import inspect, text

from circles.persistence import migrate
from circles.persistence.db import Database

AT = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)


def tables(db: Database) -> set[str]:
    return set(inspect(db.engine).get_table_names())


def test_gone_accounts_come_and_go_with_their_revision(empty_database_url: str) -> None:
    db = Database(empty_database_url)
    try:
        migrate.upgrade(db.engine, "0039")
        assert "gone_accounts" not in tables(db)
        migrate.upgrade(db.engine)
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO workspaces (team_id, created_at, kind) VALUES ('T0001', :at, 'team')"),
                {"at": AT},
            )
            connection.execute(
                text(
                    "INSERT INTO gone_accounts (workspace_id, slack_user_id, gone_at)"
                    " SELECT id, 'U0FAC', :at FROM workspaces"
                ),
                {"at": AT},
            )
        command.downgrade(migrate.alembic_config(db.engine), "0039")
        assert "gone_accounts" not in tables(db)
        migrate.upgrade(db.engine)
        with db.engine.connect() as connection:
            assert connection.scalar(text("SELECT COUNT(*) FROM gone_accounts")) == 0
    finally:
        db.dispose()
