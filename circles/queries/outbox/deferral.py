"""What holding messages back asks: circles' members and pairs' partners, the unsent messages of some
people, what went since, superseding."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, tuple_, update
from sqlalchemy.orm import Session

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import Circle, CircleMembership, Member, OutboxMessage, Partnership
from circles.queries.circles import seated_since_joining
from circles.queries.members.person import taking_part_at
from circles.queries.outbox.claims import scrub
from circles.queries.outbox.keys import key_starts_with

Person = tuple[int, str]  # (workspace_id, Slack user ID)


def circle_members(session: Session, circle_ids: Collection[int], now: datetime) -> dict[int, list[Person]]:
    """The members of each of these circles taking part at `now`, in one query (a dissolved circle has
    none)."""
    return {circle_id: people for circle_id, (_, people) in seated(session, circle_ids, now).items()}


def seated(
    session: Session, circle_ids: Collection[int], now: datetime
) -> dict[int, tuple[int, list[Person]]]:
    """The cohort and the members taking part at `now` (`taking_part`) of each of these circles, in one
    query (a dissolved circle has no members, and a seat taken before its member last joined the cohort is
    theirs no more: leaving took them out, coming back did not put them back)."""
    if not circle_ids:
        return {}
    found: dict[int, tuple[int, list[Person]]] = {}
    rows = session.execute(
        select(CircleMembership.circle_id, Member.workspace_id, Member.slack_user_id, Circle.cohort_id)
        .join(Member, Member.id == CircleMembership.member_id)
        .join(Circle, Circle.id == CircleMembership.circle_id)
        .where(
            CircleMembership.circle_id.in_(sorted(set(circle_ids))),
            taking_part_at(Member, now),
            seated_since_joining(),
            Circle.dissolved_at.is_(None),
        )
        .order_by(CircleMembership.circle_id, Member.slack_user_id)
    )
    for circle_id, workspace_id, user_id, cohort_id in rows:
        found.setdefault(circle_id, (cohort_id, []))[1].append((workspace_id, user_id))
    return found


def paired(session: Session, pair_ids: Collection[int], now: datetime) -> dict[int, tuple[int, list[Person]]]:
    """The cohort and the partners taking part at `now` of each of these pairs, in one query."""
    if not pair_ids:
        return {}
    found: dict[int, tuple[int, list[Person]]] = {}
    partner = or_(Member.id == Partnership.first_member_id, Member.id == Partnership.second_member_id)
    rows = session.execute(
        select(Partnership.id, Partnership.cohort_id, Member.workspace_id, Member.slack_user_id)
        .join(Member, partner)
        .where(Partnership.id.in_(sorted(set(pair_ids))), taking_part_at(Member, now))
        .order_by(Partnership.id, Member.slack_user_id)
    )
    for pair_id, cohort_id, workspace_id, user_id in rows:
        found.setdefault(pair_id, (cohort_id, []))[1].append((workspace_id, user_id))
    return found


def lock_waiting(
    session: Session, conversations: Collection[tuple[int, str]], leaving_out: Collection[int]
) -> list[OutboxMessage]:
    """The pending rows of these (workspace, channel) pairs, other than `leaving_out`, in one query; rows
    another dispatcher holds are skipped (it decides about them)."""
    if not conversations:
        return []
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            tuple_(OutboxMessage.workspace_id, OutboxMessage.channel).in_(sorted(set(conversations))),
        )
        .order_by(OutboxMessage.id)
        .with_for_update(skip_locked=True, key_share=True)
    )
    if leaving_out:
        query = query.where(OutboxMessage.id.not_in(sorted(set(leaving_out))))
    return list(session.scalars(query))


def went_since(
    session: Session,
    conversations: Collection[tuple[int, str]],
    prefix: str,
    since: datetime,
    leaving_out: Collection[int],
) -> list[OutboxMessage]:
    """The rows of these (workspace, channel) pairs whose key starts with `prefix`, sent or being sent, that
    were due at or after `since` (when they went, once held), other than `leaving_out`: one range scan of the
    status and due time's index."""
    if not conversations:
        return []
    query = select(OutboxMessage).where(
        OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.CLAIMED]),
        OutboxMessage.due_at >= since,
        tuple_(OutboxMessage.workspace_id, OutboxMessage.channel).in_(sorted(set(conversations))),
        key_starts_with(prefix),
    )
    if leaving_out:
        query = query.where(OutboxMessage.id.not_in(sorted(set(leaving_out))))
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def supersede(session: Session, message_ids: Collection[int]) -> list[dict[str, Any]]:
    """Mark these unsent rows superseded in one statement, and drop the words of the private ones in one per
    kind; returns their payloads."""
    if not message_ids:
        return []
    replaced = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(sorted(set(message_ids))),
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED]),
        )
        .values(status=OutboxStatus.SUPERSEDED, claimed_until=None)
        .returning(OutboxMessage.id, OutboxMessage.payload)
        .execution_options(synchronize_session=False)
    ).all()
    scrub(session, [(row_id, payload) for row_id, payload in replaced])  # never sent: no words kept
    return [payload for _, payload in replaced]


def next_digests(session: Session, people: Collection[Person]) -> dict[Person, datetime]:
    """When each of these people's next digest is due, where it is known (one query)."""
    if not people:
        return {}
    rows = session.execute(
        select(Member.workspace_id, Member.slack_user_id, func.min(Member.digest_due_at))
        .where(tuple_(Member.workspace_id, Member.slack_user_id).in_(sorted(set(people))))
        .group_by(Member.workspace_id, Member.slack_user_id)
    )
    return {(workspace_id, user_id): due for workspace_id, user_id, due in rows if due is not None}
