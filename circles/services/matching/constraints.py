"""Who must never be grouped or paired: what members declare privately, and conflicts facilitators record."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from circles.domain.match_vocabulary import ConstraintKind
from circles.errors import PersonNotInCohort
from circles.persistence.db import UnitOfWork
from circles.queries.match_constraints import add_conflict, add_own_blocks, blocked_by, clear_own_blocks
from circles.queries.members import user_ids_by_member
from circles.queries.profiles import hold_profile
from circles.services.cohorts.lookup import facilitated_cohort
from circles.services.intake.workspaces import find_workspace, workspace_for_request

MAX_BLOCKS = 20


def own_blocks(uow: UnitOfWork, team_id: str, user_id: str) -> list[str]:
    """The people this person asked never to be matched with."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return []
        return blocked_by(uow.session, workspace.id, user_id)


def set_own_blocks(
    uow: UnitOfWork, team_id: str, user_id: str, others: Collection[str], now: datetime
) -> None:
    """Replace the person's own list; facilitators' conflicts stay; nobody on it is ever told."""
    wanted = sorted({o for o in others if o != user_id})[:MAX_BLOCKS]
    with uow:
        workspace = workspace_for_request(uow.session, team_id, now)
        hold_profile(uow.session, workspace.id, user_id, now)  # two saves at once: the later list, whole
        clear_own_blocks(uow.session, workspace.id, user_id)
        add_own_blocks(uow.session, workspace.id, user_id, wanted, now)
        uow.commit()


def record_conflict(
    uow: UnitOfWork,
    team_id: str,
    slug: str,
    one: str,
    other: str,
    kind: ConstraintKind,
    *,
    user_id: str,
    is_admin: bool,
    now: datetime,
) -> None:
    """Record, as a facilitator, two members of the cohort who must not be matched (e.g. one assesses)."""
    with uow:
        cohort = facilitated_cohort(uow.session, team_id, slug, user_id, is_admin)
        members = set(user_ids_by_member(uow.session, cohort.workspace_id, cohort.id).values())
        for person in (one, other):
            if person not in members:
                raise PersonNotInCohort(cohort.slug, person)
        if one != other:  # kept whatever either member's own list says or later says
            add_conflict(uow.session, cohort.workspace_id, one, other, kind, set_by=user_id, now=now)
        uow.commit()


def require_facilitator(uow: UnitOfWork, team_id: str, slug: str, *, user_id: str, is_admin: bool) -> None:
    """Refuse anyone but the cohort's facilitators and workspace admins."""
    with uow:
        facilitated_cohort(uow.session, team_id, slug.lower(), user_id, is_admin)
