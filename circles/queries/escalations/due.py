"""When escalations come back to their facilitators: follow-ups and snoozes that are due, claims their holder
may no longer keep, and follow-ups brought forward."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, literal_column, or_, select, tuple_, union_all, update
from sqlalchemy.orm import Session

from circles.domain.availability.absence import BLOCKS
from circles.domain.vocabulary import EscalationStatus
from circles.persistence.models import AwayBlock, Cohort, Escalation, Partnership
from circles.queries.aliases import FIRST_PARTNER, OTHER_PAIR, OTHER_PARTNER, SECOND_PARTNER, THIS_MEMBER

# As the partial index on unresolved escalations says it, written out rather than bound, so that the
# planner (PostgreSQL's once a statement is prepared, SQLite's always) sees the index answers it.
UNRESOLVED = Escalation.status != literal_column(f"'{EscalationStatus.RESOLVED.value}'")


def follow_ups_due(session: Session, now: datetime) -> list[tuple[Escalation, Cohort]]:
    """Escalations whose follow-up is due, and every one unresolved in an archived cohort (claimed, or
    followed up twice: none has a follow-up left, and each is closed as ended at its next pass), with their
    cohorts, locked; those another watch holds are left. One statement: each part read by its own index, the
    second by the partial ones on archived cohorts and on each cohort's unresolved escalations (migration
    0044: archived by hand, a cohort says so nowhere else), so it reads the few archived cohorts' open
    alerts, never every unresolved alert, and finds nothing on almost every pass."""
    due = select(Escalation.id).where(Escalation.follow_up_at <= now)
    archived_cohorts = select(Cohort.id).where(Cohort.archived_at.is_not(None))
    archived = select(Escalation.id).where(UNRESOLVED, Escalation.cohort_id.in_(archived_cohorts))
    return _locked_with_cohorts(session, Escalation.id.in_(union_all(due, archived)))


def snoozes_run_out(session: Session, now: datetime) -> list[tuple[Escalation, Cohort]]:
    """Snoozed escalations whose snooze has ended, with their cohorts, locked like `follow_ups_due`."""
    return _locked_with_cohorts(
        session, Escalation.snoozed_until <= now, Escalation.status == EscalationStatus.SNOOZED
    )


def claims_kept_from_pair(session: Session) -> list[tuple[Escalation, Cohort]]:
    """Unresolved escalations claimed by someone now kept from their pair (one of it, or ever paired with
    one of its partners, in any cohort of the workspace: `circles.domain.own_pairs`), with their cohorts,
    locked like `follow_ups_due`. One statement, which finds nothing on almost every pass.

    The claimer can no longer act on it, so nobody is reaching out: a pair formed after the claim (a
    round, a request, a file) does this.
    """
    first, second, me, other, ever = FIRST_PARTNER, SECOND_PARTNER, THIS_MEMBER, OTHER_PARTNER, OTHER_PAIR
    pair = (first.slack_user_id, second.slack_user_id)
    paired_with_one = (
        select(ever.id)
        .join(me, or_(me.id == ever.first_member_id, me.id == ever.second_member_id))
        .join(
            other,
            and_(or_(other.id == ever.first_member_id, other.id == ever.second_member_id), other.id != me.id),
        )
        .where(
            me.workspace_id == Escalation.workspace_id,
            me.slack_user_id == Escalation.claimed_by,
            other.slack_user_id.in_(pair),
        )
        .exists()
    )
    return _locked_with_cohorts(
        session,
        Escalation.status != EscalationStatus.RESOLVED,
        Escalation.claimed_by.is_not(None),
        or_(Escalation.claimed_by.in_(pair), paired_with_one),
        pair=True,
    )


def claims_of_the_away(session: Session, now: datetime, until: datetime) -> list[tuple[Escalation, Cohort]]:
    """Unresolved escalations whose claimer is away now, on an away, rotation or leave block of the
    workspace that started at or after their claim and runs past `until`, with their cohorts, locked like
    `follow_ups_due`. One statement, which finds nothing on almost every pass (the person's blocks are read
    by their index).

    A claim said during the absence is the claimer's own choice, and is kept.
    """
    away = (
        select(AwayBlock.id)
        .where(
            AwayBlock.workspace_id == Escalation.workspace_id,
            AwayBlock.slack_user_id == Escalation.claimed_by,
            AwayBlock.ends_at > until,
            AwayBlock.starts_at <= now,
            or_(Escalation.claimed_at.is_(None), AwayBlock.starts_at >= Escalation.claimed_at),
            AwayBlock.kind.in_(sorted(BLOCKS)),
        )
        .exists()
    )
    return _locked_with_cohorts(
        session, Escalation.status != EscalationStatus.RESOLVED, Escalation.claimed_by.is_not(None), away
    )


def _locked_with_cohorts(
    session: Session, *where: ColumnElement[bool], pair: bool = False
) -> list[tuple[Escalation, Cohort]]:
    query = select(Escalation, Cohort).join(Cohort, Cohort.id == Escalation.cohort_id)
    if pair:  # the pair's two members, for a condition on its partners
        query = (
            query.join(Partnership, Partnership.id == Escalation.partnership_id)
            .join(FIRST_PARTNER, FIRST_PARTNER.id == Partnership.first_member_id)
            .join(SECOND_PARTNER, SECOND_PARTNER.id == Partnership.second_member_id)
        )
    query = (
        query.where(*where)
        .order_by(Escalation.id)
        # a watch beside this one takes the others
        .with_for_update(of=Escalation, skip_locked=True, key_share=True)
    )
    return [(escalation, cohort) for escalation, cohort in session.execute(query)]


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
