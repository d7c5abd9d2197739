"""Cohorts: the ones a person facilitates."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.persistence.models import Cohort, Facilitator


@dataclass(frozen=True)
class CohortRef:
    """A cohort as people name it: its slug and its name."""

    slug: str
    name: str


def facilitated_cohorts(session: Session, workspace_id: int, user_id: str) -> list[Cohort]:
    """The cohorts still running that the person facilitates, by name."""
    query = (
        select(Cohort)
        .join(Facilitator, Facilitator.cohort_id == Cohort.id)
        .where(
            Cohort.workspace_id == workspace_id,
            Facilitator.slack_user_id == user_id,
            Cohort.archived_at.is_(None),
        )
        .order_by(Cohort.name, Cohort.id)
    )
    return list(session.scalars(query))
