"""Partnerships: each coach's or mentor's running pairs and what their digest says of them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from circles.domain.nudges import PairActivity
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import CheckIn, Member, Partnership


def pair_activity(
    session: Session, guide_ids: Collection[int], now: datetime
) -> dict[int, list[PairActivity]]:
    """Each guide's active pairs: the partner, the latest meeting, the guide's own waiting check-ins."""
    if not guide_ids:
        return {}
    rows = session.execute(
        select(Partnership.id, Partnership.first_member_id, Partnership.started_at, Member.slack_user_id)
        .join(Member, Member.id == Partnership.second_member_id)
        .where(
            Partnership.first_member_id.in_(sorted(guide_ids)),
            Partnership.status == PartnershipStatus.ACTIVE,
        )
    ).all()
    pair_ids = [pair_id for pair_id, *_ in rows]
    met = dict(
        session.execute(
            select(CheckIn.partnership_id, func.max(CheckIn.answered_at))
            .where(CheckIn.partnership_id.in_(pair_ids), CheckIn.met.is_(True))
            .group_by(CheckIn.partnership_id)
        ).all()
    )
    cutoff = now - timedelta(days=1)  # a check-in waits for an answer once a day has gone by
    waiting = {
        pair_id: (int(count), soonest)
        for pair_id, count, soonest in session.execute(
            select(
                CheckIn.partnership_id,
                func.count(case((CheckIn.due_at <= cutoff, 1))),
                func.min(case((CheckIn.due_at > cutoff, CheckIn.due_at))),
            )
            .join(Partnership, Partnership.id == CheckIn.partnership_id)
            .where(
                CheckIn.partnership_id.in_(pair_ids),
                CheckIn.member_id == Partnership.first_member_id,
                CheckIn.answered_at.is_(None),
            )
            .group_by(CheckIn.partnership_id)
        ).all()
    }
    found: dict[int, list[PairActivity]] = defaultdict(list)
    for pair_id, guide_id, started_at, partner in rows:
        count, soonest = waiting.get(pair_id, (0, None))
        later = None if soonest is None else soonest + timedelta(days=1)
        found[guide_id].append(PairActivity(partner, started_at, met.get(pair_id), count, later))
    return dict(found)
