"""People Slack would not let into a circle's conversation, and invitations that failed outright: nobody stays
seated in a circle whose conversation does not hold them.

Someone Slack refuses (deactivated, a guest, a guest at their channel limit, gone) is taken out of the circle
as leaving takes someone out (`unseat`): `/circles status`, the prompts and a re-match see them without a
circle, so `/circles match <slug> @someone` can place them. A circle this round made that is left with fewer
than two in its conversation is closed, its planned prompts withdrawn and the one in it told privately, as
when the others leave (`people/circle_shrink`); its welcome is not posted, and the round counts it as a
problem. An invitation that failed outright brought nobody in: no welcome either, and once the round is
through the circle is closed as never made (`unmade`), or, where a re-match brought someone into a circle
that already met, that newcomer is taken out of it. Slack's channel is left as it is.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from circles.domain.circle_size import still_meets
from circles.domain.match_vocabulary import StepKind, StepStatus
from circles.messages import CircleAlone
from circles.persistence.db import Session
from circles.persistence.models import Circle, Cohort, CreationStep, MatchRun
from circles.queries.circle_rooms import planned_circle_prompts, still_seated
from circles.queries.circles import circle_member_ids
from circles.queries.circles_unmade import made_by_run, planned_prompts_of, unseat
from circles.queries.cohorts.facilitators import facilitators_or_admins
from circles.queries.outbox.deferral import supersede
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from circles.services.rounds.queue import NO_CONVERSATION

# Why a circle's welcome is not posted, each said (as Slack's codes are) in the facilitator's progress.
NOBODY_INVITED = "nobody_invited"  # its invitation failed outright
TOO_FEW_ADDED = "too_few_added"  # fewer than two let into the conversation the round made: closed
NEWCOMER_NOT_ADDED = "newcomer_not_added"  # a re-match's newcomer refused: nobody new to welcome
INVITING = frozenset({StepKind.CIRCLE_CONVERSATION, StepKind.CIRCLE_INVITE})


def refused_in(kind: StepKind, result: dict[str, Any]) -> list[str]:
    """Who Slack would not let into a circle's conversation, as the step's result names them."""
    found = result.get("not_invited") if kind in INVITING else None
    return sorted(found) if isinstance(found, dict) else []


def nobody_invited(step: CreationStep) -> str:
    """Why the rest of a circle's steps fail after this one: an invitation that failed outright (its
    conversation there) brought nobody in, and a welcome would introduce people who are not there."""
    failed = step.kind is StepKind.CIRCLE_INVITE and step.status is StepStatus.FAILED
    return NOBODY_INVITED if failed and step.last_error != NO_CONVERSATION else ""


def keep_out(
    session: Session, run: MatchRun, step: CreationStep, refused: Collection[str], now: datetime
) -> str:
    """Take the people Slack refused out of the step's circle; why the rest of its steps fail ("" if not).
    The caller holds the run, then the cohort, as a leave or a re-match's confirmation takes the cohort."""
    circle_id = step.target_id
    unseat(session, circle_id, users=refused)
    if step.kind is not StepKind.CIRCLE_CONVERSATION and not made_by_run(session, run.id, circle_id):
        newcomers = _newcomers(run, circle_id)
        if newcomers and newcomers.isdisjoint(circle_member_ids(session, circle_id)):
            return NEWCOMER_NOT_ADDED
        return ""
    remaining = still_seated(session, [circle_id]).get(circle_id, [])
    if still_meets(len(remaining)):
        return ""
    circle = session.get_one(Circle, circle_id)
    circle.dissolved_at = now
    supersede(session, planned_circle_prompts(session, run.workspace_id, circle_id))
    cohort = session.get_one(Cohort, run.cohort_id)
    # Never introduced: it "will not meet". Their facilitators see it in the round's progress; with none who
    # can read it now (gone from Slack, away), the one left is pointed to `/circles support` instead.
    _, facilitated = facilitators_or_admins(session, cohort.id, now, ())
    alone = CircleAlone(circle.name, cohort.name, made=False, facilitated=facilitated, refused=True)
    told = [Outgoing(f"circle:{circle_id}:refused:alone:{user}", user, alone) for user in remaining]
    enqueue_many(session, run.workspace_id, told, now, now)
    return TOO_FEW_ADDED


def let_newcomers_go(
    session: Session, run: MatchRun, failed: list[CreationStep], closed: Collection[int]
) -> None:
    """Once a re-match is through: take each newcomer out of a circle that met before whose invitation (or
    new conversation) failed outright and that was not closed, since nothing brought them into it."""
    for circle_id in sorted({s.target_id for s in failed if s.kind in INVITING} - set(closed)):
        if newcomers := _newcomers(run, circle_id):
            unseat(session, circle_id, members=newcomers)


def withdraw_prompts(session: Session, workspace_id: int, closed: list[tuple[int, str | None]]) -> None:
    """The planned prompts of the circles closed that had a conversation: none go to a closed circle."""
    made = [circle_id for circle_id, conversation in closed if conversation is not None]
    if made:
        supersede(session, planned_prompts_of(session, workspace_id, made))


def _newcomers(run: MatchRun, circle_id: int) -> set[int]:
    """The memberships a re-match brought into this circle (none in a whole round)."""
    return {join["member"] for join in run.plan.get("joins") or [] if join.get("circle") == circle_id}
