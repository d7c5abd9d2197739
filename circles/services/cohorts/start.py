"""The start date a cohort keeps once its rhythm has begun (circles.domain.cohort_rules.start)."""

from __future__ import annotations

from datetime import date

from circles.domain.cohort_rules.start import StartKept, start_problem
from circles.persistence.db import Session
from circles.persistence.models import Cohort
from circles.queries.outbox.begun import rhythm_begun


def start_kept(session: Session, cohort: Cohort) -> StartKept | None:
    """The start the cohort keeps, its rhythm begun; None while nothing of it went and the start may move."""
    return _kept(cohort) if rhythm_begun(session, cohort.id) else None


def moved_start_problem(session: Session, cohort: Cohort, starts_on: date | None) -> dict[str, str]:
    """The problem of giving the cohort this start date: none when its weeks still count from the same day,
    or nothing of its rhythm went yet (asked of the database only when the start would move)."""
    if _kept(cohort).allows(starts_on):
        return {}
    return start_problem(start_kept(session, cohort), starts_on)


def _kept(cohort: Cohort) -> StartKept:
    return StartKept(cohort.starts_on, cohort.created_at.date())
