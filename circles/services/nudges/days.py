"""The weekdays on which a person's digest may come: theirs to read and to change, nobody else's."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from circles.domain.digests import InvalidWorkingDays, stored_days, working_days
from circles.errors import InvalidDigestDays, WorkspaceUnknown
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Profile
from circles.queries.profiles import find_profile, hold_profile
from circles.services.intake.workspaces import find_workspace
from circles.services.planning.replan import redigest_person


def digest_days(uow: UnitOfWork, team_id: str, user_id: str) -> frozenset[int]:
    """The person's working days (Monday = 0); Monday to Friday until they choose."""
    with uow:
        profile = _profile(uow.session, team_id, user_id)
        return working_days(profile.working_days if profile else None)


def choose_digest_days(
    uow: UnitOfWork, team_id: str, user_id: str, days: Iterable[int], now: datetime
) -> frozenset[int]:
    """Keep the person's own choice of days on their profile (made for them if they have none yet)."""
    try:
        stored = stored_days(days)
    except InvalidWorkingDays:
        raise InvalidDigestDays() from None
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            raise WorkspaceUnknown()
        profile = hold_profile(uow.session, workspace.id, user_id, now)
        profile.working_days, profile.updated_at = stored, now
        redigest_person(uow.session, workspace.id, user_id)  # their next digest's day moved
        uow.commit()
        return working_days(stored)


def _profile(session: Session, team_id: str, user_id: str) -> Profile | None:
    workspace = find_workspace(session, team_id)
    if workspace is None:
        return None
    return find_profile(session, workspace.id, user_id)
