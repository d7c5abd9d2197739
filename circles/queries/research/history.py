"""What happened in a cohort up to an export's moment: check-ins, survey answers, health and escalations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from circles.domain.escalations import Action
from circles.domain.health.signals import Answer
from circles.domain.vocabulary import EscalationStatus, SurveyPhase
from circles.persistence.models import (
    CheckIn,
    Escalation,
    EscalationEvent,
    HealthRecord,
    Partnership,
    SurveyAnswer,
    SurveyRequest,
)
from circles.queries.reports.facts import HealthFact


@dataclass(frozen=True)
class CheckInRow:
    """One partner's check-in in one partnership, as the health rules read it (never its note)."""

    partnership_id: int
    answer: Answer


@dataclass(frozen=True)
class SurveyAnswerRow:
    request_id: int
    member_id: int
    instrument: str
    instrument_version: int
    phase: SurveyPhase
    answered_at: datetime
    item_id: str
    value: int | None
    text_encrypted: bytes | None  # only answers whose author shared their words for research


@dataclass(frozen=True)
class EscalationRow:
    partnership_id: int
    opened_at: datetime
    claimed_at: datetime | None
    status: str
    outcome: str | None


def cohort_checkins(session: Session, cohort_id: int, until: datetime) -> list[CheckInRow]:
    """Every check-in of the cohort's partnerships due by `until`, without its note; one answered only
    after `until` reads as unanswered (no answer, rating or meeting, and no call for support yet)."""
    query = (
        select(
            CheckIn.partnership_id,
            CheckIn.member_id,
            CheckIn.due_at,
            CheckIn.answered_at,
            CheckIn.rating,
            CheckIn.met,
            CheckIn.wants_support,
        )
        .join(Partnership, Partnership.id == CheckIn.partnership_id)
        .where(Partnership.cohort_id == cohort_id, CheckIn.due_at <= until)
        .order_by(CheckIn.due_at, CheckIn.id)
    )
    rows = []
    for pair, member, due, answered, rating, met, support in session.execute(query):
        if answered is not None and answered > until:
            answered, rating, met, support = None, None, None, False
        rows.append(CheckInRow(pair, Answer(member, due, answered, rating, met, support)))
    return rows


def cohort_survey_answers(session: Session, cohort_id: int, until: datetime) -> list[SurveyAnswerRow]:
    """Every survey item answered by `until` to a request current then; words only where their author
    shared them for research."""
    query = (
        select(
            SurveyRequest.id,
            type_coerce(SurveyRequest.member_id, Integer),  # never None here: see the `where`
            SurveyRequest.instrument,
            SurveyRequest.instrument_version,
            SurveyRequest.phase,
            SurveyRequest.answered_at,
            SurveyAnswer.item_id,
            SurveyAnswer.value,
            SurveyAnswer.text_encrypted,
            SurveyAnswer.text_shared_for_research,
        )
        .join(SurveyAnswer, SurveyAnswer.request_id == SurveyRequest.id)
        .where(
            SurveyRequest.cohort_id == cohort_id,
            SurveyRequest.answered_at <= until,
            SurveyRequest.member_id.is_not(None),  # an erased person's: their answers are gone too
            # One request per member, instrument and phase: the current one as of `until`. One superseded
            # (its phase asked again after the cohort's dates moved) was the phase's answer until then.
            or_(SurveyRequest.superseded_at.is_(None), SurveyRequest.superseded_at > until),
        )
        .order_by(SurveyRequest.id, SurveyAnswer.item_id)
    )
    return [
        SurveyAnswerRow(request, member, name, version, phase, at, item, value, text if shared else None)
        for request, member, name, version, phase, at, item, value, text, shared in session.execute(query)
        if at is not None
    ]


def cohort_health(session: Session, cohort_id: int, until: datetime) -> list[HealthFact]:
    """The cohort's health history up to `until`, pair by pair, oldest first; without the reasons."""
    query = (
        select(HealthRecord.partnership_id, HealthRecord.computed_at, HealthRecord.state)
        .where(HealthRecord.cohort_id == cohort_id, HealthRecord.computed_at <= until)
        .order_by(HealthRecord.partnership_id, HealthRecord.computed_at, HealthRecord.id)
    )
    return [HealthFact(*row) for row in session.execute(query)]


# What ends a snooze in the audit trail: a claim, the alert back (to facilitators or admins), an outcome.
_SNOOZE_ENDS = (Action.CLAIMED, Action.RESURFACED, Action.SENT_TO_ADMINS, Action.RESOLVED)


def cohort_escalations(session: Session, cohort_id: int, until: datetime) -> list[EscalationRow]:
    """The escalations opened by `until`, as they stood then: when opened and claimed, and how they ended
    (never who or why). A claim after `until` has not happened yet, nor an outcome: such an alert reads as
    open, claimed or snoozed, as the audit trail says it was at `until`."""

    def last(actions: tuple[Action, ...]) -> Any:
        return (
            select(func.max(EscalationEvent.at))
            .where(
                EscalationEvent.escalation_id == Escalation.id,
                EscalationEvent.action.in_([a.value for a in actions]),
                EscalationEvent.at <= until,
            )
            .scalar_subquery()
        )

    query = (
        select(
            Escalation.partnership_id,
            Escalation.opened_at,
            Escalation.claimed_at,
            Escalation.status,
            Escalation.outcome,
            Escalation.resolved_at,
            last((Action.SNOOZED,)),
            last(_SNOOZE_ENDS),
        )
        .where(Escalation.cohort_id == cohort_id, Escalation.opened_at <= until)
        .order_by(Escalation.opened_at, Escalation.id)
    )
    return [_as_of(until, *row) for row in session.execute(query)]


def _as_of(
    until: datetime,
    partnership_id: int,
    opened_at: datetime,
    claimed_at: datetime | None,
    status: str,
    outcome: str | None,
    resolved_at: datetime | None,
    snoozed_at: datetime | None,
    snooze_ended_at: datetime | None,
) -> EscalationRow:
    claimed = claimed_at if claimed_at is not None and claimed_at <= until else None
    if resolved_at is not None and resolved_at <= until:
        return EscalationRow(partnership_id, opened_at, claimed, status, outcome)
    if snoozed_at is not None and (snooze_ended_at is None or snooze_ended_at < snoozed_at):
        then = EscalationStatus.SNOOZED
    elif status == EscalationStatus.OPEN or claimed is None:  # open now, or claimed only after `until`
        then = EscalationStatus.OPEN
    else:
        then = EscalationStatus.CLAIMED
    return EscalationRow(partnership_id, opened_at, claimed, then.value, None)
