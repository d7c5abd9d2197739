"""What a person's place in each cohort looks like now, and what comes next."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from circles.domain.schedule import Cadence, next_checkin, next_prompt
from circles.domain.vocabulary import MemberStatus, PartnershipKind, PartnershipStatus, Role
from circles.persistence.db import UnitOfWork
from circles.persistence.models import Circle, CircleMembership, Cohort, Facilitator, Member, Partnership
from circles.services.cohorts import settings_of
from circles.services.workspaces import find_workspace


@dataclass(frozen=True)
class CohortStatus:
    slug: str
    name: str
    role: Role
    status: MemberStatus
    paused_until: datetime | None
    circle_name: str | None
    circle_conversation: str | None
    partner_user_id: str | None
    partner_kind: PartnershipKind | None
    next_prompt: datetime | None
    next_checkin: datetime | None
    partnership_id: int | None = None
    partnership_status: PartnershipStatus | None = None


@dataclass(frozen=True)
class RunCohort:
    """A cohort someone facilitates, with head counts by role and status."""

    slug: str
    name: str
    counts: Counter[tuple[Role, MemberStatus]] = field(default_factory=Counter)

    def active(self, role: Role) -> int:
        return self.counts[(role, MemberStatus.ACTIVE)]


def my_status(uow: UnitOfWork, team_id: str, user_id: str, now: datetime) -> list[CohortStatus]:
    """Every cohort the person has not left, with their circle, partner and next dates."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return []
        rows = uow.session.execute(
            select(Member, Cohort)
            .join(Cohort, Cohort.id == Member.cohort_id)
            .where(
                Member.workspace_id == workspace.id,
                Member.slack_user_id == user_id,
                Member.status != MemberStatus.LEFT,
                Cohort.archived_at.is_(None),
            )
            .order_by(Cohort.name)
        ).all()
        return [_status(uow.session, member, cohort, now) for member, cohort in rows]


def cohorts_run_by(uow: UnitOfWork, team_id: str, user_id: str) -> list[RunCohort]:
    """The cohorts this person facilitates, with their members counted in one grouped query."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return []
        cohorts = uow.session.execute(
            select(Cohort.id, Cohort.slug, Cohort.name)
            .join(Facilitator, Facilitator.cohort_id == Cohort.id)
            .where(Cohort.workspace_id == workspace.id, Facilitator.slack_user_id == user_id)
            .where(Cohort.archived_at.is_(None))
            .order_by(Cohort.name)
        ).all()
        ids = [cohort_id for cohort_id, _, _ in cohorts]
        counts = uow.session.execute(
            select(Member.cohort_id, Member.role, Member.status, func.count())
            .where(Member.cohort_id.in_(ids))
            .group_by(Member.cohort_id, Member.role, Member.status)
        ).all()
        result = {cohort_id: RunCohort(slug, name) for cohort_id, slug, name in cohorts}
        for cohort_id, role, status, count in counts:
            result[cohort_id].counts[(role, status)] = count
        return list(result.values())


def cadence_of(cohort: Cohort) -> Cadence:
    settings = settings_of(cohort)
    return Cadence(
        settings.prompt_weekday,
        settings.prompt_local_time,
        settings.timezone,
        settings.checkin_every_weeks,
        settings.starts_on,
        settings.ends_on,
        anchor=cohort.created_at.date(),
    )


def _status(session: Session, member: Member, cohort: Cohort, now: datetime) -> CohortStatus:
    circle = session.execute(
        select(Circle.name, Circle.conversation_id)
        .join(CircleMembership, CircleMembership.circle_id == Circle.id)
        .where(CircleMembership.member_id == member.id, Circle.dissolved_at.is_(None))
        .order_by(Circle.round.desc())
        .limit(1)
    ).first()
    partnership = session.scalars(
        select(Partnership)
        .where(
            Partnership.status != PartnershipStatus.ENDED,
            or_(Partnership.first_member_id == member.id, Partnership.second_member_id == member.id),
        )
        .order_by(Partnership.started_at.desc())
        .limit(1)
    ).first()
    partner = None
    if partnership is not None:
        other_id = (
            partnership.second_member_id
            if partnership.first_member_id == member.id
            else partnership.first_member_id
        )
        partner = session.get_one(Member, other_id).slack_user_id
    cadence = cadence_of(cohort)
    active = member.status is MemberStatus.ACTIVE
    return CohortStatus(
        slug=cohort.slug,
        name=cohort.name,
        role=member.role,
        status=member.status,
        paused_until=member.paused_until,
        circle_name=circle[0] if circle else None,
        circle_conversation=circle[1] if circle else None,
        partner_user_id=partner,
        partner_kind=partnership.kind if partnership else None,
        next_prompt=next_prompt(cadence, now) if active else None,
        next_checkin=next_checkin(cadence, now) if active and partnership else None,
        partnership_id=partnership.id if partnership else None,
        partnership_status=partnership.status if partnership else None,
    )
