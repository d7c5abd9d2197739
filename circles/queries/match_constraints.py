"""Who must never be grouped or paired: members' own blocks and the conflicts facilitators record."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from circles.domain.match_vocabulary import ConstraintKind
from circles.persistence.models import MatchConstraint
from circles.queries.inserts import insert_ignoring_duplicates, table_of

PEOPLE_PER_STATEMENT = 20_000  # people a statement names, each twice (see constrained_pairs)


def blocked_by(session: Session, workspace_id: int, user_id: str) -> list[str]:
    """The people this person asked, themselves, never to be matched with, sorted."""
    return sorted(session.scalars(select(MatchConstraint.other_user_id).where(*_own(workspace_id, user_id))))


def clear_own_blocks(session: Session, workspace_id: int, user_id: str) -> None:
    """Forget every block this person set themselves; facilitators' conflicts stay."""
    session.execute(delete(MatchConstraint).where(*_own(workspace_id, user_id)))


def add_own_blocks(
    session: Session, workspace_id: int, user_id: str, others: Collection[str], now: datetime
) -> None:
    """Put these people on the person's own list, beside any conflict a facilitator recorded about them;
    someone on it already stays as they are."""
    _insert_once(
        session,
        [
            _row(workspace_id, user_id, other, ConstraintKind.NEVER, set_by=user_id, own=True, now=now)
            for other in others
        ],
    )


def add_conflict(
    session: Session,
    workspace_id: int,
    one: str,
    other: str,
    kind: ConstraintKind,
    *,
    set_by: str,
    now: datetime,
) -> None:
    """Record a facilitator's conflict apart from the members' own lists, once whoever records it again."""
    _insert_once(session, [_row(workspace_id, one, other, kind, set_by=set_by, own=False, now=now)])


def constrained_pairs(
    session: Session, workspace_id: int, user_ids: Collection[str]
) -> list[tuple[str, str]]:
    """Every constraint, of any kind, own block or facilitator's conflict, that names one of these people on
    either side, as (one, other), each once. A statement names PEOPLE_PER_STATEMENT of them at most: each
    is bound twice, and PostgreSQL takes 65,535 bound values a statement (a cohort's joins are not capped)."""
    users, found = sorted(user_ids), dict[tuple[str, str], None]()
    for start in range(0, len(users), PEOPLE_PER_STATEMENT):
        part = users[start : start + PEOPLE_PER_STATEMENT]
        rows = session.execute(
            select(MatchConstraint.slack_user_id, MatchConstraint.other_user_id).where(
                MatchConstraint.workspace_id == workspace_id,
                or_(MatchConstraint.slack_user_id.in_(part), MatchConstraint.other_user_id.in_(part)),
            )
        )
        found.update(((one, other), None) for one, other in rows)
    return list(found)


def kept_from(session: Session, workspace_id: int, user_id: str) -> set[str]:
    """Everyone never to be paired with this person: a facilitator's conflict or either's own list, either
    way; one statement."""
    return {
        one if other == user_id else other
        for one, other in constrained_pairs(session, workspace_id, [user_id])
    }


def _insert_once(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert_ignoring_duplicates(session, table_of(MatchConstraint)).values(rows))


def _row(
    workspace_id: int, one: str, other: str, kind: ConstraintKind, *, set_by: str, own: bool, now: datetime
) -> dict[str, Any]:
    return {
        "workspace_id": workspace_id,
        "slack_user_id": one,
        "other_user_id": other,
        "kind": kind,
        "set_by": set_by,
        "own": own,
        "created_at": now,
    }


def _own(workspace_id: int, user_id: str) -> tuple[ColumnElement[bool], ...]:
    return (
        MatchConstraint.workspace_id == workspace_id,
        MatchConstraint.slack_user_id == user_id,
        MatchConstraint.own.is_(True),
    )
