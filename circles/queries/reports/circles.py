"""A cohort's circles for its report: members counted by status, due prompts counted by how they went."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import String, cast, func, literal, select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import MemberStatus, OutboxStatus
from circles.persistence.models import Circle, CircleMembership, Member, OutboxMessage
from circles.queries.reports.facts import CircleFact

# How the planner keys circle prompts (circles.domain.planning): "circle_prompt:<circle id>:<day>".
PROMPT_KEY = "circle_prompt:"


def circles(session: Session, workspace_id: int, cohort_id: int, now: datetime) -> list[CircleFact]:
    """Each circle by round: when it formed, its members by status now, and its prompts due by now."""
    found = session.execute(
        select(Circle.id, Circle.name, Circle.round, Circle.created_at, Circle.dissolved_at)
        .where(Circle.workspace_id == workspace_id, Circle.cohort_id == cohort_id)
        .order_by(Circle.round, Circle.id)
    ).all()
    people = Counter[tuple[int, MemberStatus]]()
    for circle_id, status, count in session.execute(
        select(CircleMembership.circle_id, Member.status, func.count())
        .join(Member, Member.id == CircleMembership.member_id)
        .join(Circle, Circle.id == CircleMembership.circle_id)
        .where(
            Circle.workspace_id == workspace_id,
            Circle.cohort_id == cohort_id,
            CircleMembership.workspace_id == workspace_id,
        )
        .group_by(CircleMembership.circle_id, Member.status)
    ):
        people[circle_id, status] = count
    prompts = Counter[tuple[int, OutboxStatus]]()
    # A circle's prompts are the outbox rows planned for its conversation under its own key, due by now.
    for circle_id, sending, count in session.execute(
        select(Circle.id, OutboxMessage.status, func.count())
        .join(
            OutboxMessage,
            (OutboxMessage.workspace_id == Circle.workspace_id)
            & (OutboxMessage.channel == Circle.conversation_id)
            & OutboxMessage.idempotency_key.startswith(literal(PROMPT_KEY) + cast(Circle.id, String) + ":"),
        )
        .where(
            Circle.workspace_id == workspace_id,
            Circle.cohort_id == cohort_id,
            OutboxMessage.due_at <= now,
        )
        .group_by(Circle.id, OutboxMessage.status)
    ):
        prompts[circle_id, sending] = count
    return [
        CircleFact(
            name,
            round_number,
            created_at,
            dissolved_at,
            {status: people[circle_id, status] for status in MemberStatus},
            {status: prompts[circle_id, status] for status in OutboxStatus},
        )
        for circle_id, name, round_number, created_at, dissolved_at in found
    ]
