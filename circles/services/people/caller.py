"""Who is asking: the cohorts a person belongs to and runs, and what they may do."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from circles.domain.admins import tenant_admins
from circles.domain.vocabulary import MemberStatus, Role
from circles.persistence.db import UnitOfWork
from circles.queries.cohorts import CohortRef, facilitated_cohorts
from circles.queries.members import current_memberships
from circles.services.intake.workspaces import find_workspace

__all__ = ["Caller", "CohortRef", "Membership", "describe_caller"]


@dataclass(frozen=True)
class Membership:
    cohort_slug: str
    cohort_name: str
    role: Role
    status: MemberStatus


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
    """Gather what one person is in this workspace, in queries scoped to it; `circles_admins` are
    CIRCLES_ADMINS' entries, of which only those for this workspace (or for none) make an admin of it."""
    memberships: list[Membership] = []
    facilitated: list[CohortRef] = []
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is not None:
            memberships = [
                Membership(cohort.slug, cohort.name, member.role, member.status)
                for member, cohort in current_memberships(uow.session, workspace.id, user_id, with_left=True)
            ]
            facilitated = [
                CohortRef(cohort.slug, cohort.name)
                for cohort in facilitated_cohorts(uow.session, workspace.id, user_id)
            ]
    return Caller(
        team_id=team_id,
        user_id=user_id,
        is_admin=is_workspace_admin or user_id in tenant_admins(circles_admins, team_id),
        memberships=memberships,
        facilitates=facilitated,
    )
