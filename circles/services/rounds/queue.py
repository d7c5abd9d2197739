"""A confirmed round's creation in Slack as durable work in the outbox: one row per step, in order.

Confirming a round queues, in the same transaction, the first step of every circle and pair and the
facilitator's progress message. Whichever dispatcher sends a step records it with its row and queues the
next step of that circle or pair (circles.services.rounds.record); a step whose worker died is claimed
again once its claim expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from circles.domain.match_vocabulary import RunStatus, StepKind, StepStatus
from circles.domain.vocabulary import MeetingPlace
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, CreationStep, MatchRun
from circles.queries.outbox.rows import revive
from circles.queries.rounds import failed_steps, locked_run, pending_steps, target_conversation
from circles.queries.workspaces import meeting_place_of
from circles.services.outbox.enqueue import Work, enqueue_work

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
    steps = pending_steps(session, run.id)
    firsts: dict[tuple[bool, int], CreationStep] = {}
    for step in steps:
        firsts.setdefault(family_of(step), step)
    place = meeting_place_of(session, cohort)
    work = [step_row(session, cohort, step, place) for step in firsts.values()]
    if facilitator:
        post = {"template": ROUND, ROUND: {"run": run.id, "progress": "post"}}
        work.insert(0, Work(progress_key(run.id), "chat.postMessage", facilitator, post))
    enqueue_work(session, run.workspace_id, work, now, now)


def resume_round(uow: UnitOfWork, run_id: int, now: datetime) -> None:
    """Make sure every circle's and pair's next step is queued; revive a step's row that gave up, and try
    again, as the facilitator asks, each circle or pair of a round still being made whose steps gave up
    (from its first step not done). One that can no longer be made (its pair ended, its circle emptied)
    is settled as not needed when its step is taken, as any other."""
    with uow:
        session = uow.session
        run = locked_run(session, run_id)
        if run.status is RunStatus.CONFIRMED:
            _try_again(run, failed_steps(session, run_id), pending_steps(session, run_id))
        schedule_round(session, run, None, now)
        keys = [_step_key(s) for s in pending_steps(session, run_id)]
        if keys:
            revive(session, run.workspace_id, keys, now)
        uow.commit()


def _try_again(run: MatchRun, failed: list[CreationStep], pending: list[CreationStep]) -> None:
    """Make these given-up steps pending again. A circle or pair they belong to that had nothing left to
    do was counted settled: it is no longer (the run's count goes back, under the run's lock); one with a
    step still to do was not counted yet."""
    settled = {family_of(step) for step in failed} - {family_of(step) for step in pending}
    for step in failed:
        step.status, step.last_error = StepStatus.PENDING, None
    run.families_settled = max(run.families_settled - len(settled), 0)


def step_row(
    session: Session, cohort: Cohort | None, step: CreationStep, place: MeetingPlace | None = None
) -> Work:
    """The outbox row of one step; `place`, where the cohort's circles meet, is looked up when not given
    and the step's method depends on it (only making a circle's conversation)."""
    if place is None and step.kind is StepKind.CIRCLE_CONVERSATION:
        if cohort is None:
            run = session.get_one(MatchRun, step.run_id)
            cohort = session.get_one(Cohort, run.cohort_id)
        place = meeting_place_of(session, cohort)
    # Any other step calls the same method wherever circles meet.
    method = method_of(step.kind, place or MeetingPlace.PRIVATE_CHANNEL)
    channel = conversation_of(session, step) if step.kind in NEEDS_CONVERSATION else None
    payload = {"template": ROUND, ROUND: {"run": step.run_id, "step": step.id}}
    return Work(_step_key(step), method, channel, payload)


def method_of(kind: StepKind, place: MeetingPlace) -> str:
    """The Slack method a step of this kind calls, where the cohort's circles meet."""
    group_dm = place is MeetingPlace.GROUP_DM
    return {
        StepKind.CIRCLE_CONVERSATION: "conversations.open" if group_dm else "conversations.create",
        StepKind.CIRCLE_INVITE: "conversations.invite",
        StepKind.PAIR_CONVERSATION: "conversations.open",
    }.get(kind, "chat.postMessage")


def _step_key(step: CreationStep) -> str:
    return f"round:{step.run_id}:step:{step.id}"


def family_of(step: CreationStep) -> tuple[bool, int]:
    """A circle's steps, or a pair's: their ids can be equal, their kinds tell them apart."""
    return (step.kind in PAIR_STEPS, step.target_id)


def conversation_of(session: Session, step: CreationStep) -> str | None:
    """The conversation of the step's circle or pair, once Slack made it."""
    return target_conversation(session, step.kind in PAIR_STEPS, step.target_id)
