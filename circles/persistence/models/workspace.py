"""A tenant that has the app (a Slack workspace, or an Enterprise Grid organisation installed org-wide):
the root every other row hangs from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
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
