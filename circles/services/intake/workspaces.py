"""Find or record the workspace a request comes from."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Workspace
from circles.queries import workspaces
from circles.queries.workspaces import add_workspace_once, workspace_of_team
from circles.services.planning.replan import replan_workspace


def ensure_workspace(session: Session, team_id: str, now: datetime, name: str | None = None) -> Workspace:
    """The workspace row of a team installing the app: created the first time, and installed again when
    it had removed the app. Only an install may call it; any other request uses workspace_for_request."""
    workspace = find_workspace(session, team_id)
    if workspace is not None:
        if workspace.uninstalled_at is not None:
            workspace.uninstalled_at = None  # installed again
            replan_workspace(session, workspace.id)  # its cohorts and digests may be due again
        return workspace
    return add_workspace_once(session, team_id, name, now)


def workspace_for_request(session: Session, team_id: str, now: datetime) -> Workspace:
    """The workspace row of a team a request comes from, created the first time the team is seen; a
    workspace that removed the app stays removed (only an install brings it back)."""
    return find_workspace(session, team_id) or add_workspace_once(session, team_id, None, now)


def find_workspace(session: Session, team_id: str) -> Workspace | None:
    """The team's workspace, if it was ever seen."""
    return workspace_of_team(session, team_id)


def mark_uninstalled(uow: UnitOfWork, team_id: str, now: datetime) -> None:
    """Record that the app was removed, or its bot token revoked: nothing is sent to this workspace, and its
    messages wait, until it is installed again."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is not None:
            workspace.uninstalled_at = now
            uow.commit()


def installed_again(uow: UnitOfWork, team_id: str, now: datetime) -> bool:
    """The tenant's token works (a start with SLACK_BOT_TOKEN): if the app was removed from it, it is back
    and its messages may go again. Creates nothing; says whether it was marked removed."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None or workspace.uninstalled_at is None:
            return False
        ensure_workspace(uow.session, team_id, now)
        uow.commit()
        return True


def record_installation(uow: UnitOfWork, team_id: str, name: str | None, now: datetime) -> None:
    """Remember a workspace that installed the app (again): its name, and that it is installed."""
    with uow:
        workspace = ensure_workspace(uow.session, team_id, now, name=name)
        if name:
            workspace.name = name
        uow.commit()


def team_access_changed(
    uow: UnitOfWork, organisation: str, team_ids: list[str], granted: bool, now: datetime
) -> None:
    """An org-wide install lost (or got back) some workspaces of its organisation: messages to their people
    wait until access comes back, then go. The rest of the organisation carries on."""
    with uow:
        tenant = find_workspace(uow.session, organisation)
        if tenant is None:
            return
        if granted:
            workspaces.restore_teams(uow.session, tenant.id, team_ids)
        else:
            workspaces.revoke_teams(uow.session, tenant.id, team_ids, now)
        uow.commit()


def tenants_holding(uow: UnitOfWork, slugs: Collection[str]) -> list[tuple[str, bool]]:
    """Every tenant the database holds, with whether it has a live cohort of each of these slugs: for a
    command line that was not told which tenant (one query, whatever their number)."""
    with uow:
        return workspaces.tenants_holding(uow.session, slugs)
