"""Survey requests and answers: who is asked, each request once, answers once, response rates, erasure.

Everything here is set-based: one statement for any number of members, requests or cohorts.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from circles.domain.surveys import is_closed
from circles.domain.vocabulary import MemberStatus, SurveyPhase
from circles.persistence.models import Cohort, Member, SurveyAnswer, SurveyRequest
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


@dataclass(frozen=True)
class NewAnswer:
    item_id: str
    value: int | None = None
    text_encrypted: bytes | None = None
    for_research: bool = False


@dataclass(frozen=True)
class OpenRequest:
    """A request as its member answers it: whose, which instrument, and its cohort's words."""

    request_id: int
    workspace_id: int
    user_id: str
    member_status: MemberStatus
    instrument: str
    phase: SurveyPhase
    due_at: datetime
    answered_at: datetime | None
    cohort_name: str
    free_text_hint: str | None


@dataclass(frozen=True)
class Rate:
    """How many of a cohort's requests for one instrument at one phase were sent and answered."""

    phase: SurveyPhase
    instrument: str
    sent: int
    answered: int


def askable_members(session: Session, cohort_ids: Collection[int]) -> list[Asked]:
    """The active members of these cohorts, in one query."""
    rows = session.execute(
        select(Member.workspace_id, Member.cohort_id, Member.id, Member.slack_user_id, Member.joined_at)
        .where(Member.cohort_id.in_(sorted(cohort_ids)), Member.status == MemberStatus.ACTIVE)
        .order_by(Member.id)
    ).all()
    return [Asked(*row) for row in rows]


def add_requests(session: Session, requests: Sequence[NewRequest]) -> list[tuple[int, NewRequest]]:
    """Add the requests not there yet (one per member, instrument and phase), unsent until their
    invitation reaches Slack; returns those just added."""
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


def mark_delivered(session: Session, request_ids: Collection[int], now: datetime) -> None:
    """Record that these requests' invitations reached Slack now, in one statement; a first delivery stays."""
    if not request_ids:
        return
    session.execute(
        update(SurveyRequest)
        .where(SurveyRequest.id.in_(sorted(request_ids)), SurveyRequest.sent_at.is_(None))
        .values(sent_at=now)
        .execution_options(synchronize_session=False)
    )


def open_request(session: Session, workspace_id: int, request_id: int) -> OpenRequest | None:
    """One request of this workspace with its member and cohort, or None."""
    row = session.execute(
        select(
            SurveyRequest.id,
            SurveyRequest.workspace_id,
            Member.slack_user_id,
            Member.status,
            SurveyRequest.instrument,
            SurveyRequest.phase,
            SurveyRequest.due_at,
            SurveyRequest.answered_at,
            Cohort.name,
            Cohort.free_text_hint,
        )
        .join(Member, Member.id == SurveyRequest.member_id)
        .join(Cohort, Cohort.id == SurveyRequest.cohort_id)
        .where(SurveyRequest.id == request_id, SurveyRequest.workspace_id == workspace_id)
    ).first()
    if row is None:
        return None
    id_, workspace_id_, user_id, status, name, phase, due, answered, cohort_name, hint = row
    return OpenRequest(id_, workspace_id_, user_id, status, name, phase, due, answered, cohort_name, hint)


def mark_answered(session: Session, request_id: int, now: datetime) -> bool:
    """Mark the request answered; False when it already was (a second submit, or a race lost)."""
    taken = session.execute(
        update(SurveyRequest)
        .where(SurveyRequest.id == request_id, SurveyRequest.answered_at.is_(None))
        .values(answered_at=now)
        .execution_options(synchronize_session=False)
    )
    return getattr(taken, "rowcount", 0) == 1


def add_answers(session: Session, workspace_id: int, request_id: int, answers: Sequence[NewAnswer]) -> None:
    """Store answers in one statement; an item already answered keeps its first answer."""
    if not answers:
        return
    rows = [
        {
            "workspace_id": workspace_id,
            "request_id": request_id,
            "item_id": a.item_id,
            "value": a.value,
            "text_encrypted": a.text_encrypted,
            "text_shared_for_research": a.for_research,
        }
        for a in sorted(answers, key=lambda a: a.item_id)
    ]
    session.execute(insert_ignoring_duplicates(session, table_of(SurveyAnswer)), rows)


def no_longer_wanted(session: Session, request_ids: Collection[int], now: datetime) -> set[int]:
    """Of these requests, those no message should go for any more: answered, closed, gone (erased), or
    their member no longer active. One query."""
    if not request_ids:
        return set()
    rows = session.execute(
        select(SurveyRequest.id, SurveyRequest.answered_at, SurveyRequest.due_at, Member.status)
        .join(Member, Member.id == SurveyRequest.member_id)
        .where(SurveyRequest.id.in_(sorted(request_ids)))
    ).all()
    wanted = {
        id_
        for id_, answered_at, due, status in rows
        if answered_at is None and status is MemberStatus.ACTIVE and not is_closed(due, now)
    }
    return set(request_ids) - wanted


def invited_at(session: Session, request_ids: Collection[int]) -> dict[int, datetime | None]:
    """When each of these requests' invitations reached Slack (None: not yet), in one statement."""
    if not request_ids:
        return {}
    rows = session.execute(
        select(SurveyRequest.id, SurveyRequest.sent_at).where(SurveyRequest.id.in_(sorted(request_ids)))
    ).all()
    return {id_: sent_at for id_, sent_at in rows}


def response_rates(session: Session, workspace_id: int, cohort_id: int) -> list[Rate]:
    """Per phase and instrument: requests delivered (an answered one was) and answered, never who answered
    what."""
    answered = func.sum(case((SurveyRequest.answered_at.is_not(None), 1), else_=0))
    rows = session.execute(
        select(SurveyRequest.phase, SurveyRequest.instrument, func.count(), answered)
        .where(
            and_(SurveyRequest.workspace_id == workspace_id, SurveyRequest.cohort_id == cohort_id),
            or_(SurveyRequest.sent_at.is_not(None), SurveyRequest.answered_at.is_not(None)),
        )
        .group_by(SurveyRequest.phase, SurveyRequest.instrument)
    ).all()
    order = list(SurveyPhase)
    rates = [Rate(SurveyPhase(phase), name, sent, int(done or 0)) for phase, name, sent, done in rows]
    return sorted(rates, key=lambda r: (order.index(r.phase), r.instrument))


def erase_surveys(session: Session, member_ids: Collection[int]) -> None:
    """Delete these memberships' survey requests and every answer to them."""
    if not member_ids:
        return
    asked = select(SurveyRequest.id).where(SurveyRequest.member_id.in_(sorted(member_ids)))
    session.execute(delete(SurveyAnswer).where(SurveyAnswer.request_id.in_(asked)))
    session.execute(delete(SurveyRequest).where(SurveyRequest.member_id.in_(sorted(member_ids))))
