"""Questions about a cohort's circles: its rounds so far and who sat together."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from circles.persistence.models import Circle, CircleMembership


class Seat(NamedTuple):
    """One member's place in one circle."""

    circle_id: int
    circle_name: str
    member_id: int


def last_round(session: Session, cohort_id: int) -> int:
    """The highest round any circle of the cohort was formed in; 0 before the first."""
    return session.scalar(select(func.max(Circle.round)).where(Circle.cohort_id == cohort_id)) or 0


def members_by_circle(
    session: Session, cohort_id: int, after_round: int | None = None
) -> dict[int, list[int]]:
    """Every circle of the cohort (only those of rounds after `after_round`, if given) and its members."""
    query = (
        select(CircleMembership.circle_id, CircleMembership.member_id)
        .join(Circle, Circle.id == CircleMembership.circle_id)
        .where(Circle.cohort_id == cohort_id)
    )
    if after_round is not None:
        query = query.where(Circle.round > after_round)
    groups: dict[int, list[int]] = {}
    for circle_id, member_id in session.execute(query):
        groups.setdefault(circle_id, []).append(member_id)
    return groups


def round_seats(session: Session, cohort_id: int, round_number: int) -> list[Seat]:
    """Who sits in which circle of one round, members who left or paused included."""
    rows = session.execute(
        select(Circle.id, Circle.name, CircleMembership.member_id)
        .join(CircleMembership, CircleMembership.circle_id == Circle.id)
        .where(Circle.cohort_id == cohort_id, Circle.round == round_number)
    )
    return [Seat(circle_id, name, member_id) for circle_id, name, member_id in rows]
