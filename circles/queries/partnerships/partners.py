"""Partnerships seen from one side, set-based (one query, never one per pair): which still run for some
memberships, and who the partner is; a person's active ones held while a check-in is opened."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any, NamedTuple

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from circles.domain.health.away import Spans
from circles.domain.vocabulary import RUNNING_PARTNERSHIP, MemberStatus, PartnershipStatus
from circles.persistence.models import AwayBlock, Cohort, Member, Partnership, Profile
from circles.queries.aliases import OTHER_PARTNER, THIS_MEMBER
from circles.queries.on_hold import away_now, holding_blocks


@dataclass(frozen=True)
class Running:
    """A running partnership seen from one membership asked about: the pair and the other partner."""

    member_id: int
    pair: Partnership
    partner: Member
    partner_away: Spans = ()  # when asked: the partner's away blocks (from, back at), earliest first


def running_partnerships(
    session: Session, member_ids: Collection[int], *, away_since: datetime | None = None
) -> list[Running]:
    """The active and paused partnerships of these memberships, each with its other partner, oldest first;
    with `away_since`, each partner's away blocks not over by then (joined in: a person has few)."""
    if not member_ids:
        return []
    ids = sorted(member_ids)
    other = OTHER_PARTNER
    as_first = and_(Partnership.first_member_id.in_(ids), other.id == Partnership.second_member_id)
    as_second = and_(Partnership.second_member_id.in_(ids), other.id == Partnership.first_member_id)
    query = (
        select(Partnership, other)
        .join(other, or_(as_first, as_second))
        .where(Partnership.status.in_(RUNNING_PARTNERSHIP), other.workspace_id == Partnership.workspace_id)
        .order_by(Partnership.started_at, Partnership.id)
    )
    if away_since is not None:
        block = and_(holding_blocks(AwayBlock, other), AwayBlock.ends_at >= away_since)
        query = query.add_columns(AwayBlock.starts_at, AwayBlock.ends_at).outerjoin(AwayBlock, block)
        query = query.order_by(other.id)  # each side's rows together
    rows: Sequence[Any] = session.execute(query).all()  # with the blocks' two columns when asked
    found: list[Running] = []
    for (pair, partner), group in groupby(rows, key=lambda row: (row[0], row[1])):
        # A pair never has one member twice, so the member is whichever side the partner is not.
        member_id = pair.first_member_id if partner.id == pair.second_member_id else pair.second_member_id
        spans = {(row[2], row[3]) for row in group if away_since is not None and row[2] is not None}
        found.append(Running(member_id, pair, partner, tuple(sorted(spans))))
    return found


@dataclass(frozen=True)
class PartnerIn:
    """One partnership of a person's, seen from their side: the partner and the cohort."""

    partnership_id: int
    partner_user_id: str
    partner_name: str | None  # from the partner's profile; None when Slack gave no name
    cohort_slug: str
    cohort_name: str


class ActiveOf(NamedTuple):
    """One of a person's running partnerships: the pair, the person's membership, its cohort, the partner
    (with their status and pause's end, for whether they take part now), and whether the person and the
    partner are inside an away block at the instant asked about (their own, a rotation or leave)."""

    pair: Partnership
    member: Member
    cohort: Cohort
    partner_user_id: str
    partner_status: MemberStatus
    partner_paused_until: datetime | None
    away: bool
    partner_away: bool


def active_partnerships_of(
    session: Session, workspace_id: int, user_id: str, now: datetime, *, paused: bool = False
) -> list[ActiveOf]:
    """The person's active partnerships (with `paused`, the paused ones too) in cohorts not archived, as
    which member, with whom, who of the two is away at `now`, by cohort name; one query however many."""
    other = OTHER_PARTNER
    statuses = RUNNING_PARTNERSHIP if paused else (PartnershipStatus.ACTIVE,)
    partner = (other.slack_user_id, other.status, other.paused_until)
    rows = session.execute(
        select(Partnership, Member, Cohort, *partner, away_now(Member, now), away_now(other, now))
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
            Partnership.status.in_(statuses),
            Member.slack_user_id == user_id,
            Member.status != MemberStatus.LEFT,
            Cohort.archived_at.is_(None),
        )
        .order_by(Cohort.name, Partnership.id)
    )
    return [ActiveOf(*row) for row in rows]


def hold_active(session: Session, pair_ids: Collection[int]) -> set[int]:
    """Lock these partnerships in id order until the caller commits, as an answer holds its pair; which of
    them are still active once held: of two asks for a check-in at once, the second waits for the first's.

    FOR NO KEY UPDATE: rows that point at them (check-ins, alerts) can still be added meanwhile."""
    if not pair_ids:
        return set()
    held = (
        select(Partnership.id, Partnership.status)
        .where(Partnership.id.in_(sorted(set(pair_ids))))
        .order_by(Partnership.id)
        .with_for_update(key_share=True)
    )
    return {pair_id for pair_id, status in session.execute(held) if status is PartnershipStatus.ACTIVE}


def partners_of(session: Session, member_ids: Sequence[int], *, any_status: bool = False) -> list[PartnerIn]:
    """These members' partnerships that have not ended (or all of them), by cohort name."""
    me, other, pair, profile = THIS_MEMBER, OTHER_PARTNER, Partnership, Profile
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
