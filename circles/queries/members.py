"""Questions about a cohort's members and the profiles that go with them."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import MemberStatus
from circles.persistence.models import Member, Profile


def active_members_with_profiles(session: Session, cohort_id: int) -> list[tuple[Member, Profile | None]]:
    """The cohort's active members by id, each with their workspace profile when they have one."""
    rows = session.execute(
        select(Member, Profile)
        .outerjoin(
            Profile,
            (Profile.workspace_id == Member.workspace_id) & (Profile.slack_user_id == Member.slack_user_id),
        )
        .where(Member.cohort_id == cohort_id, Member.status == MemberStatus.ACTIVE)
        .order_by(Member.id)
    ).all()
    return [(member, profile) for member, profile in rows]


def cohort_members(session: Session, cohort_id: int) -> list[Member]:
    """Every member the cohort ever had, whatever their status."""
    return list(session.scalars(select(Member).where(Member.cohort_id == cohort_id)))


def user_ids_by_member(session: Session, workspace_id: int, cohort_id: int) -> dict[int, str]:
    """Each member of the cohort, whatever their status, and their Slack user ID."""
    rows = session.execute(
        select(Member.id, Member.slack_user_id).where(
            Member.workspace_id == workspace_id, Member.cohort_id == cohort_id
        )
    )
    return {member_id: user_id for member_id, user_id in rows}


def profiles_by_user(session: Session, workspace_id: int, user_ids: Collection[str]) -> dict[str, Profile]:
    """The workspace profiles of these people, by Slack user ID; nobody without one is listed."""
    query = select(Profile).where(
        Profile.workspace_id == workspace_id, Profile.slack_user_id.in_(list(user_ids))
    )
    return {profile.slack_user_id: profile for profile in session.scalars(query)}
