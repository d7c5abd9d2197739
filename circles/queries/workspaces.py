"""Questions about the workspaces the database holds: found by their Slack team, recorded once whoever
sees a team first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from circles.persistence.models import Workspace


def team_ids(session: Session) -> list[str]:
    """The Slack team IDs of every workspace, sorted."""
    return list(session.scalars(select(Workspace.team_id).order_by(Workspace.team_id)))


def workspace_of_team(session: Session, team_id: str) -> Workspace | None:
    return session.scalars(select(Workspace).where(Workspace.team_id == team_id)).one_or_none()


def add_workspace_once(session: Session, team_id: str, name: str | None, now: datetime) -> Workspace:
    """Record the team's workspace; when another transaction just did, return that one's row."""
    workspace = Workspace(team_id=team_id, name=name, created_at=now)
    try:
        with session.begin_nested():  # two first requests at once: the loser reads the winner's row
            session.add(workspace)
    except IntegrityError:
        found = workspace_of_team(session, team_id)
        assert found is not None
        return found
    return workspace
