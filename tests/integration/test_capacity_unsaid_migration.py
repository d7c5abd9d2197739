"""Migration 0038: a capacity never said is told apart from a 0 chosen. Every profile used to start at 0, so a
stored 0 becomes "not said" and its coach is asked once more; places offered stay as they were."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import text

from circles.persistence import migrate
from circles.persistence.db import Database

AT = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)


def places(db: Database) -> dict[str, int | None]:
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT slack_user_id, capacity FROM profiles"))
        return {user: capacity for user, capacity in rows}


def test_a_stored_zero_becomes_not_said_offered_places_stay_and_going_back_stores_zero_again(
    empty_database_url: str,
) -> None:
    db = Database(empty_database_url)
    try:
        migrate.upgrade(db.engine, "0037")
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO workspaces (team_id, created_at, kind) VALUES ('T0001', :at, 'team')"),
                {"at": AT},
            )
            for user, capacity in (("U0NEW", 0), ("U0ADA", 3)):
                connection.execute(
                    text(
                        "INSERT INTO profiles (workspace_id, slack_user_id, interests, skills, aspirations,"
                        " department, seniority, availability, offers, capacity, updated_at)"
                        " SELECT id, :user, '', '', '', '', '', '', '', :capacity, :at FROM workspaces"
                    ),
                    {"user": user, "capacity": capacity, "at": AT},
                )

        migrate.upgrade(db.engine)
        assert places(db) == {"U0NEW": None, "U0ADA": 3}

        command.downgrade(migrate.alembic_config(db.engine), "0037")
        assert places(db) == {"U0NEW": 0, "U0ADA": 3}
    finally:
        db.dispose()
