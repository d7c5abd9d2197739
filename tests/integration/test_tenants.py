"""Tenants: a workspace, or an organisation installed org-wide whose workspaces all share one tenant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from circles.domain.tenants import resolve_tenant
from circles.domain.vocabulary import MeetingPlace, PairingMode, Role
from circles.persistence import migrate
from circles.persistence.db import Database
from circles.queries.workspaces import is_organisation
from circles.services.intake.workspaces import ensure_workspace, record_installation
from circles.services.matching.rounds import confirm_round, preview_round
from circles.services.outbox.queue import claim_due
from tests import factories
from tests.factories import NOW


def _tenant_row(db: Database, team_id: str, enterprise_id: str | None, org_wide: bool) -> tuple[int, str]:
    key = resolve_tenant(team_id, enterprise_id, org_wide).key
    with db.unit_of_work() as uow:
        workspace = ensure_workspace(uow.session, key, NOW)
        uow.commit()
        return workspace.id, workspace.kind


def test_migration_0020_carries_existing_workspaces_over_unchanged(empty_database_url: str) -> None:
    db = Database(empty_database_url)
    try:
        migrate.upgrade(db.engine, "0019")
        created = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO workspaces (team_id, enterprise_id, name, created_at) "
                    "VALUES ('T0OLD', NULL, 'Old', :at), ('T0INORG', 'E0ORG', 'In an org', :at)"
                ),
                {"at": created},
            )
        migrate.upgrade(db.engine)
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT team_id, enterprise_id, name, kind FROM workspaces ORDER BY team_id")
            ).all()
        assert [tuple(row) for row in rows] == [
            ("T0INORG", "E0ORG", "In an org", "team"),
            ("T0OLD", None, "Old", "team"),
        ]
    finally:
        db.dispose()


def test_two_workspaces_of_an_org_wide_install_are_one_tenant(db: Database) -> None:
    first = _tenant_row(db, "T0ONE", "E0ORG", org_wide=True)
    second = _tenant_row(db, "T0TWO", "E0ORG", org_wide=True)
    assert first == second
    assert first[1] == "org"
    with db.reading() as reading:
        assert is_organisation(reading.session, first[0])
        [row] = reading.session.execute(text("SELECT team_id, enterprise_id FROM workspaces")).all()
    assert tuple(row) == ("E0ORG", "E0ORG")


def test_another_organisation_is_another_tenant(db: Database) -> None:
    ours, _ = _tenant_row(db, "T0ONE", "E0ORG", org_wide=True)
    theirs, kind = _tenant_row(db, "T0ONE", "E0OTHER", org_wide=True)
    assert ours != theirs
    assert kind == "org"


def test_a_workspace_installed_alone_inside_an_organisation_stays_its_own_tenant(db: Database) -> None:
    org, _ = _tenant_row(db, "T0ONE", "E0ORG", org_wide=True)
    team, kind = _tenant_row(db, "T0ONE", "E0ORG", org_wide=False)
    assert org != team
    assert kind == "team"
    with db.reading() as reading:
        assert not is_organisation(reading.session, team)


def test_an_org_wide_installation_records_the_organisation_by_name(db: Database) -> None:
    record_installation(db.unit_of_work(), "E0ORG", "Health System", NOW)
    with db.engine.connect() as connection:
        [row] = connection.execute(text("SELECT team_id, enterprise_id, name, kind FROM workspaces")).all()
    assert tuple(row) == ("E0ORG", "E0ORG", "Health System", "org")


def test_an_organisations_circles_meet_in_group_dms_whatever_the_cohort_chose(db: Database) -> None:
    with db.unit_of_work() as uow:
        org = factories.workspace(uow.session, "E0ORG")
        org.kind = "org"
        cohort = factories.cohort(uow.session, org, "pgy1", "PGY-1")
        cohort.pairing_mode, cohort.meeting_place = PairingMode.NONE, MeetingPlace.PRIVATE_CHANNEL
        cohort.circle_min_size = cohort.circle_max_size = 3
        factories.facilitator(uow.session, cohort, "U0FAC")
        for n in range(6):
            factories.member(uow.session, cohort, f"U0P{n:02d}", Role.PEER, flush=False)
        uow.commit()
    plan = preview_round(db.unit_of_work(), "E0ORG", "pgy1", user_id="U0FAC", is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), "E0ORG", plan.run_id, user_id="U0FAC", is_admin=False, now=NOW)
    claimed = claim_due(db.unit_of_work(), NOW, limit=100, claim_for=timedelta(minutes=5))
    # No channel of one workspace: people of any workspace of the organisation share a group DM.
    assert sorted(row.method for row in claimed) == [
        "chat.postMessage",
        "conversations.open",
        "conversations.open",
    ]
    assert {row.team_id for row in claimed} == {"E0ORG"}
