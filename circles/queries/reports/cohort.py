"""Read one cohort's report facts set-based: a query per kind of row, however big the cohort."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from circles.persistence.models import (
    CheckIn,
    Escalation,
    HealthRecord,
    Member,
    Partnership,
)
from circles.queries.reports.facts import (
    CheckInFact,
    EscalationFact,
    HealthFact,
    MemberFact,
    PartnershipFact,
)


def members(session: Session, workspace_id: int, cohort_id: int) -> list[MemberFact]:
    """Every member the cohort ever had: role, status and when they joined and left."""
    rows = session.execute(
        select(Member.role, Member.status, Member.joined_at, Member.left_at).where(
            Member.workspace_id == workspace_id, Member.cohort_id == cohort_id
        )
    )
    return [MemberFact(*row) for row in rows]


def erased(session: Session, workspace_id: int, cohort_id: int) -> dict[int, datetime]:
    """The members who asked to be erased, by id, and from when they are shown as erased."""
    rows = session.execute(
        select(Member.id, Member.erased_before).where(
            Member.workspace_id == workspace_id,
            Member.cohort_id == cohort_id,
            Member.erased_before.is_not(None),
        )
    )
    return {member_id: since for member_id, since in rows if since is not None}


def partnerships(session: Session, workspace_id: int, cohort_id: int) -> list[PartnershipFact]:
    """Every partnership of the cohort, by id."""
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
        .where(Partnership.workspace_id == workspace_id, Partnership.cohort_id == cohort_id)
        .order_by(Partnership.id)
    )
    return [PartnershipFact(*row) for row in rows]


def checkins(session: Session, workspace_id: int, cohort_id: int) -> list[CheckInFact]:
    """Every check-in of the cohort's partnerships, answered or not; never a note."""
    rows = session.execute(
        select(CheckIn.partnership_id, CheckIn.member_id, CheckIn.due_at, CheckIn.answered_at, CheckIn.rating)
        .join(Partnership, Partnership.id == CheckIn.partnership_id)
        .where(
            CheckIn.workspace_id == workspace_id,
            Partnership.workspace_id == workspace_id,
            Partnership.cohort_id == cohort_id,
        )
    )
    return [CheckInFact(*row) for row in rows]


def health(session: Session, workspace_id: int, cohort_id: int, *, with_reasons: bool) -> list[HealthFact]:
    """The cohort's health history in time order; the reasons' words only for individual rows."""
    rows = session.execute(
        select(
            HealthRecord.partnership_id, HealthRecord.computed_at, HealthRecord.state, HealthRecord.reasons
        )
        .where(HealthRecord.workspace_id == workspace_id, HealthRecord.cohort_id == cohort_id)
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


def escalations(
    session: Session, workspace_id: int, cohort_id: int, *, leaving_out: Collection[int] = ()
) -> list[EscalationFact]:
    """When each of the cohort's escalations was opened, claimed and resolved; none about `leaving_out`."""
    query = select(Escalation.opened_at, Escalation.claimed_at, Escalation.resolved_at).where(
        Escalation.workspace_id == workspace_id, Escalation.cohort_id == cohort_id
    )
    if leaving_out:
        query = query.where(Escalation.partnership_id.not_in(list(leaving_out)))
    return [EscalationFact(*row) for row in session.execute(query)]


def shared_notes(
    session: Session, workspace_id: int, cohort_id: int
) -> list[tuple[int, datetime, int, bytes]]:
    """(partnership, when, author member, sealed note) of the notes their authors shared; no other note."""
    when = func.coalesce(CheckIn.answered_at, CheckIn.due_at)
    rows = session.execute(
        select(CheckIn.partnership_id, when, CheckIn.member_id, CheckIn.note_encrypted)
        .join(Partnership, Partnership.id == CheckIn.partnership_id)
        .where(
            CheckIn.workspace_id == workspace_id,
            Partnership.workspace_id == workspace_id,
            Partnership.cohort_id == cohort_id,
            CheckIn.note_shared.is_(True),
            CheckIn.note_encrypted.is_not(None),
        )
        .order_by(CheckIn.partnership_id, when, CheckIn.id)
    )
    return [(pid, at, member_id, token) for pid, at, member_id, token in rows if token]
