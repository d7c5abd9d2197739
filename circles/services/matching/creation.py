"""Record a confirmed round: its circles, memberships and partnerships, and the Slack steps that follow."""

from __future__ import annotations

from datetime import datetime

from circles.domain.match_vocabulary import StepKind
from circles.domain.vocabulary import MeetingPlace, PairingMode, PartnershipKind
from circles.persistence.db import Session
from circles.persistence.models import Circle, Cohort, CreationStep, MatchRun, Partnership
from circles.queries.circle_rooms import circle_places
from circles.queries.circles import add_circles, seat, seat_again
from circles.queries.workspaces import meeting_place_of
from circles.services.partnerships.request_notices import close_requests_of
from circles.services.planning.replan import replan
from circles.services.rounds.queue import PAIR_STEPS

PAIR_KINDS = {
    PairingMode.PEER: PartnershipKind.PEER,
    PairingMode.COACH_LEARNER: PartnershipKind.COACH_LEARNER,
    PairingMode.MENTOR_LEARNER: PartnershipKind.MENTOR_LEARNER,
}
CIRCLE_STEPS = (StepKind.CIRCLE_CONVERSATION, StepKind.CIRCLE_INVITE, StepKind.CIRCLE_KICKOFF)


def create_rows(session: Session, cohort: Cohort, run: MatchRun, now: datetime) -> None:
    """Add exactly what the run's plan holds, then the ordered steps that create it in Slack.

    Each table's rows are added together, so a round of hundreds of circles costs a few statements.
    """
    steps: list[tuple[StepKind, int]] = []
    groups = run.plan["circles"]
    names = [circle_name(cohort.slug, run.round, index) for index in range(1, len(groups) + 1)]
    for circle, group in zip(add_circles(session, cohort, run.round, names, now), groups, strict=True):
        for member_id in group["members"]:
            seat(session, cohort.workspace_id, circle.id, member_id, now)
        steps += [(kind, circle.id) for kind in CIRCLE_STEPS]
    steps += _joins(session, cohort, run.plan.get("joins", []), now)
    partnerships = [
        Partnership(
            workspace_id=cohort.workspace_id,
            cohort_id=cohort.id,
            kind=PAIR_KINDS[cohort.pairing_mode],
            first_member_id=pair["first"],
            second_member_id=pair["second"],
            round=run.round,
            started_at=now,
        )
        for pair in run.plan["pairs"]
    ]
    session.add_all(partnerships)
    session.flush()
    if cohort.pairing_mode.guided and partnerships:  # a learner given a coach asks nobody else meanwhile
        close_requests_of(session, cohort, [p.second_member_id for p in partnerships], now)
    for partnership in partnerships:
        steps += [(StepKind.PAIR_CONVERSATION, partnership.id), (StepKind.PAIR_KICKOFF, partnership.id)]
    replan(session, [cohort.id])  # the new round's prompts and check-ins
    run.families = len({(kind in PAIR_STEPS, target) for kind, target in steps})  # circles and pairs
    for position, (kind, target) in enumerate(steps):
        session.add(
            CreationStep(
                workspace_id=cohort.workspace_id,
                run_id=run.id,
                kind=kind,
                target_id=target,
                position=position,
                updated_at=now,
            )
        )


def _joins(
    session: Session, cohort: Cohort, joins: list[dict[str, int]], now: datetime
) -> list[tuple[StepKind, int]]:
    """Seat each re-matched member (back in their old place, perhaps, after leaving and returning) and the
    steps that bring them into their circle where it meets: a channel takes them in; a group DM cannot take
    a new member, so the circle moves to a new conversation, where the cohort's circles meet now, with
    everyone in it. So does a circle that has none (all but one left it before Slack made it)."""
    now_meeting = meeting_place_of(session, cohort)
    places = circle_places(session, [join["circle"] for join in joins], now_meeting)
    steps: list[tuple[StepKind, int]] = []
    for join in joins:
        circle = join["circle"]
        seat_again(session, cohort.workspace_id, circle, join["member"], now)
        made = session.get_one(Circle, circle).conversation_id is not None
        if made and places[circle] is MeetingPlace.PRIVATE_CHANNEL:
            steps.append((StepKind.CIRCLE_INVITE, circle))
        elif now_meeting is MeetingPlace.PRIVATE_CHANNEL:
            steps += [(StepKind.CIRCLE_CONVERSATION, circle), (StepKind.CIRCLE_INVITE, circle)]
        else:
            steps.append((StepKind.CIRCLE_CONVERSATION, circle))
        steps.append((StepKind.CIRCLE_KICKOFF, circle))
    return steps


def circle_name(slug: str, round_number: int, index: int) -> str:
    """A channel name Slack accepts: lowercase, at most 80 characters, unique within the cohort."""
    return f"circle-{slug}-r{round_number}-{index}"[:80]
