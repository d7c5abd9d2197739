"""Cohorts' members: who is in a cohort, its coaches and mentors, head counts by role and status, and the
profiles and Slack users behind members."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import GUIDE_ROLES, MemberStatus, Role
from circles.persistence.models import Member, Profile
from circles.queries.members.person import status_at, taking_part_at


def members_taking_part(
    session: Session, cohort_id: int, now: datetime
) -> list[tuple[Member, Profile | None]]:
    """The cohort's members taking part at `now` (`taking_part`) by id, each with their workspace profile
    when they have one."""
    rows = session.execute(
        select(Member, Profile)
        .outerjoin(
            Profile,
            (Profile.workspace_id == Member.workspace_id) & (Profile.slack_user_id == Member.slack_user_id),
        )
        .where(Member.cohort_id == cohort_id, taking_part_at(Member, now))
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


def memberships_of_people(session: Session, workspace_id: int, user_ids: Collection[str]) -> dict[int, str]:
    """Every membership these people have in the workspace (left ones too): its id, to their Slack user ID."""
    rows = session.execute(
        select(Member.id, Member.slack_user_id).where(
            Member.workspace_id == workspace_id, Member.slack_user_id.in_(sorted(set(user_ids)))
        )
    )
    return {member_id: user_id for member_id, user_id in rows}


def profiles_by_user(session: Session, workspace_id: int, user_ids: Collection[str]) -> dict[str, Profile]:
    """The workspace profiles of these people, by Slack user ID; nobody without one is listed."""
    query = select(Profile).where(
        Profile.workspace_id == workspace_id, Profile.slack_user_id.in_(list(user_ids))
    )
    return {profile.slack_user_id: profile for profile in session.scalars(query)}


def guides_taking_part(
    session: Session, workspace_id: int, cohort_ids: Collection[int], now: datetime, *, besides: str
) -> list[tuple[Member, Profile | None]]:
    """The coaches and mentors of these cohorts taking part at `now`, other than `besides`, with their
    profiles."""
    rows = session.execute(
        select(Member, Profile)
        .outerjoin(
            Profile,
            and_(Profile.workspace_id == Member.workspace_id, Profile.slack_user_id == Member.slack_user_id),
        )
        .where(
            Member.workspace_id == workspace_id,
            Member.cohort_id.in_(cohort_ids),
            Member.role.in_(GUIDE_ROLES),
            taking_part_at(Member, now),
            Member.slack_user_id != besides,
        )
    )
    return [(member, profile) for member, profile in rows]


def head_counts(
    session: Session, cohort_ids: Collection[int], now: datetime
) -> dict[int, Counter[tuple[Role, MemberStatus]]]:
    """Each cohort's members counted by role and status at `now` (`status_now`), in one grouped query."""
    status_then = status_at(Member, now)
    rows = session.execute(
        select(Member.cohort_id, Member.role, status_then, func.count())
        .where(Member.cohort_id.in_(cohort_ids))
        .group_by(Member.cohort_id, Member.role, status_then)
    ).all()
    counts: dict[int, Counter[tuple[Role, MemberStatus]]] = {}
    for cohort_id, role, status, count in rows:
        counts.setdefault(cohort_id, Counter())[(role, status)] = count
    return counts


def user_ids_of(session: Session, member_ids: Sequence[int]) -> tuple[str, ...]:
    """The Slack users of these members, by member id."""
    return tuple(
        session.scalars(select(Member.slack_user_id).where(Member.id.in_(member_ids)).order_by(Member.id))
    )


def present_with_profiles(session: Session, member_ids: Sequence[int]) -> list[tuple[Member, Profile | None]]:
    """These members, except those who left, by id, each with their profile if they have one."""
    rows = session.execute(
        select(Member, Profile)
        .outerjoin(
            Profile,
            (Profile.workspace_id == Member.workspace_id) & (Profile.slack_user_id == Member.slack_user_id),
        )
        .where(Member.id.in_(member_ids), Member.status != MemberStatus.LEFT)
        .order_by(Member.id)
    ).all()
    return [(member, profile) for member, profile in rows]
