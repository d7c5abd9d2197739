"""Questions about the workspaces the database holds."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.persistence.models import Workspace


def team_ids(session: Session) -> list[str]:
    """The Slack team IDs of every workspace, sorted."""
    return list(session.scalars(select(Workspace.team_id).order_by(Workspace.team_id)))
