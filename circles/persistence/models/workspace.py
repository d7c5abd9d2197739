"""A tenant that has the app (a Slack workspace, or an Enterprise Grid organisation installed org-wide):
the root every other row hangs from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from circles.persistence.base import Base


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), unique=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    # "team": team_id is a workspace's T…; "org": an org-wide install, team_id holds the organisation's E….
    kind: Mapped[str] = mapped_column(String(8), default="team", server_default="team")
    name: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime]
    # Set when Slack tells us the app was uninstalled; data stays until a facilitator erases it.
    uninstalled_at: Mapped[datetime | None]


class RevokedTeam(Base):
    """A workspace of an organisation installed org-wide that Slack no longer lets the app reach
    (team_access_revoked): messages to its people wait until access comes back (team_access_granted)."""

    __tablename__ = "revoked_teams"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)  # the organisation's workspace, T…
    revoked_at: Mapped[datetime]
