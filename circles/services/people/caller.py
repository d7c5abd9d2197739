"""Who is asking: the cohorts a person belongs to and runs, and what they may do."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus, Role
from circles.persistence.db import UnitOfWork
from circles.persistence.models import Cohort, Facilitator, Member, Workspace


@dataclass(frozen=True)
class Membership:
    cohort_slug: str
    cohort_name: str
    role: Role
    status: MemberStatus


@dataclass(frozen=True)
class CohortRef:
    slug: str
    name: str


@dataclass(frozen=True)
class Caller:
    """One person in one workspace, as the product sees them."""

    team_id: str
    user_id: str
    is_admin: bool = False
    memberships: list[Membership] = field(default_factory=list)
    facilitates: list[CohortRef] = field(default_factory=list)

    @property
    def can_create_cohorts(self) -> bool:
        return self.is_admin

    @property
    def runs_cohorts(self) -> bool:
        """Facilitators and admins see the facilitator commands."""
        return self.is_admin or bool(self.facilitates)


def describe_caller(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    *,
    is_workspace_admin: bool,
    circles_admins: Collection[str],
) -> Caller:
    """Gather what one person is in this workspace, in two queries scoped to it."""
    with uow:
        memberships, facilitated = _memberships(uow, team_id, user_id), _facilitated(uow, team_id, user_id)
    return Caller(
        team_id=team_id,
        user_id=user_id,
        is_admin=is_workspace_admin or user_id in circles_admins,
        memberships=memberships,
        facilitates=facilitated,
    )


def _memberships(uow: UnitOfWork, team_id: str, user_id: str) -> list[Membership]:
    rows = uow.session.execute(
        select(Cohort.slug, Cohort.name, Member.role, Member.status)
        .join(Member, Member.cohort_id == Cohort.id)
        .join(Workspace, Workspace.id == Cohort.workspace_id)
        .where(Workspace.team_id == team_id, Member.slack_user_id == user_id, Cohort.archived_at.is_(None))
        .order_by(Cohort.name)
    ).all()
    return [Membership(slug, name, role, status) for slug, name, role, status in rows]


def _facilitated(uow: UnitOfWork, team_id: str, user_id: str) -> list[CohortRef]:
    rows = uow.session.execute(
        select(Cohort.slug, Cohort.name)
        .join(Facilitator, Facilitator.cohort_id == Cohort.id)
        .join(Workspace, Workspace.id == Cohort.workspace_id)
        .where(
            Workspace.team_id == team_id, Facilitator.slack_user_id == user_id, Cohort.archived_at.is_(None)
        )
        .order_by(Cohort.name)
    ).all()
    return [CohortRef(slug, name) for slug, name in rows]
