"""Record each step of a round's creation with its outbox row, and queue what it makes possible.

A step and its row are recorded in one transaction with the next step of the circle or pair, so a crash
leaves a step either still to do or done with its follower queued. The run's row is locked first: two
dispatchers settling the last two steps at once cannot both miss that the round is complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from circles.domain.match_vocabulary import RunStatus, StepKind, StepStatus
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import CreationStep, MatchRun, OutboxMessage
from circles.queries.cohorts import hold_cohort
from circles.queries.outbox.rows import keys_starting, message_by_key
from circles.queries.rounds import (
    locked_run_of_step,
    pending_in_family,
    set_conversation,
    target_running,
)
from circles.services.outbox.enqueue import Work, enqueue_work
from circles.services.outbox.queue import record_failed, record_sent
from circles.services.planning.replan import replan
from circles.services.rounds.queue import (
    CIRCLE_STEPS,
    MILESTONES,
    NEEDS_CONVERSATION,
    NO_CONVERSATION,
    PAIR_STEPS,
    ROUND,
    progress_key,
    step_row,
)
from circles.services.rounds.uninvited import keep_out, nobody_invited, refused_in
from circles.services.rounds.unmade import let_go_unmade

MAKES_CONVERSATION = frozenset({StepKind.CIRCLE_CONVERSATION, StepKind.PAIR_CONVERSATION})


def step_sent(uow: UnitOfWork, message_id: int, step_id: int, result: dict[str, Any], now: datetime) -> None:
    """Record a step Slack did, with its row, and queue what follows it."""
    with uow:
        session = uow.session
        run = locked_run_of_step(session, step_id)
        # Read once the run is held, as it stands now (even were it loaded earlier in this transaction).
        step = session.get_one(CreationStep, step_id, populate_existing=True)
        refused = refused_in(step.kind, result)  # Slack would not let them in: their seats are given up
        if step.kind in MAKES_CONVERSATION or refused:
            # The cohort before the pair or circle it writes, as a partner's pause, a leave, `/circles away`
            # or the tick's completions take them: one of those at this moment waits, or is waited for.
            hold_cohort(session, run.cohort_id)
        if not record_sent(session, message_id, result, now):
            return  # another dispatcher recorded it already
        if step.status is StepStatus.PENDING:
            running = target_running(session, step.kind in PAIR_STEPS, step.target_id)
            if not running and not _slack_did(result):
                _settle_not_needed(session, run, step, now)  # nothing was asked of Slack
                uow.commit()
                return
            step.status, step.result = StepStatus.DONE, result
            step.attempts, step.updated_at = step.attempts + 1, now
            channel = result.get("channel")
            if channel and step.kind in MAKES_CONVERSATION:
                set_conversation(session, step.kind is StepKind.PAIR_CONVERSATION, step.target_id, channel)
                # Prompts into the new conversation are planned from the next tick. Planning reads no
                # invitation or kickoff: those steps leave the cohort (and its row's lock) alone.
                replan(session, [run.cohort_id])
            failing = keep_out(session, run, step, refused, now) if refused and running else ""
            _advance(session, run, step, now, running=running, failing=failing)
        uow.commit()


def step_failed(
    uow: UnitOfWork, message_id: int, attempt: int | None, step_id: int, error: str, now: datetime
) -> None:
    """Record a step that can never be done, with its row (None: the row already gave up), and go on."""
    with uow:
        session = uow.session
        run = hold_run(session, step_id)
        if attempt is not None and not record_failed(session, message_id, attempt, error):
            return  # the claim is no longer ours
        step_not_done(session, run, step_id, error, now)
        uow.commit()


def hold_run(session: Session, step_id: int) -> MatchRun:
    """Lock the step's run, as recording any of its steps does first, before the step's row."""
    return locked_run_of_step(session, step_id)


def step_not_done(session: Session, run: MatchRun, step_id: int, error: str, now: datetime) -> None:
    """step_failed after its row, in the caller's transaction, which holds the run (hold_run)."""
    step = session.get_one(CreationStep, step_id, populate_existing=True)  # as it stands, the run held
    if step.status is StepStatus.PENDING and not target_running(
        session, step.kind in PAIR_STEPS, step.target_id
    ):
        _settle_not_needed(session, run, step, now)  # no problem to report for what no longer runs
    elif step.status is StepStatus.PENDING:
        step.status, step.last_error = StepStatus.FAILED, error
        step.attempts, step.updated_at = step.attempts + 1, now
        _advance(session, run, step, now, running=True)


@dataclass(frozen=True)
class ProgressMessage:
    """Where the facilitator's progress message is (channel, ts); `waiting` while it is not posted yet."""

    channel: str | None = None
    ts: str | None = None
    waiting: bool = False


def progress_message(uow: UnitOfWork, run_id: int) -> ProgressMessage:
    """Where the progress message was posted; waiting while its row may still be sent; empty if never."""
    with uow:
        workspace_id = uow.session.get_one(MatchRun, run_id).workspace_id
        row = _progress_row(uow.session, workspace_id, run_id)
        if row is None or row.status in (OutboxStatus.FAILED, OutboxStatus.MISSED):
            return ProgressMessage()
        if row.status is not OutboxStatus.SENT or not row.result:
            return ProgressMessage(waiting=True)
        return ProgressMessage(str(row.result.get("channel")), str(row.result.get("ts")))


def superseded(uow: UnitOfWork, run_id: int, key: str) -> bool:
    """Whether a later update of the progress message is queued: only the last one need be sent."""
    prefix = f"{progress_key(run_id)}:"
    with uow:
        workspace_id = uow.session.get_one(MatchRun, run_id).workspace_id
        keys = keys_starting(uow.session, workspace_id, prefix)
    return max((int(k.removeprefix(prefix)) for k in keys), default=0) > int(key.removeprefix(prefix))


def _advance(
    session: Session, run: MatchRun, step: CreationStep, now: datetime, *, running: bool, failing: str = ""
) -> None:
    """Queue the next step of the circle or pair (or fail the rest: `failing`, nobody invited or no
    conversation; or, when it no longer runs, settle the rest as not needed), or note it done."""
    family = _family(session, run, step)
    if family and not running:
        for later in family:
            later.status, later.updated_at = StepStatus.NOT_NEEDED, now
    elif family:
        failing = failing or nobody_invited(step)
        following = None if failing else step_row(session, None, family[0])  # its channel, if made
        if following and (family[0].kind not in NEEDS_CONVERSATION or following.channel is not None):
            enqueue_work(session, run.workspace_id, [following], now, now)
            return
        for later in family:
            later.status, later.updated_at = StepStatus.FAILED, now
            later.last_error = failing or NO_CONVERSATION
    if run.status is RunStatus.CONFIRMED:
        _note_ready(session, run, now)


def _settle_not_needed(session: Session, run: MatchRun, step: CreationStep, now: datetime) -> None:
    """The step's pair ended, or its circle emptied or was dissolved: it and the rest of its circle's or
    pair's steps are settled as not needed, never asked of Slack, and the circle or pair is through."""
    for pending in _family(session, run, step):  # the step itself among them
        pending.status, pending.updated_at = StepStatus.NOT_NEEDED, now
    if run.status is RunStatus.CONFIRMED:
        _note_ready(session, run, now)


def _family(session: Session, run: MatchRun, step: CreationStep) -> list[CreationStep]:
    """The steps of the step's circle or pair still to do, in order."""
    kinds = PAIR_STEPS if step.kind in PAIR_STEPS else CIRCLE_STEPS
    return pending_in_family(session, run.id, step.target_id, kinds)


def _slack_did(result: dict[str, Any]) -> bool:
    """Whether a step's result comes from Slack: a conversation made or posted in, or people invited."""
    return "channel" in result or "invited" in result


def _note_ready(session: Session, run: MatchRun, now: datetime) -> None:
    """A circle or pair is through: complete the run after the last, and update the progress message.

    Each is through once, under the run's lock: its running count costs the same in a round of any size.
    """
    run.families_settled += 1
    total = run.families
    if run.families_settled >= total:
        run.status, run.completed_at = RunStatus.COMPLETE, now
        let_go_unmade(session, run, now)  # what Slack never made: its people can be matched again
    # About MILESTONES updates in a round, the last when it is complete; each shows things as they are then.
    milestone = min(run.families_settled, total) * MILESTONES // max(total, 1)
    post = _progress_row(session, run.workspace_id, run.id)
    if milestone and post is not None:
        update_ = {"template": ROUND, ROUND: {"run": run.id, "progress": "update"}}
        key = f"{progress_key(run.id)}:{milestone}"
        enqueue_work(session, run.workspace_id, [Work(key, "chat.update", post.channel, update_)], now, now)


def _progress_row(session: Session, workspace_id: int, run_id: int) -> OutboxMessage | None:
    return message_by_key(session, workspace_id, progress_key(run_id))
