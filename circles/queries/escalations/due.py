"""When escalations come back to their facilitators: follow-ups and snoozes that are due, and follow-ups
brought forward."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, select, tuple_, update
from sqlalchemy.orm import Session

from circles.domain.vocabulary import EscalationStatus
from circles.persistence.models import Cohort, Escalation


def follow_ups_due(session: Session, now: datetime) -> list[tuple[Escalation, Cohort]]:
    """Escalations whose follow-up is due, with their cohorts, locked; those another watch holds are left."""
    return _locked_with_cohorts(session, Escalation.follow_up_at <= now)


def snoozes_run_out(session: Session, now: datetime) -> list[tuple[Escalation, Cohort]]:
    """Snoozed escalations whose snooze has ended, with their cohorts, locked like `follow_ups_due`."""
    return _locked_with_cohorts(
        session, Escalation.snoozed_until <= now, Escalation.status == EscalationStatus.SNOOZED
    )


def _locked_with_cohorts(session: Session, *where: ColumnElement[bool]) -> list[tuple[Escalation, Cohort]]:
    query = (
        select(Escalation, Cohort)
        .join(Cohort, Cohort.id == Escalation.cohort_id)
        .where(*where)
        .order_by(Escalation.id)
        # a watch beside this one takes the others
        .with_for_update(of=Escalation, skip_locked=True, key_share=True)
    )
    return [(escalation, cohort) for escalation, cohort in session.execute(query)]


def follow_up_cohort_at(session: Session, cohort_id: int, at: datetime) -> None:
    """Bring every pending follow-up of the cohort's escalations to `at`."""
    session.execute(
        update(Escalation)
        .where(Escalation.cohort_id == cohort_id, Escalation.follow_up_at.is_not(None))
        .values(follow_up_at=at)
        .execution_options(synchronize_session=False)
    )


def follow_ups_now(session: Session, escalations: Sequence[tuple[int, int]], at: datetime) -> None:
    """follow_up_now for these (workspace id, escalation id), in one statement."""
    if escalations:
        session.execute(
            update(Escalation)
            .where(
                tuple_(Escalation.workspace_id, Escalation.id).in_(sorted(set(escalations))),
                Escalation.status == EscalationStatus.OPEN,
                Escalation.follow_up_at > at,
            )
            .values(follow_up_at=at)
            .execution_options(synchronize_session=False)
        )


def follow_up_now(session: Session, escalation_id: int, at: datetime) -> bool:
    """Bring an open escalation's pending follow-up to `at`; False when none was waiting past it."""
    moved = session.execute(
        update(Escalation)
        .where(
            Escalation.id == escalation_id,
            Escalation.status == EscalationStatus.OPEN,
            Escalation.follow_up_at > at,
        )
        .values(follow_up_at=at)
        .execution_options(synchronize_session=False)
    )
    return getattr(moved, "rowcount", 0) == 1
