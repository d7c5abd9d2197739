"""Which of some partnerships have not ended, and the bulk ending of the pairs of cohorts that are over."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from circles.domain.vocabulary import EndReason, PartnershipStatus
from circles.persistence.models import Cohort, Partnership
from circles.queries.cohorts import past_end_date


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


def complete_past_end_date(session: Session, now: datetime) -> list[int]:
    """End as completed every partnership still running in a cohort whose end date is over in every time
    zone (a check-in late on the last day still reaches a partner in a zone behind the cohort's); their
    ids."""
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
