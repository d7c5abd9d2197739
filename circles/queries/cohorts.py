"""Questions about cohorts and who facilitates them."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.persistence.models import Facilitator


def facilitators_by_cohort(session: Session, cohort_ids: Collection[int]) -> dict[int, list[str]]:
    """Each cohort's facilitators' Slack user IDs, sorted; a cohort without any is left out."""
    found: dict[int, list[str]] = {}
    if not cohort_ids:
        return found
    rows = session.execute(
        select(Facilitator.cohort_id, Facilitator.slack_user_id)
        .where(Facilitator.cohort_id.in_(sorted(cohort_ids)))
        .order_by(Facilitator.slack_user_id)
    )
    for cohort_id, user_id in rows:
        found.setdefault(cohort_id, []).append(user_id)
    return found


def cohort_facilitators(session: Session, cohort_id: int) -> list[str]:
    """One cohort's facilitators' Slack user IDs, sorted."""
    return facilitators_by_cohort(session, [cohort_id]).get(cohort_id, [])
