"""Who must never be grouped or paired: what members declare privately, and conflicts facilitators record."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from circles.domain.match_vocabulary import ConstraintKind
from circles.errors import PersonNotInCohort
from circles.persistence.db import UnitOfWork
from circles.persistence.models import MatchConstraint
from circles.queries.match_constraints import blocked_by, clear_own_blocks, has_constraint
from circles.queries.members import user_ids_by_member
from circles.services.cohorts.config import facilitated_cohort
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
    """Replace the person's own list; nobody on it is ever told."""
    wanted = sorted({o for o in others if o != user_id})[:MAX_BLOCKS]
    with uow:
        workspace = workspace_for_request(uow.session, team_id, now)
        clear_own_blocks(uow.session, workspace.id, user_id)
        for other in wanted:
            uow.session.add(
                MatchConstraint(
                    workspace_id=workspace.id,
                    slack_user_id=user_id,
                    other_user_id=other,
                    kind=ConstraintKind.NEVER,
                    set_by=user_id,
                    created_at=now,
                )
            )
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
        recorded = has_constraint(uow.session, cohort.workspace_id, one, other, kind)
        if not recorded and one != other:
            uow.session.add(
                MatchConstraint(
                    workspace_id=cohort.workspace_id,
                    slack_user_id=one,
                    other_user_id=other,
                    kind=kind,
                    set_by=user_id,
                    created_at=now,
                )
            )
        uow.commit()


def require_facilitator(uow: UnitOfWork, team_id: str, slug: str, *, user_id: str, is_admin: bool) -> None:
    """Refuse anyone but the cohort's facilitators and workspace admins."""
    with uow:
        facilitated_cohort(uow.session, team_id, slug.lower(), user_id, is_admin)
