"""A member answering their own survey: the request as they answer it, marking it answered once, its
answers kept once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from circles.domain.vocabulary import MemberStatus, SurveyPhase
from circles.persistence.models import Cohort, Member, SurveyAnswer, SurveyRequest
from circles.queries.inserts import insert_ignoring_duplicates, table_of


@dataclass(frozen=True)
class NewAnswer:
    item_id: str
    value: int | None = None
    text_encrypted: bytes | None = None
    for_research: bool = False


@dataclass(frozen=True)
class OpenRequest:
    """A request as its member answers it: whose, which instrument, its cohort's words, whether that
    cohort is over (its last day, in its zone) or archived, and whether the request was superseded (its
    phase asked again after the cohort's dates moved: it takes no more answers)."""

    request_id: int
    workspace_id: int
    user_id: str
    member_status: MemberStatus
    paused_until: datetime | None
    instrument: str
    phase: SurveyPhase
    due_at: datetime
    sent_at: datetime | None
    answered_at: datetime | None
    cohort_name: str
    free_text_hint: str | None
    ends_on: date | None
    timezone: str
    archived_at: datetime | None
    superseded: bool = False


def open_request(session: Session, workspace_id: int, request_id: int) -> OpenRequest | None:
    """One request of this workspace with its member and cohort, or None."""
    row = session.execute(
        select(
            SurveyRequest.id,
            SurveyRequest.workspace_id,
            Member.slack_user_id,
            Member.status,
            Member.paused_until,
            SurveyRequest.instrument,
            SurveyRequest.phase,
            SurveyRequest.due_at,
            SurveyRequest.sent_at,
            SurveyRequest.answered_at,
            Cohort.name,
            Cohort.free_text_hint,
            Cohort.ends_on,
            Cohort.timezone,
            Cohort.archived_at,
            SurveyRequest.superseded_at,
        )
        .join(Member, Member.id == SurveyRequest.member_id)
        .join(Cohort, Cohort.id == SurveyRequest.cohort_id)
        .where(SurveyRequest.id == request_id, SurveyRequest.workspace_id == workspace_id)
    ).first()
    if row is None:
        return None
    id_, workspace_id_, user_id, status, paused_until, name, phase, due, sent, answered = row[:10]
    cohort, hint, ends_on, zone, archived_at, superseded_at = row[10:]
    return OpenRequest(
        id_,
        workspace_id_,
        user_id,
        status,
        paused_until,
        name,
        phase,
        due,
        sent,
        answered,
        cohort,
        hint,
        ends_on,
        zone,
        archived_at,
        superseded_at is not None,
    )


def mark_answered(session: Session, request_id: int, now: datetime, version: int) -> bool:
    """Mark the request answered, to this version of its instrument; False when it already was (a second
    submit, or a race lost)."""
    taken = session.execute(
        update(SurveyRequest)
        .where(SurveyRequest.id == request_id, SurveyRequest.answered_at.is_(None))
        .values(answered_at=now, instrument_version=version)
        .execution_options(synchronize_session=False)
    )
    return getattr(taken, "rowcount", 0) == 1


def answered_items(session: Session, request_id: int) -> frozenset[str]:
    """The items of a request answered so far (a long survey's parts already sent)."""
    query = select(SurveyAnswer.item_id).where(SurveyAnswer.request_id == request_id)
    return frozenset(session.scalars(query))


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
