"""Questions about the circles someone leaves in the middle of a round: who is left in them, the prompts
planned for them and not sent yet, and where each of them meets."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from circles.domain.match_vocabulary import StepKind, StepStatus
from circles.domain.vocabulary import MeetingPlace, MemberStatus, OutboxStatus
from circles.persistence.models import (
    Circle,
    CircleMembership,
    CreationStep,
    MatchRun,
    Member,
    OutboxMessage,
)
from circles.queries.aliases import LATER_CIRCLE
from circles.queries.circles import seated_since_joining
from circles.queries.outbox.keys import key_starts_with


@dataclass(frozen=True)
class LeftBehind:
    """A circle of the latest round someone sat in, and who is still in it (paused or away included)."""

    circle_id: int
    name: str
    seated: datetime  # when the one leaving was seated in it
    remaining: tuple[str, ...]  # Slack user IDs, in order
    made: bool  # Slack made its conversation (its round's creation may still be on its way)


def left_behind(session: Session, member_id: int) -> list[LeftBehind]:
    """The circles of its cohort's latest round (the one that gets prompts) the membership sits in, not
    closed, with the members other than it who have not left: two statements."""
    later = LATER_CIRCLE
    latest = select(func.max(later.round)).where(later.cohort_id == Circle.cohort_id).scalar_subquery()
    mine = session.execute(
        select(Circle.id, Circle.name, CircleMembership.joined_at, Circle.conversation_id)
        .join(CircleMembership, CircleMembership.circle_id == Circle.id)
        .join(Member, Member.id == CircleMembership.member_id)
        .where(
            CircleMembership.member_id == member_id,
            Circle.dissolved_at.is_(None),
            Circle.round == latest,
            seated_since_joining(),
        )
        .order_by(Circle.id)
    ).all()
    if not mine:
        return []
    others = still_seated(session, [circle_id for circle_id, *_ in mine], but=member_id)
    return [
        LeftBehind(c, name, seated, tuple(others.get(c, [])), made is not None)
        for c, name, seated, made in mine
    ]


def still_seated(
    session: Session, circle_ids: Collection[int], but: int | None = None
) -> dict[int, list[str]]:
    """Who sits in each of these circles and has not left the cohort (paused or not), but the membership
    `but`: one statement. A dissolved circle has nobody."""
    if not circle_ids:
        return {}
    query = (
        select(CircleMembership.circle_id, Member.slack_user_id)
        .join(Member, Member.id == CircleMembership.member_id)
        .join(Circle, Circle.id == CircleMembership.circle_id)
        .where(
            CircleMembership.circle_id.in_(sorted(set(circle_ids))),
            Member.status != MemberStatus.LEFT,
            Circle.dissolved_at.is_(None),
            seated_since_joining(),
        )
        .order_by(CircleMembership.circle_id, Member.slack_user_id)
    )
    if but is not None:
        query = query.where(Member.id != but)
    found: dict[int, list[str]] = {}
    for circle_id, user_id in session.execute(query):
        found.setdefault(circle_id, []).append(user_id)
    return found


def planned_circle_prompts(session: Session, workspace_id: int, circle_id: int) -> list[int]:
    """The circle's prompts planned and not taken by a sender yet (keys circle_prompt:{circle}:{day})."""
    return list(
        session.scalars(
            select(OutboxMessage.id).where(
                OutboxMessage.workspace_id == workspace_id,
                OutboxMessage.status == OutboxStatus.PENDING,
                key_starts_with(f"circle_prompt:{circle_id}:"),
            )
        )
    )


def circle_places(
    session: Session, circle_ids: Collection[int], otherwise: MeetingPlace
) -> dict[int, MeetingPlace]:
    """Where each of these circles meets, as its conversation was made: a private channel's creation
    answers with the channel's name, a group DM's opening does not. A circle whose conversation no round
    made (or none yet) meets `otherwise`, where its cohort's circles meet now."""
    places = dict.fromkeys(circle_ids, otherwise)
    if not places:
        return places
    # Through the cohort's runs, so that the steps are found by their run's index, not by a scan.
    rows = session.execute(
        select(Circle.id, Circle.conversation_id, CreationStep.result)
        .join(MatchRun, MatchRun.cohort_id == Circle.cohort_id)
        .join(
            CreationStep,
            and_(
                CreationStep.run_id == MatchRun.id,
                CreationStep.kind == StepKind.CIRCLE_CONVERSATION,
                CreationStep.target_id == Circle.id,
            ),
        )
        .where(
            Circle.id.in_(sorted(places)),
            Circle.conversation_id.is_not(None),
            CreationStep.status == StepStatus.DONE,
        )
    )
    for circle_id, conversation, result in rows:
        if isinstance(result, dict) and result.get("channel") == conversation:
            private = "name" in result
            places[circle_id] = MeetingPlace.PRIVATE_CHANNEL if private else MeetingPlace.GROUP_DM
    return places
