"""Keep what Slack knows about a person (time zone, name) fresh on their profile."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from circles.persistence.db import UnitOfWork
from circles.persistence.models import Profile
from circles.services.workspaces import find_workspace


def refresh_from_slack(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    *,
    timezone: str | None,
    display_name: str | None,
    now: datetime,
) -> bool:
    """Update an existing profile's time zone and name; say whether there was a profile to update."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return False
        profile = uow.session.scalars(
            select(Profile).where(Profile.workspace_id == workspace.id, Profile.slack_user_id == user_id)
        ).one_or_none()
        if profile is None:
            return False  # people who never joined a cohort are not stored
        if timezone:
            profile.timezone = timezone
        if display_name:
            profile.display_name = display_name
        profile.timezone_checked_at = now
        uow.commit()
        return True
