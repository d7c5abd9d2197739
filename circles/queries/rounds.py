"""Questions about matching runs: the stored proposals of a cohort's rounds and their confirmation."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from circles.domain.match_vocabulary import RunStatus
from circles.persistence.models import MatchRun


def supersede_previews(session: Session, cohort_id: int) -> None:
    """Mark the cohort's unconfirmed proposals as replaced, so none of them can be confirmed any more."""
    session.execute(
        update(MatchRun)
        .where(MatchRun.cohort_id == cohort_id, MatchRun.status == RunStatus.PREVIEWED)
        .values(status=RunStatus.SUPERSEDED)
    )


def confirmed_run(session: Session, cohort_id: int) -> MatchRun | None:
    """A run of the cohort confirmed and not yet fully created in Slack, if there is one."""
    query = select(MatchRun).where(MatchRun.cohort_id == cohort_id, MatchRun.status == RunStatus.CONFIRMED)
    return session.scalars(query).first()
