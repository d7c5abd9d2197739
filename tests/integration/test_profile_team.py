"""Each person's own Slack workspace, kept on their profile for look-ups an org-wide token makes."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text

from circles.persistence import migrate
from circles.persistence.db import Database
from circles.persistence.models import Profile, Workspace
from circles.services.people.profiles import SlackPerson, refresh_from_slack
from tests import factories
from tests.factories import NOW


def test_migration_0021_carries_existing_profiles_over_with_their_workspace_unknown(
    empty_database_url: str,
) -> None:
    db = Database(empty_database_url)
    try:
        migrate.upgrade(db.engine, "0020")
        at = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO workspaces (team_id, created_at, kind) VALUES ('E0ORG', :at, 'org')"),
                {"at": at},
            )
            connection.execute(
                text(
                    "INSERT INTO profiles (workspace_id, slack_user_id, interests, skills, aspirations,"
                    " department, seniority, availability, offers, capacity, updated_at)"
                    " SELECT id, 'U0OLD', 'maps', '', '', '', '', '', '', 0, :at FROM workspaces"
                ),
                {"at": at},
            )
        migrate.upgrade(db.engine)
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT slack_user_id, interests, slack_team_id FROM profiles"))
            found = [tuple(row) for row in rows]
        assert found == [("U0OLD", "maps", None)]
    finally:
        db.dispose()


def test_the_workspace_slack_names_for_a_person_is_kept_and_an_organisation_id_is_not(db: Database) -> None:
    with db.unit_of_work() as uow:
        org = factories.workspace(uow.session, "E0ORG")
        factories.profile(uow.session, org, "U0NORTH")
        uow.commit()

    def refresh(team: str | None) -> str | None:
        person = SlackPerson(timezone=None, display_name=None, team_id=team)
        assert refresh_from_slack(db.unit_of_work(), "E0ORG", "U0NORTH", slack=person, now=NOW)
        with db.reading() as reading:
            return reading.session.scalars(select(Profile.slack_team_id)).one()

    assert refresh("T0NORTH") == "T0NORTH"
    assert refresh("E0ORG") == "T0NORTH"  # not a workspace: what was known stays
    assert refresh(None) == "T0NORTH"
    assert refresh("T0SOUTH") == "T0SOUTH"
    with db.reading() as reading:
        assert reading.session.scalars(select(Workspace.team_id)).one() == "E0ORG"
