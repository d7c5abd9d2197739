"""Response rates of a cohort's current requests, and the requests of erased members."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from circles.domain.vocabulary import SurveyPhase
from circles.persistence.models import SurveyAnswer, SurveyRequest


@dataclass(frozen=True)
class Rate:
    """How many of a cohort's requests for one instrument at one phase were sent and answered."""

    phase: SurveyPhase
    instrument: str
    sent: int
    answered: int


def response_rates(session: Session, workspace_id: int, cohort_id: int) -> list[Rate]:
    """Per phase and instrument: current requests delivered (an answered one was) and answered, never who
    answered what."""
    answered = func.sum(case((SurveyRequest.answered_at.is_not(None), 1), else_=0))
    rows = session.execute(
        select(SurveyRequest.phase, SurveyRequest.instrument, func.count(), answered)
        .where(
            and_(SurveyRequest.workspace_id == workspace_id, SurveyRequest.cohort_id == cohort_id),
            SurveyRequest.superseded_at.is_(None),
            or_(SurveyRequest.sent_at.is_not(None), SurveyRequest.answered_at.is_not(None)),
        )
        .group_by(SurveyRequest.phase, SurveyRequest.instrument)
    ).all()
    order = list(SurveyPhase)
    rates = [Rate(SurveyPhase(phase), name, sent, int(done or 0)) for phase, name, sent, done in rows]
    return sorted(rates, key=lambda r: (order.index(r.phase), r.instrument))


def erase_surveys(session: Session, member_ids: Collection[int]) -> None:
    """Delete every answer of these memberships and the requests they were never sent; cut the ones they
    were sent from them, so that the cohort's response rates count them as before (aggregates stay)."""
    if not member_ids:
        return
    theirs = SurveyRequest.member_id.in_(sorted(member_ids))
    session.execute(
        delete(SurveyAnswer).where(SurveyAnswer.request_id.in_(select(SurveyRequest.id).where(theirs)))
    )
    never_sent = and_(SurveyRequest.sent_at.is_(None), SurveyRequest.answered_at.is_(None))
    session.execute(delete(SurveyRequest).where(theirs, never_sent))
    session.execute(
        update(SurveyRequest)
        .where(theirs)
        .values(member_id=None)
        .execution_options(synchronize_session=False)
    )
