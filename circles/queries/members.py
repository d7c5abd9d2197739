"""Members of cohorts, with what their profiles share."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import MemberStatus
from circles.persistence.models import Member, Profile


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
