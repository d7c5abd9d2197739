"""Questions about partnerships, asked set-based (one query, never one per pair): which still run, whose
they are, who the partner is, what a guide's digest says of them; and the bulk endings."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from circles.domain.vocabulary import (
    RUNNING_PARTNERSHIP,
    EndReason,
    MemberStatus,
    PartnershipKind,
    PartnershipStatus,
)
from circles.persistence.models import Cohort, Member, Partnership, Profile
from circles.queries.cohorts import past_end_date


class PairRow(NamedTuple):
    """One partnership as matching sees it: who, how it stands, and when."""

    first: int  # the guide or first peer
    second: int  # the learner or second peer
    status: PartnershipStatus
    round: int
    started_at: datetime
    ended_at: datetime | None


def pair_rows(session: Session, cohort_id: int, among: Collection[int] | None = None) -> list[PairRow]:
    """Every partnership of the cohort, or only those between members of `among` (e.g. one pair)."""
    both = list(among) if among is not None else None
    rows = session.execute(
        select(
            Partnership.first_member_id,
            Partnership.second_member_id,
            Partnership.status,
            Partnership.round,
            Partnership.started_at,
            Partnership.ended_at,
        ).where(
            Partnership.cohort_id == cohort_id,
            *(
                (Partnership.first_member_id.in_(both), Partnership.second_member_id.in_(both))
                if both is not None
                else ()
            ),
        )
    )
    return [PairRow(*row) for row in rows]


@dataclass(frozen=True)
class Running:
    """A running partnership seen from one membership asked about: the pair and the other partner."""

    member_id: int
    pair: Partnership
    partner: Member


def running_partnerships(session: Session, member_ids: Collection[int]) -> list[Running]:
    """The active and paused partnerships of these memberships, each with its other partner, oldest first."""
    if not member_ids:
        return []
    ids = sorted(member_ids)
    other = aliased(Member)
    as_first = and_(Partnership.first_member_id.in_(ids), other.id == Partnership.second_member_id)
    as_second = and_(Partnership.second_member_id.in_(ids), other.id == Partnership.first_member_id)
    rows = session.execute(
        select(Partnership, other)
        .join(other, or_(as_first, as_second))
        .where(Partnership.status.in_(RUNNING_PARTNERSHIP), other.workspace_id == Partnership.workspace_id)
        .order_by(Partnership.started_at, Partnership.id)
    ).all()
    # A pair never has one member twice, so the member is whichever side the partner is not.
    return [
        Running(
            pair.first_member_id if partner.id == pair.second_member_id else pair.second_member_id,
            pair,
            partner,
        )
        for pair, partner in rows
    ]


def guided_counts(session: Session, workspace_id: int, user_ids: Collection[str]) -> dict[str, int]:
    """How many learners each person guides across their cohorts; paused pairs still hold a place, and
    a peer partnership (the same person may be a peer in another cohort) takes none."""
    rows = session.execute(
        select(Member.slack_user_id, func.count(Partnership.id))
        .join(Partnership, Partnership.first_member_id == Member.id)
        .where(
            Member.workspace_id == workspace_id,
            Member.slack_user_id.in_(user_ids),
            Partnership.status != PartnershipStatus.ENDED,
            Partnership.kind != PartnershipKind.PEER,
        )
        .group_by(Member.slack_user_id)
    )
    return {user_id: count for user_id, count in rows}


def has_running_guide(session: Session, learner_member_id: int, kinds: Collection[PartnershipKind]) -> bool:
    """Whether the learner has a partnership of these kinds that has not ended (paused ones come back)."""
    query = select(Partnership.id).where(
        Partnership.second_member_id == learner_member_id,
        Partnership.kind.in_(kinds),
        Partnership.status != PartnershipStatus.ENDED,
    )
    return session.scalars(query).first() is not None


def complete_past_end_date(session: Session, now: datetime) -> list[int]:
    """End as completed every partnership still running in a cohort whose end date is over (in its time
    zone: a prompt late on the last day still comes); their ids."""
    finished = past_end_date(session, now)
    if not finished:
        return []
    ended = session.scalars(
        update(Partnership)
        .where(Partnership.cohort_id.in_(finished), Partnership.status != PartnershipStatus.ENDED)
        .values(status=PartnershipStatus.ENDED, end_reason=EndReason.COMPLETED, ended_at=now)
        .returning(Partnership.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(ended)


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


class ActiveOf(NamedTuple):
    """One of a person's active partnerships: the pair, the person's membership, its cohort, the partner."""

    pair: Partnership
    member: Member
    cohort: Cohort
    partner_user_id: str


def active_partnerships_of(session: Session, workspace_id: int, user_id: str) -> list[ActiveOf]:
    """The person's active partnerships in cohorts still running, as which member, with whom, by cohort
    name; one query however many."""
    other = aliased(Member)
    rows = session.execute(
        select(Partnership, Member, Cohort, other.slack_user_id)
        .join(
            Member,
            or_(Partnership.first_member_id == Member.id, Partnership.second_member_id == Member.id),
        )
        .join(
            other,
            and_(
                or_(Partnership.first_member_id == other.id, Partnership.second_member_id == other.id),
                other.id != Member.id,
            ),
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
    return [ActiveOf(*row) for row in rows]


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
