"""A confirmed round's creation in Slack as durable work in the outbox: one row per step, in order.

Confirming a round queues, in the same transaction, the first step of every circle and pair and the
facilitator's progress message. Whichever dispatcher sends a step records its result with the row's
outcome, in one transaction, and queues the next step of that circle or pair; so a crash leaves a step
either still to do (its claim expires and another dispatcher takes it) or done with its follower queued,
never half recorded. Recording locks the run's row, so two dispatchers settling the last two steps at
once cannot both miss that the round is complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, distinct, func, select, update
from sqlalchemy.orm import Session

from circles.domain.match_vocabulary import RunStatus, StepKind, StepStatus
from circles.domain.vocabulary import MeetingPlace, OutboxStatus
from circles.persistence.db import UnitOfWork
from circles.persistence.models import Circle, Cohort, CreationStep, MatchRun, OutboxMessage, Partnership
from circles.services.outbox import Work, enqueue_work
from circles.services.outbox_queue import record_failed, record_sent

ROUND = "round"
PAIR_STEPS = frozenset({StepKind.PAIR_CONVERSATION, StepKind.PAIR_KICKOFF})
CIRCLE_STEPS = frozenset(StepKind) - PAIR_STEPS
NEEDS_CONVERSATION = frozenset({StepKind.CIRCLE_INVITE, StepKind.CIRCLE_KICKOFF, StepKind.PAIR_KICKOFF})
MILESTONES = 10  # the progress message is updated about this many times in a round
NO_CONVERSATION = "no_conversation"


@dataclass(frozen=True)
class RoundRow:
    """What a round's outbox row asks for: one step, or the facilitator's progress message."""

    run_id: int
    step_id: int | None = None
    progress: str | None = None  # "post" (the first message) or "update" (chat.update of it)


def round_row(payload: dict[str, Any]) -> RoundRow | None:
    """The round work a row's payload names, or None for an ordinary message."""
    found = payload.get(ROUND)
    if not isinstance(found, dict) or not isinstance(found.get("run"), int):
        return None
    step, progress = found.get("step"), found.get("progress")
    return RoundRow(
        found["run"],
        step if isinstance(step, int) else None,
        progress if progress in ("post", "update") else None,
    )


def progress_key(run_id: int) -> str:
    return f"round:{run_id}:progress"


def schedule_round(session: Session, run: MatchRun, facilitator: str | None, now: datetime) -> None:
    """Queue the first pending step of each circle and pair, and the facilitator's progress message."""
    cohort = session.get_one(Cohort, run.cohort_id)
    steps = session.scalars(
        select(CreationStep)
        .where(CreationStep.run_id == run.id, CreationStep.status == StepStatus.PENDING)
        .order_by(CreationStep.position)
    ).all()
    firsts: dict[tuple[bool, int], CreationStep] = {}
    for step in steps:
        firsts.setdefault(_family(step), step)
    work = [_step_row(session, cohort, step) for step in firsts.values()]
    if facilitator:
        post = {"template": ROUND, ROUND: {"run": run.id, "progress": "post"}}
        work.insert(0, Work(progress_key(run.id), "chat.postMessage", facilitator, post))
    enqueue_work(session, run.workspace_id, work, now, now)


def resume_round(uow: UnitOfWork, run_id: int, now: datetime) -> None:
    """Make sure every circle's and pair's next step is queued; revive a step's row that gave up."""
    with uow:
        session = uow.session
        run = _locked_run(session, run_id)
        schedule_round(session, run, None, now)
        keys = [_step_key(s) for s in _pending(session, run_id)]
        if keys:
            session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.workspace_id == run.workspace_id,
                    OutboxMessage.idempotency_key.in_(keys),
                    OutboxMessage.status.in_([OutboxStatus.FAILED, OutboxStatus.MISSED]),
                )
                .values(status=OutboxStatus.PENDING, attempts=0, due_at=now, claimed_until=None)
                .execution_options(synchronize_session=False)
            )
        uow.commit()


def step_sent(uow: UnitOfWork, message_id: int, step_id: int, result: dict[str, Any], now: datetime) -> None:
    """Record a step Slack did, with its row, and queue what follows it."""
    with uow:
        session = uow.session
        step = session.get_one(CreationStep, step_id)
        run = _locked_run(session, step.run_id)
        if not record_sent(session, message_id, result, now):
            return  # another dispatcher recorded it already
        session.refresh(step)
        if step.status is StepStatus.PENDING:
            step.status, step.result = StepStatus.DONE, result
            step.attempts, step.updated_at = step.attempts + 1, now
            channel = result.get("channel")
            if channel and step.kind is StepKind.CIRCLE_CONVERSATION:
                session.get_one(Circle, step.target_id).conversation_id = channel
            if channel and step.kind is StepKind.PAIR_CONVERSATION:
                session.get_one(Partnership, step.target_id).conversation_id = channel
            _advance(session, run, step, now)
        uow.commit()


def step_failed(
    uow: UnitOfWork, message_id: int, attempt: int | None, step_id: int, error: str, now: datetime
) -> None:
    """Record a step that can never be done, with its row (None: the row already gave up), and go on."""
    with uow:
        session = uow.session
        step = session.get_one(CreationStep, step_id)
        run = _locked_run(session, step.run_id)
        if attempt is not None and not record_failed(session, message_id, attempt, error):
            return  # the claim is no longer ours
        session.refresh(step)
        if step.status is StepStatus.PENDING:
            step.status, step.last_error = StepStatus.FAILED, error
            step.attempts, step.updated_at = step.attempts + 1, now
            _advance(session, run, step, now)
        uow.commit()


def progress_message(uow: UnitOfWork, run_id: int) -> tuple[str, str] | None:
    """Where the facilitator's progress message was posted (channel, ts), once it was."""
    with uow:
        workspace_id = uow.session.get_one(MatchRun, run_id).workspace_id
        row = _progress_row(uow.session, workspace_id, run_id)
        if row is None or row.status is not OutboxStatus.SENT or not row.result:
            return None
        return str(row.result.get("channel")), str(row.result.get("ts"))


def superseded(uow: UnitOfWork, run_id: int, key: str) -> bool:
    """Whether a later update of the progress message is queued: only the last one need be sent."""
    prefix = f"{progress_key(run_id)}:"
    with uow:
        workspace_id = uow.session.get_one(MatchRun, run_id).workspace_id
        keys = uow.session.scalars(
            select(OutboxMessage.idempotency_key).where(
                OutboxMessage.workspace_id == workspace_id,
                OutboxMessage.idempotency_key.startswith(prefix, autoescape=True),
            )
        ).all()
    return max((int(k.removeprefix(prefix)) for k in keys), default=0) > int(key.removeprefix(prefix))


def _advance(session: Session, run: MatchRun, step: CreationStep, now: datetime) -> None:
    """Queue the next step of the circle or pair (or fail the rest: no conversation), or note it done."""
    kinds = PAIR_STEPS if step.kind in PAIR_STEPS else CIRCLE_STEPS
    family = session.scalars(
        select(CreationStep)
        .where(
            CreationStep.run_id == run.id,
            CreationStep.target_id == step.target_id,
            CreationStep.kind.in_(kinds),
            CreationStep.status == StepStatus.PENDING,
        )
        .order_by(CreationStep.position)
    ).all()
    if family:
        following = family[0]
        if following.kind not in NEEDS_CONVERSATION or _conversation(session, following) is not None:
            enqueue_work(session, run.workspace_id, [_step_row(session, None, following)], now, now)
            return
        for later in family:
            later.status, later.last_error, later.updated_at = StepStatus.FAILED, NO_CONVERSATION, now
    if run.status is RunStatus.CONFIRMED:
        _note_ready(session, run, now)


def _note_ready(session: Session, run: MatchRun, now: datetime) -> None:
    """A circle or pair is through: complete the run after the last, and update the progress message."""
    session.flush()
    family = case((CreationStep.kind.in_(PAIR_STEPS), -CreationStep.target_id), else_=CreationStep.target_id)
    busy, total = session.execute(
        select(
            func.count(distinct(family)).filter(CreationStep.status == StepStatus.PENDING),
            func.count(distinct(family)),
        ).where(CreationStep.run_id == run.id)
    ).one()
    if busy == 0:
        run.status, run.completed_at = RunStatus.COMPLETE, now
    # About MILESTONES updates in a round, the last when it is complete; each shows things as they are then.
    milestone = (total - busy) * MILESTONES // max(total, 1)
    post = _progress_row(session, run.workspace_id, run.id)
    if milestone and post is not None:
        update_ = {"template": ROUND, ROUND: {"run": run.id, "progress": "update"}}
        key = f"{progress_key(run.id)}:{milestone}"
        enqueue_work(session, run.workspace_id, [Work(key, "chat.update", post.channel, update_)], now, now)


def _step_row(session: Session, cohort: Cohort | None, step: CreationStep) -> Work:
    if cohort is None:
        run = session.get_one(MatchRun, step.run_id)
        cohort = session.get_one(Cohort, run.cohort_id)
    group_dm = cohort.meeting_place is MeetingPlace.GROUP_DM
    method = {
        StepKind.CIRCLE_CONVERSATION: "conversations.open" if group_dm else "conversations.create",
        StepKind.CIRCLE_INVITE: "conversations.invite",
        StepKind.PAIR_CONVERSATION: "conversations.open",
    }.get(step.kind, "chat.postMessage")
    channel = _conversation(session, step) if step.kind in NEEDS_CONVERSATION else None
    payload = {"template": ROUND, ROUND: {"run": step.run_id, "step": step.id}}
    return Work(_step_key(step), method, channel, payload)


def _step_key(step: CreationStep) -> str:
    return f"round:{step.run_id}:step:{step.id}"


def _family(step: CreationStep) -> tuple[bool, int]:
    """A circle's steps, or a pair's: their ids can be equal, their kinds tell them apart."""
    return (step.kind in PAIR_STEPS, step.target_id)


def _conversation(session: Session, step: CreationStep) -> str | None:
    target = Partnership if step.kind in PAIR_STEPS else Circle
    found: str | None = session.scalar(select(target.conversation_id).where(target.id == step.target_id))
    return found


def _pending(session: Session, run_id: int) -> list[CreationStep]:
    return list(
        session.scalars(
            select(CreationStep)
            .where(CreationStep.run_id == run_id, CreationStep.status == StepStatus.PENDING)
            .order_by(CreationStep.position)
        )
    )


def _locked_run(session: Session, run_id: int) -> MatchRun:
    # On PostgreSQL the row lock queues recorders of one run; SQLite's write lock already does.
    locked = select(MatchRun).where(MatchRun.id == run_id).with_for_update()
    return session.scalars(locked.execution_options(populate_existing=True)).one()


def _progress_row(session: Session, workspace_id: int, run_id: int) -> OutboxMessage | None:
    return session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.workspace_id == workspace_id,
            OutboxMessage.idempotency_key == progress_key(run_id),
        )
    ).first()
