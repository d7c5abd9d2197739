"""Profiles: what a person wrote about themselves, and the capacity a guide offers."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.persistence.models import Profile
from circles.queries.inserts import insert_ignoring_duplicates, table_of


def find_profile(session: Session, workspace_id: int, user_id: str) -> Profile | None:
    query = select(Profile).where(Profile.workspace_id == workspace_id, Profile.slack_user_id == user_id)
    return session.scalars(query).one_or_none()


def hold_profile(session: Session, workspace_id: int, user_id: str, now: datetime) -> Profile:
    """The person's profile, made for them if they have none yet, locked until the caller commits: two first
    saves at once (the profile form twice, or with their hours or digest days) take turns on one row instead
    of the later one failing on the unique key, and each changes the row as the other left it."""
    held = (
        select(Profile)
        .where(Profile.workspace_id == workspace_id, Profile.slack_user_id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)  # as committed when the lock was granted
    )
    profile = session.scalars(held).one_or_none()
    if profile is None:
        session.execute(
            insert_ignoring_duplicates(session, table_of(Profile)).values(
                workspace_id=workspace_id, slack_user_id=user_id, updated_at=now
            )
        )
        profile = session.scalars(held).one()
    return profile


def capacity_of(session: Session, workspace_id: int, user_id: str, *, lock: bool = False) -> int | None:
    """The partners this person offers to take (None: not said yet, or no profile); with lock, hold their
    profile row."""
    query = select(Profile.capacity).where(
        Profile.workspace_id == workspace_id, Profile.slack_user_id == user_id
    )
    return session.scalars(query.with_for_update() if lock else query).first()


def capacities(session: Session, workspace_id: int, user_ids: Collection[str]) -> dict[str, int | None]:
    """The partners each of these people offers to take, by Slack user ID: one query for any number (None,
    or no entry for someone without a profile: not said yet)."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(Profile.slack_user_id, Profile.capacity).where(
            Profile.workspace_id == workspace_id, Profile.slack_user_id.in_(sorted(set(user_ids)))
        )
    )
    return {user_id: capacity for user_id, capacity in rows}


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
