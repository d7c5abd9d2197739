"""Questions about circles: a cohort's rounds so far, who sat together, who is in a circle, the circles of
some memberships; and the statements that add a circle and seat its members."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from circles.domain.vocabulary import MemberStatus
from circles.persistence.models import Circle, CircleMembership, Cohort, Member
from circles.queries.aliases import FELLOW, FELLOW_SEAT, LATER_CIRCLE


class Seat(NamedTuple):
    """One member's place in one circle."""

    circle_id: int
    circle_name: str
    member_id: int


def members_by_circle(
    session: Session, cohort_id: int, after_round: int | None = None
) -> list[tuple[int, list[int]]]:
    """Every circle of the cohort (only those of rounds after `after_round`, if given): its round and its
    members, in one query."""
    query = (
        select(CircleMembership.circle_id, Circle.round, CircleMembership.member_id)
        .join(Circle, Circle.id == CircleMembership.circle_id)
        .where(Circle.cohort_id == cohort_id)
    )
    if after_round is not None:
        query = query.where(Circle.round > after_round)
    groups: dict[int, tuple[int, list[int]]] = {}
    for circle_id, round_number, member_id in session.execute(query):
        groups.setdefault(circle_id, (round_number, []))[1].append(member_id)
    return list(groups.values())


def round_seats(session: Session, cohort_id: int, round_number: int) -> list[Seat]:
    """Who sits in which circle of one round, members who left or paused included; a seat taken before
    its member left and came back is not theirs any more (leaving took them out of the circle), and a
    circle closed since (Slack lost its conversation) seats nobody."""
    rows = session.execute(
        select(Circle.id, Circle.name, CircleMembership.member_id)
        .join(CircleMembership, CircleMembership.circle_id == Circle.id)
        .join(Member, Member.id == CircleMembership.member_id)
        .where(
            Circle.cohort_id == cohort_id,
            Circle.round == round_number,
            Circle.dissolved_at.is_(None),
            CircleMembership.joined_at >= Member.joined_at,
        )
    )
    return [Seat(circle_id, name, member_id) for circle_id, name, member_id in rows]


@dataclass(frozen=True)
class CircleOf:
    """One circle a membership belongs to."""

    member_id: int
    name: str
    conversation_id: str | None
    seated: int = 0  # its members who have not left the cohort, as `circle_size.meets` counts them


def latest_circles_of(session: Session, member_ids: Collection[int]) -> list[CircleOf]:
    """The memberships' circles in their cohort's latest round (the round that gets prompts), by name, each
    with how many of its members have not left (a circle down to one gets no prompts)."""
    if not member_ids:
        return []
    later, seat, fellow = LATER_CIRCLE, FELLOW_SEAT, FELLOW
    latest_round = (
        select(func.max(later.round))
        .where(later.cohort_id == Circle.cohort_id)  # a dissolved circle leaves its round the latest
        .scalar_subquery()
    )
    seated = (
        select(func.count(seat.id))
        .join(fellow, fellow.id == seat.member_id)
        .where(
            seat.circle_id == Circle.id,
            fellow.status != MemberStatus.LEFT,
            seat.joined_at >= fellow.joined_at,  # as `seated_since_joining`
        )
        .scalar_subquery()
    )
    rows = session.execute(
        select(CircleMembership.member_id, Circle.name, Circle.conversation_id, seated)
        .join(Circle, Circle.id == CircleMembership.circle_id)
        .join(Member, Member.id == CircleMembership.member_id)
        .where(
            CircleMembership.member_id.in_(sorted(member_ids)),
            Circle.dissolved_at.is_(None),
            Circle.round == latest_round,
            seated_since_joining(),
        )
        .order_by(Circle.name, Circle.id)
    ).all()
    return [CircleOf(member_id, name, conversation, count) for member_id, name, conversation, count in rows]


def circle_member_ids(session: Session, circle_id: int) -> list[int]:
    """The member ids of a circle, without those who left it (and perhaps came back to the cohort since)
    and were not seated in it again."""
    return list(
        session.scalars(
            select(CircleMembership.member_id)
            .join(Member, Member.id == CircleMembership.member_id)
            .where(CircleMembership.circle_id == circle_id, seated_since_joining())
        )
    )


def seated_since_joining() -> ColumnElement[bool]:
    """A seat still its member's: taken since they (last) joined the cohort. Leaving takes someone out of
    their circles; coming back does not put them back, a re-match does (`seat_again`)."""
    return CircleMembership.joined_at >= Member.joined_at


def add_circle(session: Session, cohort: Cohort, round_number: int, name: str, now: datetime) -> Circle:
    """A new circle of the cohort's round, flushed so that its id is known."""
    return add_circles(session, cohort, round_number, [name], now)[0]


def add_circles(
    session: Session, cohort: Cohort, round_number: int, names: Sequence[str], now: datetime
) -> list[Circle]:
    """New circles of the cohort's round, flushed together so that their ids are known."""
    workspace, cohort_id = cohort.workspace_id, cohort.id
    rows = [
        Circle(workspace_id=workspace, cohort_id=cohort_id, round=round_number, name=name, created_at=now)
        for name in names
    ]
    session.add_all(rows)
    session.flush()
    return rows


def seat(session: Session, workspace_id: int, circle_id: int, member_id: int, now: datetime) -> None:
    """Put a member in a circle from `now`."""
    session.add(
        CircleMembership(workspace_id=workspace_id, circle_id=circle_id, member_id=member_id, joined_at=now)
    )


def seat_again(session: Session, workspace_id: int, circle_id: int, member_id: int, now: datetime) -> None:
    """Put a member in a circle from `now`, in the place they had before leaving and coming back if so."""
    sat = session.execute(
        update(CircleMembership)
        .where(CircleMembership.circle_id == circle_id, CircleMembership.member_id == member_id)
        .values(joined_at=now)
        .execution_options(synchronize_session=False)
    )
    if not sat.rowcount:  # type: ignore[attr-defined]
        seat(session, workspace_id, circle_id, member_id, now)


def conversations_of(session: Session, member_id: int) -> list[tuple[int, str, datetime]]:
    """Each circle of any round the membership sits in that has a conversation: (id, conversation, when they
    were last seated in it). A seat no longer theirs is left out: they left it before (and were taken out
    then), or Slack never let them into its conversation (`circles_unmade.unseat`)."""
    rows = session.execute(
        select(Circle.id, Circle.conversation_id, CircleMembership.joined_at)
        .join(CircleMembership, CircleMembership.circle_id == Circle.id)
        .join(Member, Member.id == CircleMembership.member_id)
        .where(
            CircleMembership.member_id == member_id,
            Circle.conversation_id.is_not(None),
            seated_since_joining(),
        )
        .order_by(Circle.id)
    )
    return [(circle_id, str(conversation), seated) for circle_id, conversation, seated in rows]


def live_circles_in(session: Session, workspace_id: int, conversation_id: str) -> list[Circle]:
    """The workspace's circles not dissolved that meet in this conversation, locked."""
    return list(
        session.scalars(
            select(Circle)
            .where(
                Circle.workspace_id == workspace_id,
                Circle.conversation_id == conversation_id,
                Circle.dissolved_at.is_(None),
            )
            .order_by(Circle.id)
            .with_for_update()
        )
    )
