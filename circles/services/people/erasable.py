"""Whether someone can still ask for their personal data to be erased: the way back to it after they left
without erasing, or after their cohort was archived (nobody leaves an archived cohort: nothing offered it)."""

from __future__ import annotations

from circles.persistence.db import UnitOfWork
from circles.queries.members.person import current_memberships, memberships_of
from circles.queries.profiles import find_profile
from circles.services.intake.workspaces import find_workspace


def erasable(uow: UnitOfWork, team_id: str, user_id: str) -> bool:
    """Whether the person was in a cohort of this workspace, is in none now (an archived one does not
    count), and has something left to erase: a profile, or a membership not erased since it began."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return False
        members = memberships_of(uow.session, workspace.id, user_id)
        if not members or current_memberships(uow.session, workspace.id, user_id):
            return False
        if find_profile(uow.session, workspace.id, user_id) is not None:
            return True
        return any(m.erased_before is None or m.erased_before < m.joined_at for m in members)
