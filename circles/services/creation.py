"""Walk a confirmed match run's creation steps one at a time, recording each, so reruns never repeat one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from circles.domain.match_vocabulary import RunStatus, StepKind, StepStatus
from circles.domain.vocabulary import MeetingPlace, MemberStatus, Role
from circles.persistence.db import UnitOfWork
from circles.persistence.models import (
    Circle,
    CircleMembership,
    Cohort,
    CreationStep,
    MatchRun,
    Member,
    Partnership,
    Profile,
)


@dataclass(frozen=True)
class Introduction:
    """What a kickoff message says about one person: only the fields profiles share."""

    user_id: str
    role: Role
    department: str = ""
    interests: str = ""
    aspirations: str = ""


@dataclass(frozen=True)
class StepWork:
    """Everything the Slack side needs to carry out one step, read fresh from the database."""

    step_id: int
    kind: StepKind
    cohort_slug: str
    cohort_name: str
    prompt_track: str
    meeting_place: MeetingPlace
    name: str  # the circle's name; for pairs, empty
    conversation_id: str | None
    people: list[Introduction] = field(default_factory=list)


@dataclass(frozen=True)
class Progress:
    done: int
    failed: int
    total: int

    @property
    def finished(self) -> bool:
        return self.done + self.failed == self.total


def next_step(uow: UnitOfWork, run_id: int) -> StepWork | None:
    """The first step still to do, or None when the run is through."""
    with uow:
        step = uow.session.scalars(
            select(CreationStep)
            .where(CreationStep.run_id == run_id, CreationStep.status == StepStatus.PENDING)
            .order_by(CreationStep.position)
            .limit(1)
        ).first()
        if step is None:
            return None
        run = uow.session.get_one(MatchRun, run_id)
        cohort = uow.session.get_one(Cohort, run.cohort_id)
        if step.kind in (StepKind.PAIR_CONVERSATION, StepKind.PAIR_KICKOFF):
            pair = uow.session.get_one(Partnership, step.target_id)
            ids = [pair.first_member_id, pair.second_member_id]
            name, conversation = "", pair.conversation_id
        else:
            circle = uow.session.get_one(Circle, step.target_id)
            ids = list(
                uow.session.scalars(
                    select(CircleMembership.member_id).where(CircleMembership.circle_id == circle.id)
                )
            )
            name, conversation = circle.name, circle.conversation_id
        return StepWork(
            step.id,
            step.kind,
            cohort.slug,
            cohort.name,
            cohort.prompt_track,
            cohort.meeting_place,
            name,
            conversation,
            _introductions(uow, ids),
        )


def record_step(
    uow: UnitOfWork,
    step_id: int,
    now: datetime,
    *,
    result: dict[str, Any] | None = None,
    error: str | None = None,
) -> None:
    """Mark a step done (keeping what Slack returned) or failed for good; conversations land on their rows."""
    with uow:
        step = uow.session.get_one(CreationStep, step_id)
        step.attempts += 1
        step.updated_at = now
        if error is not None:
            step.status, step.last_error = StepStatus.FAILED, error
        else:
            step.status, step.result = StepStatus.DONE, result
            channel = (result or {}).get("channel")
            if step.kind is StepKind.CIRCLE_CONVERSATION and channel:
                uow.session.get_one(Circle, step.target_id).conversation_id = channel
            if step.kind is StepKind.PAIR_CONVERSATION and channel:
                uow.session.get_one(Partnership, step.target_id).conversation_id = channel
        uow.commit()


def note_attempt(uow: UnitOfWork, step_id: int, error: str, now: datetime) -> None:
    """A step that will be tried again (rate limits, Slack trouble): remember why."""
    with uow:
        step = uow.session.get_one(CreationStep, step_id)
        step.attempts, step.last_error, step.updated_at = step.attempts + 1, error, now
        uow.commit()


def progress(uow: UnitOfWork, run_id: int, now: datetime) -> Progress:
    """Count the steps; the run is complete once none is pending."""
    with uow:
        query = select(CreationStep.status, func.count()).where(CreationStep.run_id == run_id)
        rows = uow.session.execute(query.group_by(CreationStep.status)).all()
        counts = {status: count for status, count in rows}
        done, failed = counts.get(StepStatus.DONE, 0), counts.get(StepStatus.FAILED, 0)
        result = Progress(done, failed, done + failed + counts.get(StepStatus.PENDING, 0))
        run = uow.session.get_one(MatchRun, run_id)
        if result.finished and run.status is RunStatus.CONFIRMED:
            run.status, run.completed_at = RunStatus.COMPLETE, now
            uow.commit()
        return result


def _introductions(uow: UnitOfWork, member_ids: list[int]) -> list[Introduction]:
    rows = uow.session.execute(
        select(Member, Profile)
        .outerjoin(
            Profile,
            (Profile.workspace_id == Member.workspace_id) & (Profile.slack_user_id == Member.slack_user_id),
        )
        .where(Member.id.in_(member_ids), Member.status != MemberStatus.LEFT)  # never invite back who left
        .order_by(Member.id)
    ).all()
    return [
        Introduction(m.slack_user_id, m.role, p.department, p.interests, p.aspirations)
        if p
        else Introduction(m.slack_user_id, m.role)
        for m, p in rows
    ]
