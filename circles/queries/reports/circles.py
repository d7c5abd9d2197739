"""Cohorts' circles for their reports, as of an instant: members counted by status, due prompts counted by how
they went."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import case, literal, select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import MemberStatus, OutboxStatus
from circles.persistence.models import Circle, CircleMembership, Member, OutboxMessage
from circles.queries.members.person import status_at
from circles.queries.outbox.keys import key_starts_with
from circles.queries.reports.cohort import ByCohort, by_cohort
from circles.queries.reports.facts import CircleFact, MemberFact

# How the planner keys circle prompts (circles.domain.planning): "circle_prompt:<circle id>:<day>".
PROMPT_KEY = "circle_prompt:"


def circles(
    session: Session, workspace_id: int, cohort_ids: Collection[int], now: datetime
) -> ByCohort[CircleFact]:
    """Each cohort's circles formed by `now`, by round, as they stood then: dissolved only if by then, its
    members seated by then by their status then (`MemberFact.as_of`) and who of them was active, its prompts
    due by then, one sent later still waiting then."""
    ids = list(cohort_ids)
    ours = Circle.workspace_id == workspace_id, Circle.cohort_id.in_(ids), Circle.created_at <= now
    found = session.execute(
        select(
            Circle.cohort_id,
            Circle.id,
            Circle.name,
            Circle.round,
            Circle.created_at,
            Circle.dissolved_at,
            Circle.conversation_id,
        )
        .where(*ours)
        .order_by(Circle.round, Circle.id)
    ).all()
    people = Counter[tuple[int, MemberStatus]]()
    active = defaultdict[int, set[int]](set)
    for row in session.execute(
        select(
            CircleMembership.circle_id,
            CircleMembership.member_id,
            Member.role,
            status_at(Member, now),  # a dated pause that ran out counts as active
            Member.joined_at,
            Member.left_at,
            Member.earlier_stints,
            Member.pauses,
            Member.paused_until,
        )
        .join(Member, Member.id == CircleMembership.member_id)
        .join(Circle, Circle.id == CircleMembership.circle_id)
        .where(*ours, CircleMembership.workspace_id == workspace_id, CircleMembership.joined_at <= now)
    ):
        then = MemberFact(*row[2:]).as_of(now)
        if then is not None:
            people[row[0], then.status] += 1
            if then.status is MemberStatus.ACTIVE:
                active[row[0]].add(row[1])
    prompts = Counter[tuple[int, OutboxStatus]]()
    conversations = {row.id: row.conversation_id for row in found}
    # A circle's prompts are the outbox rows planned for its conversation under its own key, due by now. They
    # are read by their conversations and matched to their circle here: a join on a key built per circle can
    # use no index, and cost circles times every message the workspace ever had.
    theirs = select(Circle.conversation_id).where(*ours)
    sent_later = (OutboxMessage.status == OutboxStatus.SENT) & (OutboxMessage.sent_at > now)
    pending = literal(OutboxStatus.PENDING, OutboxMessage.status.type)
    sending_then = case((sent_later, pending), else_=OutboxMessage.status)
    for channel, key, sending in session.execute(
        select(OutboxMessage.channel, OutboxMessage.idempotency_key, sending_then).where(
            OutboxMessage.workspace_id == workspace_id,
            OutboxMessage.channel.in_(theirs),
            key_starts_with(PROMPT_KEY),
            OutboxMessage.due_at <= now,
        )
    ):
        circle = _circle_of(key)
        if circle is not None and conversations.get(circle) == channel:
            prompts[circle, sending] += 1
    return by_cohort(
        ids,
        (
            (
                cohort_id,
                CircleFact(
                    name,
                    round_number,
                    created_at,
                    dissolved_at if dissolved_at is not None and dissolved_at <= now else None,
                    {status: people[circle_id, status] for status in MemberStatus},
                    {status: prompts[circle_id, status] for status in OutboxStatus},
                    frozenset(active[circle_id]),
                ),
            )
            for cohort_id, circle_id, name, round_number, created_at, dissolved_at, _ in found
        ),
    )


def _circle_of(key: str) -> int | None:
    """The circle a prompt's key names ("circle_prompt:<circle id>:<day>"), if it is such a key."""
    number = key.removeprefix(PROMPT_KEY).split(":", 1)[0]
    return int(number) if key.startswith(PROMPT_KEY) and number.isdigit() else None
