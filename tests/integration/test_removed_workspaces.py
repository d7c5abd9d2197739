"""A workspace that removed the app stays removed for every request but an install."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.persistence.db import Database
from circles.services.intake.workspaces import (
    ensure_workspace,
    find_workspace,
    mark_uninstalled,
    record_installation,
)
from circles.services.matching.constraints import set_own_blocks

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def removed(db: Database) -> None:
    with db.unit_of_work() as uow:
        ensure_workspace(uow.session, "T0042", NOW)
        uow.commit()
    mark_uninstalled(db.unit_of_work(), "T0042", NOW)


def removed_at(db: Database) -> datetime | None:
    with db.reading() as uow:
        workspace = find_workspace(uow.session, "T0042")
        assert workspace is not None
        return workspace.uninstalled_at


def test_a_removed_workspace_stays_removed_when_someone_there_changes_their_match_blocks(
    db: Database,
) -> None:
    removed(db)
    set_own_blocks(db.unit_of_work(), "T0042", "U0ANN", ["U0BEA"], NOW + timedelta(hours=1))
    assert removed_at(db) == NOW


def test_installing_again_brings_a_removed_workspace_back(db: Database) -> None:
    removed(db)
    record_installation(db.unit_of_work(), "T0042", "Team 42", NOW + timedelta(days=1))
    assert removed_at(db) is None
