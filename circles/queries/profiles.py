"""Profiles: what a person wrote about themselves, and the capacity a guide offers."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.persistence.models import Profile


def find_profile(session: Session, workspace_id: int, user_id: str) -> Profile | None:
    query = select(Profile).where(Profile.workspace_id == workspace_id, Profile.slack_user_id == user_id)
    return session.scalars(query).one_or_none()


def capacity_of(session: Session, workspace_id: int, user_id: str, *, lock: bool = False) -> int:
    """The partners this person offers to take (0 without a profile); with lock, hold their profile row."""
    query = select(Profile.capacity).where(
        Profile.workspace_id == workspace_id, Profile.slack_user_id == user_id
    )
    return session.scalars(query.with_for_update() if lock else query).first() or 0


def hold_profiles(session: Session, workspace_id: int, user_ids: Collection[str]) -> None:
    """Lock these people's profiles, in id order, until the caller commits: before their memberships and
    cohorts, as a round's confirmation or an accepted request holds a coach's profile before the cohort."""
    if user_ids:
        session.execute(
            select(Profile.id)
            .where(Profile.workspace_id == workspace_id, Profile.slack_user_id.in_(sorted(set(user_ids))))
            .order_by(Profile.id)
            .with_for_update()
        ).all()
