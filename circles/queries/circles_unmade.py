"""Statements about circles a round could not make whole: closing those whose conversation holds none of
their people, and taking someone Slack would not let in out of their seat."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import Select, String, and_, cast, literal, or_, select, update
from sqlalchemy.orm import Session

from circles.domain.match_vocabulary import StepKind, StepStatus
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import Circle, CircleMembership, CreationStep, Member, OutboxMessage
from circles.queries.circles import seated_since_joining
from circles.queries.ids import chunks

# How much earlier than its member's joining a seat given up is dated: no longer theirs, as a seat left is.
GIVEN_UP = timedelta(seconds=1)


def close_unmade_circles(session: Session, run_id: int, now: datetime) -> list[tuple[int, str | None]]:
    """Close the circles of this round whose conversation Slack never made (the step gave up for good), and
    those whose channel it made but whose invitation failed outright (nobody of theirs is in it): a circle
    closed seats nobody, so a re-match can place its members. One statement; the circles closed, each with
    its conversation (None: never made)."""
    never_made, nobody_in = (
        _steps(run_id, StepKind.CIRCLE_CONVERSATION),
        _steps(run_id, StepKind.CIRCLE_INVITE),
    )
    made = _steps(run_id, StepKind.CIRCLE_CONVERSATION, StepStatus.DONE)
    closed = session.execute(
        update(Circle)
        .where(
            or_(
                and_(Circle.id.in_(never_made), Circle.conversation_id.is_(None)),
                and_(Circle.id.in_(nobody_in), Circle.id.in_(made)),
            ),
            Circle.dissolved_at.is_(None),
        )
        .values(dissolved_at=now)
        .returning(Circle.id, Circle.conversation_id)
        .execution_options(synchronize_session=False)
    )
    return sorted((circle_id, conversation) for circle_id, conversation in closed)


def _steps(run_id: int, kind: StepKind, status: StepStatus = StepStatus.FAILED) -> Select[int]:
    """The circles of the round with a step of this kind in this state."""
    return select(CreationStep.target_id).where(
        CreationStep.run_id == run_id, CreationStep.kind == kind, CreationStep.status == status
    )


def unseat(
    session: Session, circle_id: int, *, users: Collection[str] = (), members: Collection[int] = ()
) -> list[int]:
    """Take these people (by Slack user, or by membership) out of the circle as leaving takes someone out:
    the seat is dated before their joining, so it is no longer theirs (`seated_since_joining`) for status,
    planning, a re-match or a later leave, and a re-match seats them again (`seat_again`). The membership
    ids unseated."""
    seats = session.execute(
        select(CircleMembership, Member.joined_at)
        .join(Member, Member.id == CircleMembership.member_id)
        .where(
            CircleMembership.circle_id == circle_id,
            or_(Member.slack_user_id.in_(sorted(users)), Member.id.in_(sorted(members))),
            seated_since_joining(),
        )
        .order_by(CircleMembership.id)
    ).all()
    for seat, joined in seats:
        seat.joined_at = joined - GIVEN_UP
    return [seat.member_id for seat, _ in seats]


def made_by_run(session: Session, run_id: int, circle_id: int) -> bool:
    """Whether this round made the circle's conversation (else it brings people into one made before)."""
    made = _steps(run_id, StepKind.CIRCLE_CONVERSATION, StepStatus.DONE)
    return session.scalar(made.where(CreationStep.target_id == circle_id).limit(1)) is not None


def planned_prompts_of(session: Session, workspace_id: int, circle_ids: Collection[int]) -> list[int]:
    """The prompts planned for these circles and not taken by a sender yet (keys circle_prompt:{circle}:…),
    each circle's read as a range of the outbox's (workspace, key) index; one statement per chunk of ids."""
    prefix = literal("circle_prompt:") + cast(Circle.id, String)
    key = OutboxMessage.idempotency_key
    found: list[int] = []
    for chunk in chunks(sorted(set(circle_ids))):
        found += session.scalars(
            select(OutboxMessage.id)
            .select_from(Circle)
            .join(
                OutboxMessage,
                and_(
                    OutboxMessage.workspace_id == workspace_id,
                    key >= prefix + ":",  # every key under `circle_prompt:{id}:` sorts below `…{id};`
                    key < prefix + ";",
                ),
            )
            .where(Circle.id.in_(chunk), OutboxMessage.status == OutboxStatus.PENDING)
        )
    return found
