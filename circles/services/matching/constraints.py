"""Who must never be grouped or paired: what members declare privately, and conflicts facilitators record."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, select

from circles.domain.match_vocabulary import ConstraintKind
from circles.errors import NotAFacilitator, PersonNotInCohort
from circles.persistence.db import UnitOfWork
from circles.persistence.models import MatchConstraint, Member
from circles.services.cohorts.config import facilitator_ids, require_cohort
from circles.services.intake.workspaces import ensure_workspace, find_workspace

MAX_BLOCKS = 20


def own_blocks(uow: UnitOfWork, team_id: str, user_id: str) -> list[str]:
    """The people this person asked never to be matched with."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return []
        return sorted(
            uow.session.scalars(
                select(MatchConstraint.other_user_id).where(
                    MatchConstraint.workspace_id == workspace.id,
                    MatchConstraint.slack_user_id == user_id,
                    MatchConstraint.kind == ConstraintKind.NEVER,
                    MatchConstraint.set_by == user_id,
                )
            )
        )


def set_own_blocks(
    uow: UnitOfWork, team_id: str, user_id: str, others: Collection[str], now: datetime
) -> None:
    """Replace the person's own list; nobody on it is ever told."""
    wanted = sorted({o for o in others if o != user_id})[:MAX_BLOCKS]
    with uow:
        workspace = ensure_workspace(uow.session, team_id, now)
        uow.session.execute(
            delete(MatchConstraint).where(
                MatchConstraint.workspace_id == workspace.id,
                MatchConstraint.slack_user_id == user_id,
                MatchConstraint.kind == ConstraintKind.NEVER,
                MatchConstraint.set_by == user_id,
            )
        )
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
        cohort = require_cohort(uow.session, team_id, slug)
        if not (is_admin or user_id in facilitator_ids(uow.session, cohort)):
            raise NotAFacilitator(slug)
        members = set(uow.session.scalars(select(Member.slack_user_id).where(Member.cohort_id == cohort.id)))
        for person in (one, other):
            if person not in members:
                raise PersonNotInCohort(cohort.slug, person)
        exists = uow.session.scalars(
            select(MatchConstraint.id).where(
                MatchConstraint.workspace_id == cohort.workspace_id,
                MatchConstraint.slack_user_id == one,
                MatchConstraint.other_user_id == other,
                MatchConstraint.kind == kind,
            )
        ).first()
        if exists is None and one != other:
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
        cohort = require_cohort(uow.session, team_id, slug.lower())
        if not (is_admin or user_id in facilitator_ids(uow.session, cohort)):
            raise NotAFacilitator(cohort.slug)
