"""What a research export reads about one cohort, each question one statement whatever the cohort's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, union
from sqlalchemy.orm import Session, aliased

from circles.domain.health.signals import Answer
from circles.domain.research.consent import ConsentRecord
from circles.domain.vocabulary import (
    EndReason,
    MemberStatus,
    PartnershipKind,
    Role,
    SurveyPhase,
)
from circles.persistence.models import (
    CheckIn,
    Consent,
    Escalation,
    Facilitator,
    HealthRecord,
    Member,
    Partnership,
    Profile,
    SurveyAnswer,
    SurveyRequest,
)
from circles.queries.reports.facts import HealthFact


@dataclass(frozen=True)
class MemberRow:
    member_id: int
    user_id: str
    role: Role
    status: MemberStatus
    joined_at: datetime
    left_at: datetime | None


@dataclass(frozen=True)
class PartnershipRow:
    partnership_id: int
    kind: PartnershipKind
    first_member_id: int
    second_member_id: int
    started_at: datetime
    ended_at: datetime | None
    end_reason: EndReason | None


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


@dataclass(frozen=True)
class Identities:
    """Everything in the workspace that names someone: an export must contain none of it."""

    user_ids: frozenset[str]
    names: frozenset[str]
    emails: frozenset[str]


def consent_histories(session: Session, cohort_id: int) -> dict[str, list[ConsentRecord]]:
    """Every person's consent decisions in the cohort, oldest first."""
    query = (
        select(Consent.slack_user_id, Consent.decision, Consent.decided_at, Consent.statement_version)
        .where(Consent.cohort_id == cohort_id)
        .order_by(Consent.decided_at, Consent.id)
    )
    found: dict[str, list[ConsentRecord]] = {}
    for user_id, decision, at, version in session.execute(query):
        found.setdefault(user_id, []).append(ConsentRecord(decision, at, version))
    return found


def cohort_members(session: Session, cohort_id: int) -> list[MemberRow]:
    """Every member the cohort has had, left ones included."""
    query = select(
        Member.id, Member.slack_user_id, Member.role, Member.status, Member.joined_at, Member.left_at
    ).where(Member.cohort_id == cohort_id)
    return [MemberRow(*row) for row in session.execute(query.order_by(Member.id))]


def cohort_partnerships(session: Session, cohort_id: int) -> list[PartnershipRow]:
    """Every partnership the cohort has had, ended ones included."""
    query = select(
        Partnership.id,
        Partnership.kind,
        Partnership.first_member_id,
        Partnership.second_member_id,
        Partnership.started_at,
        Partnership.ended_at,
        Partnership.end_reason,
    ).where(Partnership.cohort_id == cohort_id)
    return [PartnershipRow(*row) for row in session.execute(query.order_by(Partnership.id))]


def cohort_checkins(session: Session, cohort_id: int, until: datetime) -> list[CheckInRow]:
    """Every check-in of the cohort's partnerships due by `until`, without its note."""
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
    return [
        CheckInRow(pair, Answer(member, due, answered, rating, met, support))
        for pair, member, due, answered, rating, met, support in session.execute(query)
    ]


def cohort_survey_answers(session: Session, cohort_id: int, until: datetime) -> list[SurveyAnswerRow]:
    """Every survey item answered by `until`; words only where their author shared them for research."""
    query = (
        select(
            SurveyRequest.id,
            SurveyRequest.member_id,
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
        .where(SurveyRequest.cohort_id == cohort_id, SurveyRequest.answered_at <= until)
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


def cohort_escalations(session: Session, cohort_id: int, until: datetime) -> list[EscalationRow]:
    """The escalations opened by `until`: when opened and claimed, and how they ended (never who or why)."""
    query = (
        select(
            Escalation.partnership_id,
            Escalation.opened_at,
            Escalation.claimed_at,
            Escalation.status,
            Escalation.outcome,
        )
        .where(Escalation.cohort_id == cohort_id, Escalation.opened_at <= until)
        .order_by(Escalation.opened_at, Escalation.id)
    )
    return [EscalationRow(*row) for row in session.execute(query)]


def workspace_identities(session: Session, workspace_id: int) -> Identities:
    """The workspace's Slack IDs, display names and emails, in two statements."""
    profiles = select(Profile.slack_user_id, Profile.display_name, Profile.email).where(
        Profile.workspace_id == workspace_id
    )
    user_ids, names, emails = set(), set(), set()
    for user_id, name, email in session.execute(profiles):
        user_ids.add(user_id)
        names.update([name] if name else [])
        emails.update([email] if email else [])
    member = aliased(Member)
    others = union(
        select(member.slack_user_id).where(member.workspace_id == workspace_id),
        select(Facilitator.slack_user_id).where(Facilitator.workspace_id == workspace_id),
    )
    user_ids.update(session.scalars(select(others.subquery().c[0])))
    return Identities(frozenset(user_ids), frozenset(names), frozenset(emails))
