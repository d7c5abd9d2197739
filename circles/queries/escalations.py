"""Questions about escalations and their audit trail, the statements that keep one per partnership, what
health reads of past concerns, and follow-ups brought forward."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, insert, or_, select, tuple_, update
from sqlalchemy.orm import Session, aliased

from circles.domain.vocabulary import EscalationStatus
from circles.persistence.models import Cohort, Escalation, EscalationEvent, Member, Partnership
from circles.queries.ids import chunks
from circles.queries.inserts import insert_ignoring_duplicates, table_of


def escalations_of(session: Session, partnership_ids: Sequence[int]) -> list[Escalation]:
    """Every escalation these partnerships ever had, oldest first."""
    return list(
        session.scalars(
            select(Escalation).where(Escalation.partnership_id.in_(partnership_ids)).order_by(Escalation.id)
        )
    )


def unresolved_of(session: Session, partnership_ids: Sequence[int]) -> list[Escalation]:
    """These partnerships' unresolved escalations (one each at most), locked for the caller's change.

    Not skipping locked rows: a facilitator or a watch acting on one at the same moment is waited for,
    and what they left is read again.
    """
    found: list[Escalation] = []
    for chunk in chunks(sorted(set(partnership_ids))):
        found += session.scalars(
            select(Escalation)
            .where(Escalation.partnership_id.in_(chunk), Escalation.status != EscalationStatus.RESOLVED)
            .order_by(Escalation.id)
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        )
    return found


def open_all(session: Session, rows: Sequence[dict[str, Any]]) -> list[Escalation]:
    """Add these new escalations in one statement; returns those added, by id. A pair the database already
    holds an unresolved escalation for is skipped.

    The partial unique index on unresolved escalations is what keeps two watches (two processes, or
    `circles tick` beside a running app) from alerting twice: the second insert waits for the first
    transaction and then skips the pairs it opened.
    """
    if not rows:
        return []
    table = table_of(Escalation)
    added = session.execute(insert_ignoring_duplicates(session, table).returning(table.c.id), list(rows))
    ids = sorted(escalation_id for (escalation_id,) in added)
    return list(session.scalars(select(Escalation).where(Escalation.id.in_(ids)).order_by(Escalation.id)))


def add_events(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Add these lines to escalations' audit trails in one statement."""
    if rows:
        session.execute(insert(EscalationEvent), list(rows))


def claim_once(session: Session, escalation_id: int, user_id: str, now: datetime) -> bool:
    """Claim an unresolved, unclaimed escalation; False when it was resolved or someone else has it.

    One statement decides between two facilitators pressing at the same moment.
    """
    won = session.execute(
        update(Escalation)
        .where(
            Escalation.id == escalation_id,
            Escalation.status != EscalationStatus.RESOLVED,
            Escalation.claimed_by.is_(None),
        )
        .values(status=EscalationStatus.CLAIMED, claimed_by=user_id, claimed_at=now, snoozed_until=None)
        .execution_options(synchronize_session=False)
    )
    return getattr(won, "rowcount", 0) == 1


def follow_ups_due(session: Session, now: datetime) -> list[tuple[Escalation, Cohort]]:
    """Escalations whose follow-up is due, with their cohorts, locked; those another watch holds are left."""
    return _locked_with_cohorts(session, Escalation.follow_up_at <= now)


def snoozes_run_out(session: Session, now: datetime) -> list[tuple[Escalation, Cohort]]:
    """Snoozed escalations whose snooze has ended, with their cohorts, locked like `follow_ups_due`."""
    return _locked_with_cohorts(
        session, Escalation.snoozed_until <= now, Escalation.status == EscalationStatus.SNOOZED
    )


def _locked_with_cohorts(session: Session, *where: ColumnElement[bool]) -> list[tuple[Escalation, Cohort]]:
    query = (
        select(Escalation, Cohort)
        .join(Cohort, Cohort.id == Escalation.cohort_id)
        .where(*where)
        .order_by(Escalation.id)
        # a watch beside this one takes the others
        .with_for_update(of=Escalation, skip_locked=True, key_share=True)
    )
    return [(escalation, cohort) for escalation, cohort in session.execute(query)]


def lock_for_change(session: Session, escalation: Escalation) -> None:
    """Hold the escalation's cohort, then its pair, then the escalation, and read it again as it now stands.

    In the order a leave or a settings save locks (the cohort, the pair, then its alert; an ending from the
    alert plans the cohort again): a facilitator pressing a button waits for whoever acts on the same
    cohort, alert or pair at that moment, then sees what they left.
    """
    cohort = select(Cohort.id).where(Cohort.id == escalation.cohort_id)
    session.execute(cohort.with_for_update(key_share=True))
    session.execute(
        select(Partnership.id)
        .where(Partnership.id == escalation.partnership_id)
        .with_for_update(key_share=True)
    )
    session.refresh(escalation, with_for_update={"key_share": True})


def partners_of(session: Session, partnership_id: int) -> frozenset[str]:
    """The Slack user IDs of the pair's two partners: never told of their own pair's health or notes."""
    pair = Partnership.id == partnership_id
    either = or_(Partnership.first_member_id == Member.id, Partnership.second_member_id == Member.id)
    rows = session.scalars(select(Member.slack_user_id).join(Partnership, either).where(pair))
    return frozenset(rows)


def unresolved_in_cohort(session: Session, cohort_id: int) -> list[tuple[Escalation, frozenset[str]]]:
    """The cohort's unresolved escalations, oldest first, each with its two partners' Slack user IDs.

    One statement; the pairs and their members come with it, so drawing their cards reads them again
    from the session, not the database.
    """
    first, second = aliased(Member), aliased(Member)
    rows = session.execute(
        select(Escalation, Partnership, first, second)
        .join(Partnership, Partnership.id == Escalation.partnership_id)
        .join(first, first.id == Partnership.first_member_id)
        .join(second, second.id == Partnership.second_member_id)
        .where(Escalation.cohort_id == cohort_id, Escalation.status != EscalationStatus.RESOLVED)
        .order_by(Escalation.id)
    )
    return [(escalation, frozenset({a.slack_user_id, b.slack_user_id})) for escalation, _, a, b in rows]


@dataclass(frozen=True)
class PastConcern:
    """One escalation of a partnership, with how often its cohort checks in."""

    partnership_id: int
    status: EscalationStatus
    resolved_at: datetime | None
    opened_at: datetime
    checkin_every_weeks: int


def concerns_of(session: Session, partnership_ids: Sequence[int]) -> list[PastConcern]:
    """Every escalation of these partnerships, resolved or not."""
    found: list[PastConcern] = []
    for chunk in chunks(partnership_ids):
        rows = session.execute(
            select(Escalation.partnership_id, Escalation.status, Escalation.resolved_at, Escalation.opened_at)
            .add_columns(Cohort.checkin_every_weeks)
            .join(Cohort, Cohort.id == Escalation.cohort_id)
            .where(Escalation.partnership_id.in_(chunk))
        )
        found += [PastConcern(*row) for row in rows]
    return found


def follow_up_cohort_at(session: Session, cohort_id: int, at: datetime) -> None:
    """Bring every pending follow-up of the cohort's escalations to `at`."""
    session.execute(
        update(Escalation)
        .where(Escalation.cohort_id == cohort_id, Escalation.follow_up_at.is_not(None))
        .values(follow_up_at=at)
        .execution_options(synchronize_session=False)
    )


def follow_ups_now(session: Session, escalations: Sequence[tuple[int, int]], at: datetime) -> None:
    """follow_up_now for these (workspace id, escalation id), in one statement."""
    if escalations:
        session.execute(
            update(Escalation)
            .where(
                tuple_(Escalation.workspace_id, Escalation.id).in_(sorted(set(escalations))),
                Escalation.status == EscalationStatus.OPEN,
                Escalation.follow_up_at > at,
            )
            .values(follow_up_at=at)
            .execution_options(synchronize_session=False)
        )


def follow_up_now(session: Session, escalation_id: int, at: datetime) -> bool:
    """Bring an open escalation's pending follow-up to `at`; False when none was waiting past it."""
    moved = session.execute(
        update(Escalation)
        .where(
            Escalation.id == escalation_id,
            Escalation.status == EscalationStatus.OPEN,
            Escalation.follow_up_at > at,
        )
        .values(follow_up_at=at)
        .execution_options(synchronize_session=False)
    )
    return getattr(moved, "rowcount", 0) == 1
