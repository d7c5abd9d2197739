"""Read one cohort's facts set-based: a query per kind of row, however big the cohort."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import String, cast, func, literal, select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import MemberStatus, OutboxStatus
from circles.persistence.models import (
    CheckIn,
    Circle,
    CircleMembership,
    Cohort,
    Escalation,
    HealthRecord,
    Member,
    OutboxMessage,
    Partnership,
)
from circles.services.reports.facts import (
    CheckInFact,
    EscalationFact,
    HealthFact,
    MemberFact,
    PartnershipFact,
)
from circles.services.reports.figures import CircleRow
from circles.services.reports.weeks import local_day

# How the planner keys circle prompts (circles.domain.planning): "circle_prompt:<circle id>:<day>".
PROMPT_KEY = "circle_prompt:"


def members(session: Session, cohort: Cohort) -> list[MemberFact]:
    rows = session.execute(
        select(Member.role, Member.status, Member.joined_at, Member.left_at).where(
            Member.workspace_id == cohort.workspace_id, Member.cohort_id == cohort.id
        )
    )
    return [MemberFact(*row) for row in rows]


def user_ids(session: Session, cohort: Cohort) -> dict[int, str]:
    """Each member's Slack user ID: for individual rows only."""
    rows = session.execute(
        select(Member.id, Member.slack_user_id).where(
            Member.workspace_id == cohort.workspace_id, Member.cohort_id == cohort.id
        )
    )
    return {member_id: user_id for member_id, user_id in rows}


def partnerships(session: Session, cohort: Cohort) -> list[PartnershipFact]:
    rows = session.execute(
        select(
            Partnership.id,
            Partnership.kind,
            Partnership.status,
            Partnership.end_reason,
            Partnership.started_at,
            Partnership.ended_at,
            Partnership.first_member_id,
            Partnership.second_member_id,
        )
        .where(Partnership.workspace_id == cohort.workspace_id, Partnership.cohort_id == cohort.id)
        .order_by(Partnership.id)
    )
    return [PartnershipFact(*row) for row in rows]


def checkins(session: Session, cohort: Cohort) -> list[CheckInFact]:
    rows = session.execute(
        select(CheckIn.partnership_id, CheckIn.member_id, CheckIn.due_at, CheckIn.answered_at, CheckIn.rating)
        .join(Partnership, Partnership.id == CheckIn.partnership_id)
        .where(
            CheckIn.workspace_id == cohort.workspace_id,
            Partnership.workspace_id == cohort.workspace_id,
            Partnership.cohort_id == cohort.id,
        )
    )
    return [CheckInFact(*row) for row in rows]


def health(session: Session, cohort: Cohort, *, with_reasons: bool) -> list[HealthFact]:
    """The cohort's health history in time order; the reasons' words only for individual rows."""
    rows = session.execute(
        select(
            HealthRecord.partnership_id, HealthRecord.computed_at, HealthRecord.state, HealthRecord.reasons
        )
        .where(HealthRecord.workspace_id == cohort.workspace_id, HealthRecord.cohort_id == cohort.id)
        .order_by(HealthRecord.computed_at, HealthRecord.id)
    )
    return [
        HealthFact(pair_id, at, state, _reason_texts(reasons) if with_reasons else ())
        for pair_id, at, state, reasons in rows
    ]


def _reason_texts(reasons: object) -> tuple[str, ...]:
    if not isinstance(reasons, list):
        return ()
    return tuple(str(reason["text"]) for reason in reasons if isinstance(reason, dict) and "text" in reason)


def escalations(session: Session, cohort: Cohort) -> list[EscalationFact]:
    rows = session.execute(
        select(Escalation.opened_at, Escalation.claimed_at, Escalation.resolved_at).where(
            Escalation.workspace_id == cohort.workspace_id, Escalation.cohort_id == cohort.id
        )
    )
    return [EscalationFact(*row) for row in rows]


def circles(session: Session, cohort: Cohort, now: datetime) -> tuple[CircleRow, ...]:
    """Each circle: when it formed, its members by status now, and its prompts by how they went."""
    found = session.execute(
        select(Circle.id, Circle.name, Circle.round, Circle.created_at, Circle.dissolved_at)
        .where(Circle.workspace_id == cohort.workspace_id, Circle.cohort_id == cohort.id)
        .order_by(Circle.round, Circle.id)
    ).all()
    people = Counter[tuple[int, MemberStatus]]()
    for circle_id, status, count in session.execute(
        select(CircleMembership.circle_id, Member.status, func.count())
        .join(Member, Member.id == CircleMembership.member_id)
        .join(Circle, Circle.id == CircleMembership.circle_id)
        .where(
            Circle.workspace_id == cohort.workspace_id,
            Circle.cohort_id == cohort.id,
            CircleMembership.workspace_id == cohort.workspace_id,
        )
        .group_by(CircleMembership.circle_id, Member.status)
    ):
        people[circle_id, status] = count
    prompts = Counter[tuple[int, OutboxStatus]]()
    # A circle's prompts are the outbox rows planned for its conversation under its own key, due by now.
    for circle_id, sending, count in session.execute(
        select(Circle.id, OutboxMessage.status, func.count())
        .join(
            OutboxMessage,
            (OutboxMessage.workspace_id == Circle.workspace_id)
            & (OutboxMessage.channel == Circle.conversation_id)
            & OutboxMessage.idempotency_key.startswith(literal(PROMPT_KEY) + cast(Circle.id, String) + ":"),
        )
        .where(
            Circle.workspace_id == cohort.workspace_id,
            Circle.cohort_id == cohort.id,
            OutboxMessage.due_at <= now,
        )
        .group_by(Circle.id, OutboxMessage.status)
    ):
        prompts[circle_id, sending] = count
    return tuple(
        CircleRow(
            name=name,
            round=round_number,
            formed_on=local_day(created_at, cohort.timezone),
            dissolved_on=local_day(dissolved_at, cohort.timezone) if dissolved_at else None,
            members=sum(people[circle_id, status] for status in MemberStatus),
            active=people[circle_id, MemberStatus.ACTIVE],
            paused=people[circle_id, MemberStatus.PAUSED],
            left=people[circle_id, MemberStatus.LEFT],
            prompts_sent=prompts[circle_id, OutboxStatus.SENT],
            prompts_missed=prompts[circle_id, OutboxStatus.MISSED],
            prompts_failed=prompts[circle_id, OutboxStatus.FAILED],
            prompts_waiting=prompts[circle_id, OutboxStatus.PENDING]
            + prompts[circle_id, OutboxStatus.CLAIMED],
        )
        for circle_id, name, round_number, created_at, dissolved_at in found
    )


def shared_notes(session: Session, cohort: Cohort) -> list[tuple[int, datetime, int, bytes]]:
    """(partnership, when, author member, sealed note) of the notes their authors shared; no other note."""
    when = func.coalesce(CheckIn.answered_at, CheckIn.due_at)
    rows = session.execute(
        select(CheckIn.partnership_id, when, CheckIn.member_id, CheckIn.note_encrypted)
        .join(Partnership, Partnership.id == CheckIn.partnership_id)
        .where(
            CheckIn.workspace_id == cohort.workspace_id,
            Partnership.workspace_id == cohort.workspace_id,
            Partnership.cohort_id == cohort.id,
            CheckIn.note_shared.is_(True),
            CheckIn.note_encrypted.is_not(None),
        )
        .order_by(CheckIn.partnership_id, when, CheckIn.id)
    )
    return [(pid, at, member_id, token) for pid, at, member_id, token in rows if token]
