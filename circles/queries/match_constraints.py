"""Who must never be grouped or paired: members' own blocks and the conflicts facilitators record."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from circles.domain.match_vocabulary import ConstraintKind
from circles.persistence.models import MatchConstraint


def blocked_by(session: Session, workspace_id: int, user_id: str) -> list[str]:
    """The people this person asked, themselves, never to be matched with, sorted."""
    return sorted(session.scalars(select(MatchConstraint.other_user_id).where(*_own(workspace_id, user_id))))


def clear_own_blocks(session: Session, workspace_id: int, user_id: str) -> None:
    """Forget every block this person set themselves; facilitators' conflicts stay."""
    session.execute(delete(MatchConstraint).where(*_own(workspace_id, user_id)))


def has_constraint(session: Session, workspace_id: int, one: str, other: str, kind: ConstraintKind) -> bool:
    """Whether this constraint, in this direction, is already recorded."""
    query = select(MatchConstraint.id).where(
        MatchConstraint.workspace_id == workspace_id,
        MatchConstraint.slack_user_id == one,
        MatchConstraint.other_user_id == other,
        MatchConstraint.kind == kind,
    )
    return session.scalars(query).first() is not None


def constrained_pairs(
    session: Session, workspace_id: int, user_ids: Collection[str]
) -> list[tuple[str, str]]:
    """Every constraint, of any kind, that names one of these people on either side, as (one, other)."""
    users = list(user_ids)
    rows = session.execute(
        select(MatchConstraint.slack_user_id, MatchConstraint.other_user_id).where(
            MatchConstraint.workspace_id == workspace_id,
            or_(MatchConstraint.slack_user_id.in_(users), MatchConstraint.other_user_id.in_(users)),
        )
    )
    return [(one, other) for one, other in rows]


def _own(workspace_id: int, user_id: str) -> tuple[ColumnElement[bool], ...]:
    return (
        MatchConstraint.workspace_id == workspace_id,
        MatchConstraint.slack_user_id == user_id,
        MatchConstraint.kind == ConstraintKind.NEVER,
        MatchConstraint.set_by == user_id,
    )
