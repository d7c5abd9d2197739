"""What health reads of a partnership's past escalations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import EscalationStatus
from circles.persistence.models import Cohort, Escalation
from circles.queries.ids import chunks


@dataclass(frozen=True)
class PastConcern:
    """One escalation of a partnership, with how often its cohort checks in."""

    partnership_id: int
    status: EscalationStatus
    resolved_at: datetime | None
    opened_at: datetime
    checkin_every_weeks: int


def concerns_of(session: Session, partnership_ids: Sequence[int]) -> list[PastConcern]:
    """Every escalation of these partnerships, resolved or not."""
    found: list[PastConcern] = []
    for chunk in chunks(partnership_ids):
        rows = session.execute(
            select(Escalation.partnership_id, Escalation.status, Escalation.resolved_at, Escalation.opened_at)
            .add_columns(Cohort.checkin_every_weeks)
            .join(Cohort, Cohort.id == Escalation.cohort_id)
            .where(Escalation.partnership_id.in_(chunk))
        )
        found += [PastConcern(*row) for row in rows]
    return found
