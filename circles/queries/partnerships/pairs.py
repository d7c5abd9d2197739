"""Partnerships as matching and requests count them: every pair of a cohort (but those never made), how
many learners each person guides, whether a learner has a guide."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, Exists, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from circles.domain.vocabulary import EndReason, PartnershipKind, PartnershipStatus
from circles.persistence.models import Cohort, Member, Partnership


def guidance() -> ColumnElement[bool]:
    """A partnership in which a coach or mentor guides a learner (its first member the guide, its second the
    learner) and which has not ended, in a cohort not archived: paused pairs still hold a place, and come
    back; a pair left unended in an archived cohort holds none (it is over everywhere else too). Every
    count of a guide's places (requests, the directory, status, rounds, an end moved later) is this one."""
    live = aliased(Cohort)  # its own name: never the cohort of a query this is part of
    in_live_cohort = select(live.id).where(live.id == Partnership.cohort_id, live.archived_at.is_(None))
    return and_(
        Partnership.status != PartnershipStatus.ENDED,
        Partnership.kind != PartnershipKind.PEER,
        in_live_cohort.exists(),
    )


def were_partners() -> ColumnElement[bool]:
    """A partnership that was one: not a pair whose conversation Slack never opened (EndReason.NEVER_MADE),
    whose two were never introduced. Matching, reports and exports count no such pair."""
    return or_(Partnership.end_reason.is_(None), Partnership.end_reason != EndReason.NEVER_MADE)


def guided(learner_id: ColumnElement[int] | InstrumentedAttribute[int] | int) -> Exists:
    """Whether the learner has a coach or mentor (`guidance`), as SQL: for a row of a larger query."""
    return select(Partnership.id).where(Partnership.second_member_id == learner_id, guidance()).exists()


class PairRow(NamedTuple):
    """One partnership as matching sees it: who, how it stands, and when."""

    first: int  # the guide or first peer
    second: int  # the learner or second peer
    status: PartnershipStatus
    round: int
    started_at: datetime
    ended_at: datetime | None
    id: int  # the partnership's: names one ending of a pair (a preview's "Allow again" carries it)


def pair_rows(session: Session, cohort_id: int, among: Collection[int] | None = None) -> list[PairRow]:
    """Every partnership of the cohort, or only those between members of `among` (e.g. one pair); a pair
    never made is none (`were_partners`): its two are neither kept apart nor counted as met."""
    both = list(among) if among is not None else None
    rows = session.execute(
        select(
            Partnership.first_member_id,
            Partnership.second_member_id,
            Partnership.status,
            Partnership.round,
            Partnership.started_at,
            Partnership.ended_at,
            Partnership.id,
        ).where(
            Partnership.cohort_id == cohort_id,
            were_partners(),
            *(
                (Partnership.first_member_id.in_(both), Partnership.second_member_id.in_(both))
                if both is not None
                else ()
            ),
        )
    )
    return [PairRow(*row) for row in rows]


def guided_counts(session: Session, workspace_id: int, user_ids: Collection[str]) -> dict[str, int]:
    """How many learners each person guides across their cohorts; paused pairs still hold a place, and
    a peer partnership (the same person may be a peer in another cohort) takes none."""
    rows = session.execute(
        select(Member.slack_user_id, func.count(Partnership.id))
        .join(Partnership, Partnership.first_member_id == Member.id)
        .where(
            Member.workspace_id == workspace_id,
            Member.slack_user_id.in_(user_ids),
            guidance(),
        )
        .group_by(Member.slack_user_id)
    )
    return {user_id: count for user_id, count in rows}


def guiding_here(session: Session, member_ids: Collection[int]) -> dict[int, int]:
    """How many learners each of these memberships guides in its own cohort (paused pairs included, peer
    partnerships not): one query for any number."""
    if not member_ids:
        return {}
    rows = session.execute(
        select(Partnership.first_member_id, func.count(Partnership.id))
        .where(
            Partnership.first_member_id.in_(sorted(member_ids)),
            guidance(),
        )
        .group_by(Partnership.first_member_id)
    )
    return {member_id: count for member_id, count in rows}


def has_running_guide(session: Session, learner_member_id: int) -> bool:
    """Whether the learner has a coach or mentor (`guidance`)."""
    return bool(session.scalar(select(guided(learner_member_id))))
