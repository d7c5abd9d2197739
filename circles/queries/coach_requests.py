"""Requests to work with a coach or mentor."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from circles.domain.requests import RequestStatus
from circles.persistence.models import CoachRequest


def open_requests(session: Session, guide_ids: Collection[int]) -> dict[int, int]:
    """How many requests to work with each guide await their answer."""
    if not guide_ids:
        return {}
    rows = session.execute(
        select(CoachRequest.coach_member_id, func.count())
        .where(CoachRequest.coach_member_id.in_(sorted(guide_ids)), CoachRequest.status == RequestStatus.OPEN)
        .group_by(CoachRequest.coach_member_id)
    ).all()
    return {member_id: int(count) for member_id, count in rows}
