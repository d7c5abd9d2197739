"""Circles: which circles of the latest round some memberships belong to."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from circles.persistence.models import Circle, CircleMembership


@dataclass(frozen=True)
class CircleOf:
    """One circle a membership belongs to."""

    member_id: int
    name: str
    conversation_id: str | None


def latest_circles_of(session: Session, member_ids: Collection[int]) -> list[CircleOf]:
    """The memberships' circles in their cohort's latest round (the round that gets prompts), by name."""
    if not member_ids:
        return []
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
    return [CircleOf(member_id, name, conversation_id) for member_id, name, conversation_id in rows]
