"""What a round could not make, let go once the round is through, so that its people can be matched again.

Nothing tries a step again after its round is complete: a circle whose conversation Slack never made, or
whose channel it made but whose invitation failed outright (nobody of theirs is in it: the channel is left
as it is), is closed (it seats nobody), and a pair whose conversation Slack never opened is ended as never
made. Neither was ever introduced, so nobody is told; a pair never made keeps nobody apart and counts in no
report. A re-match's newcomer whom no conversation took in is taken out of their circle (`uninvited`).
"""

from __future__ import annotations

from datetime import datetime

from circles.domain.match_vocabulary import StepKind
from circles.domain.vocabulary import EndReason, PartnershipStatus
from circles.persistence.db import Session
from circles.persistence.models import MatchRun, Partnership
from circles.queries.circles_unmade import close_unmade_circles
from circles.queries.cohorts import hold_cohort
from circles.queries.partnerships import unended_with_cohorts
from circles.queries.rounds import failed_steps
from circles.services.partnerships.endings import end_partnerships
from circles.services.planning.replan import replan
from circles.services.rounds.uninvited import let_newcomers_go, withdraw_prompts


def let_go_unmade(session: Session, run: MatchRun, now: datetime) -> None:
    """Close the round's circles and end its pairs that Slack never made, in the caller's transaction,
    which holds the run and has just completed it."""
    # The cohort before the circles and pairs, as a leave, a partner's pause or the tick's completions
    # take them: one of those at this moment on one of the round's pairs waits, or is waited for.
    hold_cohort(session, run.cohort_id)
    closed = close_unmade_circles(session, run.id, now)
    withdraw_prompts(session, run.workspace_id, closed)  # a channel Slack made but nobody was invited to
    if run.plan.get("joins"):  # a re-match: a newcomer no conversation took in is let go, the circle kept
        let_newcomers_go(session, run, failed_steps(session, run.id), [circle for circle, _ in closed])
    if end_unmade_pairs(session, run, now):
        replan(session, [run.cohort_id])  # the cohort no longer waits for their conversation


def end_unmade_pairs(session: Session, run: MatchRun, now: datetime) -> list[Partnership]:
    """End as never made (EndReason.NEVER_MADE) each pair of the round whose conversation step gave up:
    the learner can have another coach, the coach's place is free, and the two may still be paired. The
    caller holds the run, then the cohort (`let_go_unmade`)."""
    unmade = sorted(
        step.target_id for step in failed_steps(session, run.id) if step.kind is StepKind.PAIR_CONVERSATION
    )
    if not unmade:
        return []
    ended = []
    for pair, _ in sorted(unended_with_cohorts(session, unmade), key=lambda found: found[0].id):
        session.refresh(pair, with_for_update=True)  # as it is now: a facilitator may be ending it too
        if pair.status is not PartnershipStatus.ENDED and pair.conversation_id is None:
            ended.append(pair)
    if ended:
        end_partnerships(session, ended, EndReason.NEVER_MADE, now)
    return ended
