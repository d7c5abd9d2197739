"""Every question about research consent: a person's decisions in some cohorts, and recording one."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, select

from circles.domain.research.consent import ConsentRecord, Decision
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Consent


def decisions_of(
    session: Session, cohort_ids: Collection[int], user_id: str
) -> dict[int, list[ConsentRecord]]:
    """The person's decisions in each of these cohorts, oldest first; a cohort without any is absent."""
    query = (
        select(Consent)
        .where(Consent.cohort_id.in_(list(cohort_ids)), Consent.slack_user_id == user_id)
        .order_by(Consent.decided_at, Consent.id)
    )
    found: dict[int, list[ConsentRecord]] = {}
    for row in session.scalars(query):
        record = ConsentRecord(row.decision, row.decided_at, row.statement_version)
        found.setdefault(row.cohort_id, []).append(record)
    return found


def record_decision(
    session: Session, cohort: Cohort, user_id: str, decision: Decision, now: datetime
) -> ConsentRecord:
    """Add the person's decision to the cohort's history, to the statement's current version."""
    row = Consent(workspace_id=cohort.workspace_id, cohort_id=cohort.id, slack_user_id=user_id)
    row.decision, row.statement_version, row.decided_at = decision, cohort.research_statement_version, now
    session.add(row)
    return ConsentRecord(decision, now, cohort.research_statement_version)


def erase_decisions(session: Session, workspace_id: int, user_id: str) -> None:
    """Forget every consent decision the person made in the workspace (they asked to be erased)."""
    session.execute(
        delete(Consent)
        .where(Consent.workspace_id == workspace_id, Consent.slack_user_id == user_id)
        .execution_options(synchronize_session=False)
    )
