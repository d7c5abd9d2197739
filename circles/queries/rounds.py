"""Questions about matching runs (rounds): their stored proposals and confirmation, and the creation steps
that make their circles and pairs in Slack."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import case, distinct, func, select, update
from sqlalchemy.orm import Session

from circles.domain.match_vocabulary import RunStatus, StepKind, StepStatus
from circles.persistence.models import Circle, Cohort, CreationStep, MatchRun, Partnership


def supersede_previews(session: Session, cohort_id: int) -> None:
    """Mark the cohort's unconfirmed proposals as replaced, so none of them can be confirmed any more."""
    session.execute(
        update(MatchRun)
        .where(MatchRun.cohort_id == cohort_id, MatchRun.status == RunStatus.PREVIEWED)
        .values(status=RunStatus.SUPERSEDED)
    )


def confirmed_run(session: Session, cohort_id: int) -> MatchRun | None:
    """A run of the cohort confirmed and not yet fully created in Slack, if there is one."""
    query = select(MatchRun).where(MatchRun.cohort_id == cohort_id, MatchRun.status == RunStatus.CONFIRMED)
    return session.scalars(query).first()


def locked_run(session: Session, run_id: int) -> MatchRun:
    """The run, read fresh and locked until the caller commits."""
    # On PostgreSQL the row lock queues recorders of one run; SQLite's write lock already does.
    locked = select(MatchRun).where(MatchRun.id == run_id).with_for_update()
    return session.scalars(locked.execution_options(populate_existing=True)).one()


def hold_cohort(session: Session, cohort_id: int) -> None:
    """Hold the cohort's row until the caller commits: confirmations of its rounds queue behind each other."""
    # FOR NO KEY UPDATE: rows that point at the cohort can still be added meanwhile.
    session.execute(select(Cohort.id).where(Cohort.id == cohort_id).with_for_update(key_share=True))


def pending_steps(session: Session, run_id: int) -> list[CreationStep]:
    """The run's steps still to do, in order."""
    return list(
        session.scalars(
            select(CreationStep)
            .where(CreationStep.run_id == run_id, CreationStep.status == StepStatus.PENDING)
            .order_by(CreationStep.position)
        )
    )


def pending_in_family(
    session: Session, run_id: int, target_id: int, kinds: Collection[StepKind]
) -> list[CreationStep]:
    """The steps still to do of one circle or pair (its target and the kinds of its steps), in order."""
    return list(
        session.scalars(
            select(CreationStep)
            .where(
                CreationStep.run_id == run_id,
                CreationStep.target_id == target_id,
                CreationStep.kind.in_(kinds),
                CreationStep.status == StepStatus.PENDING,
            )
            .order_by(CreationStep.position)
        )
    )


def families_busy(session: Session, run_id: int, pair_kinds: Collection[StepKind]) -> tuple[int, int]:
    """How many of the run's circles and pairs still have a step to do, and how many there are."""
    family = case((CreationStep.kind.in_(pair_kinds), -CreationStep.target_id), else_=CreationStep.target_id)
    busy, total = session.execute(
        select(
            func.count(distinct(family)).filter(CreationStep.status == StepStatus.PENDING),
            func.count(distinct(family)),
        ).where(CreationStep.run_id == run_id)
    ).one()
    return int(busy), int(total)


def steps_of(session: Session, run_id: int) -> list[CreationStep]:
    """Every step of the run, done or not."""
    return list(session.scalars(select(CreationStep).where(CreationStep.run_id == run_id)))


def target_conversation(session: Session, pair: bool, target_id: int) -> str | None:
    """The Slack conversation of a step's pair or circle, once it has one."""
    target = Partnership if pair else Circle
    found: str | None = session.scalar(select(target.conversation_id).where(target.id == target_id))
    return found
