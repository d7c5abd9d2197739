"""Survey requests asked: who may be asked, each request once (one current per member, instrument and
phase), its invitation's delivery, and where a request stands as its messages go (a superseded one is
missing, as an erased one is)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, literal, select, update
from sqlalchemy.orm import Session

from circles.domain.presence import taking_part
from circles.domain.surveys import RequestState
from circles.domain.vocabulary import MemberStatus, SurveyPhase
from circles.persistence.models import Cohort, Member, SurveyRequest
from circles.queries.inserts import insert_ignoring_duplicates, table_of


@dataclass(frozen=True)
class Asked:
    """A member who may be asked: active in a cohort whose plan names instruments."""

    workspace_id: int
    cohort_id: int
    member_id: int
    user_id: str
    joined_at: datetime


@dataclass(frozen=True)
class NewRequest:
    workspace_id: int
    cohort_id: int
    member_id: int
    instrument: str
    instrument_version: int
    phase: SurveyPhase
    due_at: datetime


def askable_members(session: Session, cohort_ids: Collection[int], now: datetime) -> list[Asked]:
    """The members of these cohorts taking part now (active, or back from a pause that ended by itself),
    in one query."""
    rows = session.execute(
        select(
            Member.workspace_id,
            Member.cohort_id,
            Member.id,
            Member.slack_user_id,
            Member.joined_at,
            Member.status,
            Member.paused_until,
        )
        .where(
            Member.cohort_id.in_(sorted(cohort_ids)),
            Member.status.in_([MemberStatus.ACTIVE, MemberStatus.PAUSED]),
        )
        .order_by(Member.id)
    ).all()
    return [Asked(*row[:5]) for row in rows if taking_part(row.status, row.paused_until, now)]


def add_requests(
    session: Session,
    requests: Sequence[NewRequest],
    have: Collection[tuple[int | None, str, SurveyPhase]] | None = None,
) -> list[tuple[int, NewRequest]]:
    """Add the requests not there yet (one current per member, instrument and phase), unsent until their
    invitation reaches Slack; returns those just added. Those already there (`have`, else read here, in
    one query) are left out first: a cohort is planned many times while a survey is open, and rewriting
    every member's request each time would cost what exists, not what is new."""
    if requests:
        there = _current_keys(session, requests) if have is None else have
        requests = [r for r in requests if (r.member_id, r.instrument, r.phase) not in there]
    if not requests:
        return []
    rows = sorted(
        (
            {
                "workspace_id": r.workspace_id,
                "cohort_id": r.cohort_id,
                "member_id": r.member_id,
                "instrument": r.instrument,
                "instrument_version": r.instrument_version,
                "phase": r.phase,
                "due_at": r.due_at,
            }
            for r in requests
        ),
        key=lambda r: (r["member_id"], r["instrument"], r["phase"]),
    )
    table = table_of(SurveyRequest)
    statement = insert_ignoring_duplicates(session, table).returning(
        table.c.id, table.c.member_id, table.c.instrument, table.c.phase
    )
    by_key = {(r.member_id, r.instrument, SurveyPhase(r.phase)): r for r in requests}
    added = session.execute(statement, rows).all()
    return [(id_, by_key[(member, name, SurveyPhase(phase))]) for id_, member, name, phase in added]


def _current_keys(
    session: Session, requests: Sequence[NewRequest]
) -> set[tuple[int | None, str, SurveyPhase]]:
    there = session.execute(
        select(SurveyRequest.member_id, SurveyRequest.instrument, SurveyRequest.phase).where(
            SurveyRequest.cohort_id.in_(sorted({r.cohort_id for r in requests})),
            SurveyRequest.phase.in_(sorted({r.phase for r in requests})),
            SurveyRequest.superseded_at.is_(None),
        )
    ).all()
    return {(member, name, SurveyPhase(phase)) for member, name, phase in there}


def mark_delivered(session: Session, request_ids: Collection[int], now: datetime) -> None:
    """Record that these requests' invitations reached Slack now, in one statement; a first delivery stays.
    A request re-timed to a later day while its invitation was on its way was asked now: it is due now,
    so that the phase is asked again on its new day."""
    if not request_ids:
        return
    session.execute(
        update(SurveyRequest)
        .where(SurveyRequest.id.in_(sorted(request_ids)), SurveyRequest.sent_at.is_(None))
        .values(
            sent_at=now,
            due_at=case((SurveyRequest.due_at > now, as_instant(now)), else_=SurveyRequest.due_at),
        )
        .execution_options(synchronize_session=False)
    )


def request_states(session: Session, request_ids: Collection[int]) -> dict[int, RequestState]:
    """Where each of these requests stands, with its member and its cohort's archiving; one erased or
    superseded since is missing. One query."""
    if not request_ids:
        return {}
    rows = session.execute(
        select(
            SurveyRequest.id,
            SurveyRequest.due_at,
            SurveyRequest.sent_at,
            SurveyRequest.answered_at,
            Member.status,
            Member.paused_until,
            Cohort.archived_at,
        )
        .join(Member, Member.id == SurveyRequest.member_id)
        .join(Cohort, Cohort.id == SurveyRequest.cohort_id)
        .where(SurveyRequest.id.in_(sorted(request_ids)), SurveyRequest.superseded_at.is_(None))
    ).all()
    return {
        id_: RequestState(due, sent, answered, status, paused_until, archived_at)
        for id_, due, sent, answered, status, paused_until, archived_at in rows
    }


def as_instant(at: datetime) -> Any:
    """An instant as a value of a statement, stored as the column stores it (UTC, on either database)."""
    return literal(at, SurveyRequest.due_at.type)
