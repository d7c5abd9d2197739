"""Read cohorts' report facts set-based: a query per kind of row, however many cohorts and however big.

Each takes the cohorts of one workspace and returns their rows by cohort, every cohort asked for a key.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from circles.persistence.models import (
    CheckIn,
    Escalation,
    HealthRecord,
    Member,
    Partnership,
)
from circles.queries.members.person import status_at
from circles.queries.partnerships.pairs import were_partners
from circles.queries.reports.as_of import PAIR_PAUSES, ended_as_of, paused_then
from circles.queries.reports.facts import (
    CheckInFact,
    EscalationFact,
    HealthFact,
    MemberFact,
    PartnershipFact,
    SharedNote,
)

Fact = TypeVar("Fact")
ByCohort = dict[int, list[Fact]]


def by_cohort(cohort_ids: Collection[int], rows: Iterable[tuple[int, Fact]]) -> ByCohort[Fact]:
    """(cohort, fact) rows gathered by cohort, in the order read; a cohort with none has an empty list."""
    found: ByCohort[Fact] = {cohort_id: [] for cohort_id in cohort_ids}
    for cohort_id, fact in rows:
        found[cohort_id].append(fact)
    return found


def _facts_by_cohort(
    session: Session, cohort_ids: Collection[int], fact: Callable[..., Fact], query: Select[*tuple[Any, ...]]
) -> ByCohort[Fact]:
    """The query's rows gathered by cohort, each row its cohort then the fact's fields in their order."""
    return by_cohort(cohort_ids, ((row[0], fact(*row[1:])) for row in session.execute(query)))


def members(
    session: Session, workspace_id: int, cohort_ids: Collection[int], now: datetime
) -> ByCohort[MemberFact]:
    """Every member each cohort had by `now`, as they stood then (`MemberFact.as_of`): role, status at
    `now` (paused or not then, as their pauses tell), when they joined and left (each time, when they came
    back)."""
    query = (
        select(
            Member.cohort_id,
            Member.role,
            status_at(Member, now),
            Member.joined_at,
            Member.left_at,
            Member.earlier_stints,
            Member.pauses,
            Member.paused_until,
        )
        .where(Member.workspace_id == workspace_id, Member.cohort_id.in_(list(cohort_ids)))
        .order_by(Member.id)
    )
    found = _facts_by_cohort(session, cohort_ids, MemberFact, query)
    return {cohort_id: _as_of(facts, now) for cohort_id, facts in found.items()}


def _as_of(members: list[MemberFact], now: datetime) -> list[MemberFact]:
    return [then for then in (member.as_of(now) for member in members) if then is not None]


def erased(
    session: Session, workspace_id: int, cohort_ids: Collection[int]
) -> dict[int, dict[int, datetime]]:
    """By cohort: the members who asked to be erased, by id, and from when they are shown as erased."""
    rows = session.execute(
        select(Member.cohort_id, Member.id, Member.erased_before).where(
            Member.workspace_id == workspace_id,
            Member.cohort_id.in_(list(cohort_ids)),
            Member.erased_before.is_not(None),
        )
    )
    found: dict[int, dict[int, datetime]] = {cohort_id: {} for cohort_id in cohort_ids}
    for cohort_id, member_id, since in rows:
        if since is not None:
            found[cohort_id][member_id] = since
    return found


def partnerships(
    session: Session, workspace_id: int, cohort_ids: Collection[int], until: datetime | None = None
) -> ByCohort[PartnershipFact]:
    """Every partnership of each cohort, by id; with `until`, those started by then, as they stood then
    (`ended_as_of`), paused or not then (`paused_then`). A pair Slack never made is none (`were_partners`):
    neither running nor ended early."""
    status, end_reason, ended_at = (
        ended_as_of(until)
        if until is not None
        else (Partnership.status, Partnership.end_reason, Partnership.ended_at)
    )
    query = (
        select(
            Partnership.cohort_id,
            Partnership.id,
            Partnership.kind,
            status,
            end_reason,
            Partnership.started_at,
            ended_at,
            Partnership.first_member_id,
            Partnership.second_member_id,
        )
        .where(Partnership.workspace_id == workspace_id, Partnership.cohort_id.in_(list(cohort_ids)))
        .where(were_partners())
        .order_by(Partnership.id)
    )
    if until is None:
        return _facts_by_cohort(session, cohort_ids, PartnershipFact, query)
    then = query.add_columns(*PAIR_PAUSES).where(Partnership.started_at <= until)
    return by_cohort(
        cohort_ids,
        ((row[0], paused_then(PartnershipFact(*row[1:9]), row[9:], until)) for row in session.execute(then)),
    )


def checkins(session: Session, workspace_id: int, cohort_ids: Collection[int]) -> ByCohort[CheckInFact]:
    """Every check-in of each cohort's partnerships, answered or not; never a note."""
    query = (
        select(
            Partnership.cohort_id,
            CheckIn.partnership_id,
            CheckIn.member_id,
            CheckIn.due_at,
            CheckIn.answered_at,
            CheckIn.rating,
            CheckIn.asked_at,
        )
        .join(Partnership, Partnership.id == CheckIn.partnership_id)
        .where(
            CheckIn.workspace_id == workspace_id,
            Partnership.workspace_id == workspace_id,
            Partnership.cohort_id.in_(list(cohort_ids)),
        )
        .order_by(CheckIn.id)
    )
    return _facts_by_cohort(session, cohort_ids, CheckInFact, query)


def health(
    session: Session, workspace_id: int, cohort_ids: Collection[int], *, with_reasons: bool
) -> ByCohort[HealthFact]:
    """Each cohort's health history in time order; the reasons' words only for individual rows."""
    rows = session.execute(
        select(
            HealthRecord.cohort_id,
            HealthRecord.partnership_id,
            HealthRecord.computed_at,
            HealthRecord.state,
            HealthRecord.reasons,
        )
        .where(HealthRecord.workspace_id == workspace_id, HealthRecord.cohort_id.in_(list(cohort_ids)))
        .order_by(HealthRecord.computed_at, HealthRecord.id)
    )
    return by_cohort(
        cohort_ids,
        (
            (cohort, HealthFact(pair_id, at, state, _reason_texts(reasons) if with_reasons else ()))
            for cohort, pair_id, at, state, reasons in rows
        ),
    )


def _reason_texts(reasons: object) -> tuple[str, ...]:
    if not isinstance(reasons, list):
        return ()
    return tuple(str(reason["text"]) for reason in reasons if isinstance(reason, dict) and "text" in reason)


def escalations(
    session: Session, workspace_id: int, cohort_ids: Collection[int], *, leaving_out: Collection[int] = ()
) -> ByCohort[EscalationFact]:
    """When each cohort's escalations were opened, claimed and resolved; none about `leaving_out`."""
    query = (
        select(Escalation.cohort_id, Escalation.opened_at, Escalation.claimed_at, Escalation.resolved_at)
        .where(Escalation.workspace_id == workspace_id, Escalation.cohort_id.in_(list(cohort_ids)))
        .order_by(Escalation.id)
    )
    if leaving_out:
        query = query.where(Escalation.partnership_id.not_in(list(leaving_out)))
    return _facts_by_cohort(session, cohort_ids, EscalationFact, query)


def shared_notes(
    session: Session, workspace_id: int, cohort_ids: Collection[int], until: datetime
) -> ByCohort[SharedNote]:
    """The notes their authors shared by `until`, by cohort, with their partnership, time and author; no
    other note."""
    when = func.coalesce(CheckIn.answered_at, CheckIn.due_at)
    rows = session.execute(
        select(Partnership.cohort_id, CheckIn.partnership_id, when, CheckIn.member_id, CheckIn.note_encrypted)
        .join(Partnership, Partnership.id == CheckIn.partnership_id)
        .where(
            CheckIn.workspace_id == workspace_id,
            Partnership.workspace_id == workspace_id,
            Partnership.cohort_id.in_(list(cohort_ids)),
            CheckIn.note_shared.is_(True),
            CheckIn.note_encrypted.is_not(None),
            when <= until,
        )
        .order_by(CheckIn.partnership_id, when, CheckIn.id)
    )
    return by_cohort(
        cohort_ids,
        ((cohort, SharedNote(pid, at, author, token)) for cohort, pid, at, author, token in rows if token),
    )
