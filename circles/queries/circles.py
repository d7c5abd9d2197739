"""Circles and who is in them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.persistence.models import CircleMembership


def circle_member_ids(session: Session, circle_id: int) -> list[int]:
    """The member ids of a circle."""
    return list(
        session.scalars(select(CircleMembership.member_id).where(CircleMembership.circle_id == circle_id))
    )
