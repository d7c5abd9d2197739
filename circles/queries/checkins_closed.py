"""Which check-ins no longer take an answer when a sender takes their question: the check-in's own state,
its pair's, and both partners' (paused, gone, away), as the planner would find them now."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from circles.domain.presence import taking_part
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import CheckIn, Member, Partnership
from circles.queries.aliases import OTHER_PARTNER
from circles.queries.on_hold import away_now


def closed_among(session: Session, checkin_ids: Collection[int], now: datetime) -> set[int]:
    """Which of these check-ins no longer take an answer at `now`: answered, their partnership paused or
    ended, the person asked paused or gone from the cohort (`taking_part`), or their partner paused, gone
    or away (the pair is on hold, as the planner would have found it). One query, none for no ids."""
    if not checkin_ids:
        return set()
    other = OTHER_PARTNER
    rows = session.execute(
        select(CheckIn.id, CheckIn.answered_at, Partnership.status, Member.status, Member.paused_until)
        .add_columns(other.status, other.paused_until, away_now(other, now))
        .join(Partnership, Partnership.id == CheckIn.partnership_id)
        .join(Member, Member.id == CheckIn.member_id)
        .join(
            other,
            and_(
                or_(other.id == Partnership.first_member_id, other.id == Partnership.second_member_id),
                other.id != CheckIn.member_id,
            ),
        )
        .where(CheckIn.id.in_(sorted(set(checkin_ids))))
    )
    return {
        checkin
        for checkin, answered_at, pair, person, paused_until, partner, partner_until, partner_away in rows
        if answered_at is not None
        or pair is not PartnershipStatus.ACTIVE
        or not taking_part(person, paused_until, now)
        or not taking_part(partner, partner_until, now)
        or partner_away
    }
