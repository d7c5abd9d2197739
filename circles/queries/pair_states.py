"""Which of some pairs, or of some people's pairs, are in a given state (ended; running with both
partners present), each asked in one query, none for no ids."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import Partnership
from circles.queries.aliases import FIRST_PARTNER, SECOND_PARTNER
from circles.queries.members.person import taking_part_at


def ended_among(session: Session, partnership_ids: Collection[int]) -> set[int]:
    """Which of these partnerships have ended, by any route (a partner, a facilitator, leaving, the
    cohort's end). One query, none for no ids."""
    if not partnership_ids:
        return set()
    query = select(Partnership.id).where(
        Partnership.id.in_(sorted(set(partnership_ids))), Partnership.status == PartnershipStatus.ENDED
    )
    return set(session.scalars(query))


def with_both_present(session: Session, partnership_ids: Collection[int], now: datetime) -> set[int]:
    """Which of these partnerships run with both partners active at `now`: neither the pair nor either
    partner paused, ended or gone (a dated pause ends by itself on its date, as the planner has it). One
    query, none for no ids."""
    if not partnership_ids:
        return set()
    first, second = FIRST_PARTNER, SECOND_PARTNER
    query = (
        select(Partnership.id)
        .join(first, first.id == Partnership.first_member_id)
        .join(second, second.id == Partnership.second_member_id)
        .where(
            Partnership.id.in_(sorted(set(partnership_ids))),
            Partnership.status == PartnershipStatus.ACTIVE,
            taking_part_at(first, now),
            taking_part_at(second, now),
        )
    )
    return set(session.scalars(query))


def with_ended_partnerships(session: Session, member_ids: Collection[int]) -> set[int]:
    """Which of these memberships have had a partnership that ended. One query, none for no ids."""
    if not member_ids:
        return set()
    wanted = set(member_ids)
    ids = sorted(wanted)
    rows = session.execute(
        select(Partnership.first_member_id, Partnership.second_member_id).where(
            Partnership.status == PartnershipStatus.ENDED,
            or_(Partnership.first_member_id.in_(ids), Partnership.second_member_id.in_(ids)),
        )
    )
    return {member for pair in rows for member in pair if member in wanted}
