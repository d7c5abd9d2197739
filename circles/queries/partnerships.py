"""Questions about partnerships: which still run, whose they are, and who the partner is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from circles.domain.vocabulary import MemberStatus, PartnershipStatus
from circles.persistence.models import Cohort, Member, Partnership, Profile


@dataclass(frozen=True)
class PartnerIn:
    """One partnership of a person's, seen from their side: the partner and the cohort."""

    partnership_id: int
    partner_user_id: str
    partner_name: str | None  # from the partner's profile; None when Slack gave no name
    cohort_slug: str
    cohort_name: str


def unended_with_cohorts(
    session: Session, partnership_ids: Sequence[int]
) -> list[tuple[Partnership, Cohort]]:
    """These partnerships, with their cohorts, unless they have ended."""
    rows = session.execute(
        select(Partnership, Cohort)
        .join(Cohort, Cohort.id == Partnership.cohort_id)
        .where(Partnership.id.in_(partnership_ids), Partnership.status != PartnershipStatus.ENDED)
    )
    return [(pair, cohort) for pair, cohort in rows]


def active_partnerships_of(
    session: Session, workspace_id: int, user_id: str
) -> list[tuple[Partnership, Member, Cohort]]:
    """The person's active partnerships in cohorts still running, as which member, by cohort name."""
    rows = session.execute(
        select(Partnership, Member, Cohort)
        .join(
            Member,
            or_(Partnership.first_member_id == Member.id, Partnership.second_member_id == Member.id),
        )
        .join(Cohort, Cohort.id == Partnership.cohort_id)
        .where(
            Partnership.workspace_id == workspace_id,
            Partnership.status == PartnershipStatus.ACTIVE,
            Member.slack_user_id == user_id,
            Member.status != MemberStatus.LEFT,
            Cohort.archived_at.is_(None),
        )
        .order_by(Cohort.name, Partnership.id)
    )
    return [(pair, member, cohort) for pair, member, cohort in rows]


def partners_of(session: Session, member_ids: Sequence[int], *, any_status: bool = False) -> list[PartnerIn]:
    """These members' partnerships that have not ended (or all of them), by cohort name."""
    me, other, pair, profile = aliased(Member), aliased(Member), Partnership, Profile
    query = (
        select(pair.id, other.slack_user_id, profile.display_name, Cohort.slug, Cohort.name)
        .join(me, or_(me.id == pair.first_member_id, me.id == pair.second_member_id))
        .join(
            other,
            and_(or_(other.id == pair.first_member_id, other.id == pair.second_member_id), other.id != me.id),
        )
        .join(Cohort, Cohort.id == pair.cohort_id)
        .outerjoin(
            profile,
            and_(profile.workspace_id == pair.workspace_id, profile.slack_user_id == other.slack_user_id),
        )
        .where(me.id.in_(member_ids))
        .order_by(Cohort.name, pair.id)
    )
    if not any_status:
        query = query.where(pair.status != PartnershipStatus.ENDED)
    return [PartnerIn(*row) for row in session.execute(query)]
