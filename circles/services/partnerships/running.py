"""Every running partnership and current circle of a set of memberships, each asked in one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from circles.domain.vocabulary import PartnershipKind, PartnershipStatus
from circles.persistence.models import Circle, CircleMembership, Member, Partnership

RUNNING = (PartnershipStatus.ACTIVE, PartnershipStatus.PAUSED)


@dataclass(frozen=True)
class PartnerStatus:
    """One running (active or paused) partnership, seen from one of its partners."""

    partnership_id: int
    partner_user_id: str
    kind: PartnershipKind
    status: PartnershipStatus
    started_at: datetime

    @property
    def paused(self) -> bool:
        return self.status is PartnershipStatus.PAUSED


@dataclass(frozen=True)
class CircleStatus:
    """A circle of the cohort's latest round that the member belongs to."""

    name: str
    conversation_id: str | None


def running_partners(session: Session, member_ids: Collection[int]) -> dict[int, list[PartnerStatus]]:
    """Each membership's active and paused partnerships with the other partner, oldest first."""
    if not member_ids:
        return {}
    ids = sorted(member_ids)
    other = aliased(Member)
    as_first = and_(Partnership.first_member_id.in_(ids), other.id == Partnership.second_member_id)
    as_second = and_(Partnership.second_member_id.in_(ids), other.id == Partnership.first_member_id)
    rows = session.execute(
        select(Partnership, other.id, other.slack_user_id)
        .join(other, or_(as_first, as_second))
        .where(Partnership.status.in_(RUNNING), other.workspace_id == Partnership.workspace_id)
        .order_by(Partnership.started_at, Partnership.id)
    ).all()
    found: dict[int, list[PartnerStatus]] = defaultdict(list)
    for pair, partner_id, partner_user_id in rows:
        # A pair never has one member twice, so the member is whichever side the partner is not.
        member_id = pair.first_member_id if partner_id == pair.second_member_id else pair.second_member_id
        partner = PartnerStatus(pair.id, partner_user_id, pair.kind, pair.status, pair.started_at)
        found[member_id].append(partner)
    return dict(found)


def current_circles(session: Session, member_ids: Collection[int]) -> dict[int, list[CircleStatus]]:
    """Each membership's circles in its cohort's latest round (the round that gets prompts)."""
    if not member_ids:
        return {}
    later = aliased(Circle)
    latest_round = (
        select(func.max(later.round))
        .where(later.cohort_id == Circle.cohort_id, later.dissolved_at.is_(None))
        .scalar_subquery()
    )
    rows = session.execute(
        select(CircleMembership.member_id, Circle.name, Circle.conversation_id)
        .join(Circle, Circle.id == CircleMembership.circle_id)
        .where(
            CircleMembership.member_id.in_(sorted(member_ids)),
            Circle.dissolved_at.is_(None),
            Circle.round == latest_round,
        )
        .order_by(Circle.name, Circle.id)
    ).all()
    found: dict[int, list[CircleStatus]] = defaultdict(list)
    for member_id, name, conversation_id in rows:
        found[member_id].append(CircleStatus(name, conversation_id))
    return dict(found)
