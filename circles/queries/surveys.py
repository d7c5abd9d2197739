"""Survey requests: who is asked, each request once, where a request stands, held for an answer, the
version its answers are to, response rates, erasure (the member answering is `survey_answers`).

Everything here is set-based: one statement for any number of members, requests or cohorts.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from circles.domain.presence import taking_part
from circles.domain.surveys import RequestState
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
class Rate:
    """How many of a cohort's requests for one instrument at one phase were sent and answered."""

    phase: SurveyPhase
    instrument: str
    sent: int
    answered: int


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


def add_requests(session: Session, requests: Sequence[NewRequest]) -> list[tuple[int, NewRequest]]:
    """Add the requests not there yet (one per member, instrument and phase), unsent until their
    invitation reaches Slack; returns those just added. Those already there are left out first, in one
    query: a cohort is planned many times while a survey is open, and rewriting every member's request
    each time would cost what exists, not what is new."""
    if requests:
        there = session.execute(
            select(SurveyRequest.member_id, SurveyRequest.instrument, SurveyRequest.phase).where(
                SurveyRequest.cohort_id.in_(sorted({r.cohort_id for r in requests})),
                SurveyRequest.phase.in_(sorted({r.phase for r in requests})),
            )
        ).all()
        have = {(member, name, SurveyPhase(phase)) for member, name, phase in there}
        requests = [r for r in requests if (r.member_id, r.instrument, r.phase) not in have]
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


def request_states(session: Session, request_ids: Collection[int]) -> dict[int, RequestState]:
    """Where each of these requests stands, with its member and its cohort's archiving; one erased since is
    missing. One query."""
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
        .where(SurveyRequest.id.in_(sorted(request_ids)))
    ).all()
    return {
        id_: RequestState(due, sent, answered, status, paused_until, archived_at)
        for id_, due, sent, answered, status, paused_until, archived_at in rows
    }


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


def hold_for_answer(session: Session, workspace_id: int, request_id: int) -> str | None:
    """Lock the membership a request asks, then the request, until the caller commits: a leave or an
    erasure (which hold the membership before they close or cut its requests) is waited for, and two
    submits take turns. Whose membership was held (their Slack user id), or None when the request asks
    no one (erased before, another workspace's, missing)."""
    theirs = (SurveyRequest.id == request_id) & (SurveyRequest.workspace_id == workspace_id)
    asked = select(SurveyRequest.member_id).where(theirs).scalar_subquery()
    held = select(Member.slack_user_id).where(Member.id == asked).with_for_update(key_share=True)
    user_id = session.scalars(held).one_or_none()
    session.execute(select(SurveyRequest.id).where(theirs).with_for_update(key_share=True)).all()
    return user_id


def answers_version(session: Session, workspace_id: int, request_id: int) -> int:
    """The version of its instrument a request's answers so far were given to (before any: the one it was
    sent with)."""
    return session.scalars(
        select(SurveyRequest.instrument_version).where(
            SurveyRequest.id == request_id, SurveyRequest.workspace_id == workspace_id
        )
    ).one()


def answering_version(session: Session, workspace_id: int, request_id: int, version: int) -> bool:
    """Record that the request is answered to this version of its instrument; answers given to another
    version are deleted, since their questions and scales may be others. True when any was."""
    changed = session.execute(
        update(SurveyRequest)
        .where(
            SurveyRequest.id == request_id,
            SurveyRequest.workspace_id == workspace_id,
            SurveyRequest.instrument_version != version,
        )
        .values(instrument_version=version)
        .execution_options(synchronize_session=False)
    )
    if getattr(changed, "rowcount", 0) != 1:
        return False
    dropped = session.execute(
        delete(SurveyAnswer)
        .where(SurveyAnswer.request_id == request_id, SurveyAnswer.workspace_id == workspace_id)
        .execution_options(synchronize_session=False)
    )
    return getattr(dropped, "rowcount", 0) > 0


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
