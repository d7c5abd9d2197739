"""The planner's regular rows already written for some cohorts: their circles' prompts, their running pairs'
check-ins and pair prompts, their guides' session ideas, read by the planner when it plans a cohort again
from scratch (circles.domain.planning.cycles).

One statement for every cohort asked about: each circle, pair or guide of theirs reads its own keys as a range
of the unique (workspace, key) index (`keys.py`), never a walk of the workspace's outbox.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, cast, literal, select, union_all
from sqlalchemy.orm import Session

from circles.domain.vocabulary import GUIDE_ROLES, OutboxStatus, PartnershipStatus
from circles.persistence.models import Circle, Member, OutboxMessage, Partnership

# A key's target ends at a colon: every key under `kind:{id}:` lies below `kind:{id};` (";" follows ":").
AFTER_TARGET, PAST_TARGET = ":", ";"


def planned_rows(
    session: Session, cohort_ids: Collection[int], since: datetime
) -> dict[int, list[tuple[str, OutboxStatus]]]:
    """By cohort, the (key, status) of the rows due from `since` on under `circle_prompt:{circle}:`,
    `checkin:{pair}:`, `pair_prompt:{pair}:` and `coach_idea:{guide}:`, for the cohorts' circles not
    dissolved, active pairs and guides."""
    ids = sorted(set(cohort_ids))
    if not ids:
        return {}
    circles = (Circle.id, Circle.workspace_id, Circle.cohort_id, Circle.dissolved_at.is_(None))
    pairs = (
        Partnership.id,
        Partnership.workspace_id,
        Partnership.cohort_id,
        Partnership.status == PartnershipStatus.ACTIVE,
    )
    guides = (Member.id, Member.workspace_id, Member.cohort_id, Member.role.in_(GUIDE_ROLES))
    parts = [
        _under("circle_prompt", circles, ids, since),
        _under("checkin", pairs, ids, since),
        _under("pair_prompt", pairs, ids, since),
        _under("coach_idea", guides, ids, since),
    ]
    found: dict[int, list[tuple[str, OutboxStatus]]] = {}
    for cohort_id, key, status in session.execute(union_all(*parts)):
        found.setdefault(cohort_id, []).append((key, OutboxStatus(status)))
    return found


def _under(
    kind: str, target: tuple[Any, Any, Any, ColumnElement[bool]], ids: list[int], since: datetime
) -> Select[Any]:
    """The rows under `kind:{id}:` of each target of these cohorts: (cohort, key, status)."""
    target_id, workspace_id, cohort_id, wanted = target
    prefix = literal(f"{kind}:") + cast(target_id, String)
    key = OutboxMessage.idempotency_key
    return (
        select(cohort_id, key, OutboxMessage.status)
        .join(
            OutboxMessage,
            and_(
                OutboxMessage.workspace_id == workspace_id,
                key >= prefix + AFTER_TARGET,
                key < prefix + PAST_TARGET,
            ),
        )
        .where(cohort_id.in_(ids), wanted, OutboxMessage.due_at >= since)
    )
