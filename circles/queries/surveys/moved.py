"""The current survey requests a change of a cohort's dates may move, and the moves: re-timed, withdrawn,
superseded (see circles.domain.surveys_moved)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, or_, select, update
from sqlalchemy.orm import Session

from circles.domain.vocabulary import SurveyPhase
from circles.persistence.models import Member, SurveyRequest
from circles.queries.surveys.asking import as_instant


@dataclass(frozen=True)
class Current:
    """A member's current request for one instrument at one phase, with when the member joined."""

    request_id: int
    cohort_id: int
    member_id: int
    instrument: str
    phase: SurveyPhase
    due_at: datetime
    sent_at: datetime | None
    answered_at: datetime | None
    joined_at: datetime


def current_requests(
    session: Session, cohort_ids: Collection[int], phases: Collection[SurveyPhase]
) -> list[Current]:
    """The current requests of these cohorts' members that a change of dates may move: those at these
    phases, and every one not sent yet. One query; those sent at other phases are not read."""
    if not cohort_ids:
        return []
    unsent = and_(SurveyRequest.sent_at.is_(None), SurveyRequest.answered_at.is_(None))
    rows = session.execute(
        select(
            SurveyRequest.id,
            SurveyRequest.cohort_id,
            Member.id,
            SurveyRequest.instrument,
            SurveyRequest.phase,
            SurveyRequest.due_at,
            SurveyRequest.sent_at,
            SurveyRequest.answered_at,
            Member.joined_at,
        )
        .join(Member, Member.id == SurveyRequest.member_id)
        .where(
            SurveyRequest.cohort_id.in_(sorted(cohort_ids)),
            SurveyRequest.superseded_at.is_(None),
            or_(unsent, SurveyRequest.phase.in_(sorted(phases))) if phases else unsent,
        )
        .order_by(SurveyRequest.id)
    ).all()
    return [Current(*row[:4], SurveyPhase(row[4]), *row[5:]) for row in rows]


def retime_requests(session: Session, due: Mapping[int, datetime]) -> None:
    """Move these requests, none sent yet, to their phase's new instant: one statement per instant (a
    phase moves a cohort's requests to one instant, whatever their number). One whose invitation went
    meanwhile keeps its time (it was asked then)."""
    by_instant: dict[datetime, list[int]] = {}
    for request_id, at in due.items():
        by_instant.setdefault(at, []).append(request_id)
    for at, request_ids in sorted(by_instant.items()):
        session.execute(
            update(SurveyRequest)
            .where(*_unsent(request_ids))
            .values(due_at=as_instant(at))
            .execution_options(synchronize_session=False)
        )


def withdraw_requests(session: Session, request_ids: Collection[int]) -> None:
    """Delete these requests never sent, whose phase no longer applies to their member (their messages
    are dropped when claimed, as an erased request's are)."""
    if request_ids:
        session.execute(
            delete(SurveyRequest).where(*_unsent(request_ids)).execution_options(synchronize_session=False)
        )


def _unsent(request_ids: Collection[int]) -> tuple[ColumnElement[bool], ...]:
    """These requests, those of them not sent yet (nor answered): another process may have sent one."""
    return (
        SurveyRequest.id.in_(sorted(request_ids)),
        SurveyRequest.sent_at.is_(None),
        SurveyRequest.answered_at.is_(None),
    )


def supersede_requests(session: Session, request_ids: Collection[int], now: datetime) -> None:
    """Mark these requests superseded now, before their phase is asked again (the unique index on the
    current ones would refuse the new request otherwise). A request another process superseded first
    keeps its time, and that process's new request makes ours a duplicate, skipped."""
    if not request_ids:
        return
    session.execute(
        update(SurveyRequest)
        .where(SurveyRequest.id.in_(sorted(request_ids)), SurveyRequest.superseded_at.is_(None))
        .values(superseded_at=now)
        .execution_options(synchronize_session=False)
    )
