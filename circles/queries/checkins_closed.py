"""Which check-ins no longer take an answer when a sender takes their question: the check-in's own state,
its pair's, and both partners' (paused, gone, away), as the planner would find them now. The last check-in
of a pair completed at its programme's end still goes, for its days to answer, as it still takes its
answer then: a question held for someone's working hours past the completion is not lost."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from circles.domain.checkins import open_after_completion
from circles.domain.cohort_settings import HealthThresholds
from circles.domain.presence import taking_part
from circles.domain.vocabulary import EndReason, PartnershipStatus
from circles.persistence.models import CheckIn, Cohort, Member, Partnership
from circles.queries.aliases import OTHER_PARTNER
from circles.queries.on_hold import away_now


def closed_among(session: Session, checkin_ids: Collection[int], now: datetime) -> set[int]:
    """Which of these check-ins no longer take an answer at `now`: answered, the person asked paused or
    gone from the cohort (`taking_part`), their partnership paused or ended, or their partner paused, gone
    or away (the pair is on hold, as the planner would have found it). A pair completed at its cohort's end
    is over, not on hold: its check-ins due by then stay open while they take an answer, whatever the
    partner's state, unless the partner they name was erased meanwhile. One query, none for no ids."""
    if not checkin_ids:
        return set()
    other = OTHER_PARTNER
    rows = session.execute(
        select(CheckIn.id, CheckIn.answered_at, CheckIn.due_at, CheckIn.asked_at)
        .add_columns(Partnership.status, Partnership.end_reason, Partnership.ended_at)
        .add_columns(Cohort.health_thresholds, Member.status, Member.paused_until)
        .add_columns(other.status, other.paused_until, away_now(other, now), other.erased_before)
        .join(Partnership, Partnership.id == CheckIn.partnership_id)
        .join(Cohort, Cohort.id == Partnership.cohort_id)
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
    return {row[0] for row in rows if _closed(row, now)}


def _closed(row: Sequence[Any], now: datetime) -> bool:
    """Whether one row of `closed_among`'s query no longer takes an answer at `now`."""
    _, answered_at, due_at, asked_at, pair, reason, ended_at, thresholds, *rest = row
    person, paused_until, partner, partner_until, partner_away, partner_erased = rest
    if answered_at is not None or not taking_part(person, paused_until, now):
        return True
    if pair is PartnershipStatus.ACTIVE:
        return not taking_part(partner, partner_until, now) or bool(partner_away)
    if reason is not EndReason.COMPLETED or partner_erased is not None:  # paused, ended early; or naming
        return True  # someone erased since
    days = HealthThresholds.from_json(thresholds).answer_within_days
    return not open_after_completion(ended_at, due_at, asked_at, days, now)
