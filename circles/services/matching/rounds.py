"""Preview a round of circles and partnerships, confirm exactly what was previewed, resume its creation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from circles.domain.match_vocabulary import RunStatus, StepKind
from circles.domain.vocabulary import MeetingPlace, PairingMode, PartnershipKind
from circles.errors import NotAFacilitator, NothingToMatch, StalePreview
from circles.persistence.db import UnitOfWork
from circles.persistence.models import Circle, CircleMembership, Cohort, CreationStep, MatchRun, Partnership
from circles.services.cohorts.config import facilitator_ids, require_cohort, settings_of
from circles.services.intake.workspaces import find_workspace
from circles.services.matching.inputs import MatchInputs, gather
from circles.services.matching.plan import plan_round
from circles.services.planning.replan import replan
from circles.services.rounds.queue import schedule_round

PAIR_KINDS = {
    PairingMode.PEER: PartnershipKind.PEER,
    PairingMode.COACH_LEARNER: PartnershipKind.COACH_LEARNER,
    PairingMode.MENTOR_LEARNER: PartnershipKind.MENTOR_LEARNER,
}


@dataclass(frozen=True)
class RoundPlan:
    """A stored proposal, as the facilitator sees it."""

    run_id: int
    slug: str
    cohort_name: str
    round: int
    status: RunStatus
    plan: dict[str, Any]


def preview_round(
    uow: UnitOfWork,
    team_id: str,
    slug: str,
    *,
    user_id: str,
    is_admin: bool,
    now: datetime,
    seed: int | None = None,
) -> RoundPlan:
    """Compute circles and pairs for the cohort's active members and keep the proposal for confirming."""
    with uow:
        cohort = facilitated_cohort(uow.session, team_id, slug, user_id, is_admin)
        proposal = propose_round(uow.session, cohort, user_id=user_id, now=now, seed=seed)
        uow.commit()
        return proposal


def propose_round(
    session: Session, cohort: Cohort, *, user_id: str, now: datetime, seed: int | None = None
) -> RoundPlan:
    """The cohort's next round, computed from what the database holds now and stored for confirming."""
    inputs = gather(session, cohort, now, cohort.match_look_back_rounds or None)
    if len(inputs.members) < 2:
        raise NothingToMatch(cohort.slug, len(inputs.members))
    chosen_seed = seed if seed is not None else cohort.id * 1000 + inputs.next_round
    plan = plan_round(inputs, settings_of(cohort), chosen_seed)
    run = store_preview(session, cohort, inputs, plan, inputs.next_round, chosen_seed, user_id, now)
    return RoundPlan(run.id, cohort.slug, cohort.name, run.round, run.status, plan)


def store_preview(
    session: Session,
    cohort: Cohort,
    inputs: MatchInputs,
    plan: dict[str, Any],
    round_number: int,
    seed: int,
    user_id: str,
    now: datetime,
) -> MatchRun:
    """Keep a proposal for confirming; it replaces any earlier unconfirmed one of the cohort."""
    session.execute(
        update(MatchRun)
        .where(MatchRun.cohort_id == cohort.id, MatchRun.status == RunStatus.PREVIEWED)
        .values(status=RunStatus.SUPERSEDED)
    )
    run = MatchRun(
        workspace_id=cohort.workspace_id,
        cohort_id=cohort.id,
        round=round_number,
        seed=seed,
        fingerprint=inputs.fingerprint(settings_fingerprint(cohort, plan)),
        plan=plan,
        requested_by=user_id,
        created_at=now,
    )
    session.add(run)
    session.flush()
    return run


def confirm_round(
    uow: UnitOfWork, team_id: str, run_id: int, *, user_id: str, is_admin: bool, now: datetime
) -> RoundPlan:
    """Create exactly the previewed circles and pairs, and queue their Slack steps; refuse a stale preview."""
    with uow:
        run, cohort = facilitated_run(uow.session, team_id, run_id, user_id, is_admin)
        if run.status is RunStatus.PREVIEWED:
            inputs = gather(uow.session, cohort, now, cohort.match_look_back_rounds or None)
            if inputs.fingerprint(settings_fingerprint(cohort, run.plan)) != run.fingerprint:
                raise StalePreview(cohort.slug, _rematched_user(run.plan))
            _create_rows(uow.session, cohort, run, now)
            run.status, run.confirmed_at = RunStatus.CONFIRMED, now
            schedule_round(uow.session, run, user_id, now)  # Slack's side is done by the dispatcher
        elif run.status is RunStatus.SUPERSEDED:
            raise StalePreview(cohort.slug, _rematched_user(run.plan))
        uow.commit()
        return RoundPlan(run.id, cohort.slug, cohort.name, run.round, run.status, run.plan)


def unfinished_round(
    uow: UnitOfWork, team_id: str, slug: str, *, user_id: str, is_admin: bool
) -> RoundPlan | None:
    """A confirmed round whose creation in Slack has not finished (it is resumed before anything new)."""
    with uow:
        cohort = facilitated_cohort(uow.session, team_id, slug, user_id, is_admin)
        run = uow.session.scalars(
            select(MatchRun).where(MatchRun.cohort_id == cohort.id, MatchRun.status == RunStatus.CONFIRMED)
        ).first()
        return RoundPlan(run.id, cohort.slug, cohort.name, run.round, run.status, run.plan) if run else None


def facilitated_cohort(session: Session, team_id: str, slug: str, user_id: str, is_admin: bool) -> Cohort:
    cohort = require_cohort(session, team_id, slug.lower())
    if not (is_admin or user_id in facilitator_ids(session, cohort)):
        raise NotAFacilitator(cohort.slug)
    return cohort


def facilitated_run(
    session: Session, team_id: str, run_id: int, user_id: str, is_admin: bool
) -> tuple[MatchRun, Cohort]:
    """A stored proposal and its cohort, for the cohort's facilitators (and admins) only."""
    workspace = find_workspace(session, team_id)
    run = session.get(MatchRun, run_id)
    if run is None or workspace is None or run.workspace_id != workspace.id:
        raise NotAFacilitator("this cohort")  # another workspace's run: say nothing about it
    cohort = session.get_one(Cohort, run.cohort_id)
    facilitated_cohort(session, team_id, cohort.slug, user_id, is_admin)
    return run, cohort


def settings_fingerprint(cohort: Cohort, plan: dict[str, Any]) -> str:
    """The settings a plan depends on (and, for a re-match, whom it re-matches), for the stale check."""
    s = settings_of(cohort)
    key = (
        f"{s.circle_min_size}-{s.circle_max_size}-{s.pairing_mode.value}-{s.meeting_place.value}"
        f"-{s.match_look_back_rounds}"
    )
    return key + (f"-rematch-{plan['rematch']['member']}" if plan.get("rematch") else "")


def _rematched_user(plan: dict[str, Any]) -> str | None:
    return str(plan["rematch"]["user"]) if plan.get("rematch") else None


def _create_rows(session: Session, cohort: Cohort, run: MatchRun, now: datetime) -> None:
    steps: list[tuple[StepKind, int]] = []
    for index, group in enumerate(run.plan["circles"], start=1):
        circle = Circle(
            workspace_id=cohort.workspace_id,
            cohort_id=cohort.id,
            round=run.round,
            name=circle_name(cohort.slug, run.round, index),
            created_at=now,
        )
        session.add(circle)
        session.flush()
        for member_id in group["members"]:
            session.add(
                CircleMembership(
                    workspace_id=cohort.workspace_id, circle_id=circle.id, member_id=member_id, joined_at=now
                )
            )
        steps += [
            (kind, circle.id)
            for kind in (StepKind.CIRCLE_CONVERSATION, StepKind.CIRCLE_INVITE, StepKind.CIRCLE_KICKOFF)
        ]
    for join in run.plan.get("joins", []):
        session.add(
            CircleMembership(
                workspace_id=cohort.workspace_id,
                circle_id=join["circle"],
                member_id=join["member"],
                joined_at=now,
            )
        )
        # A group DM cannot take a new member: the circle moves to a new one opened with everyone in it.
        first = (
            StepKind.CIRCLE_CONVERSATION
            if cohort.meeting_place is MeetingPlace.GROUP_DM
            else StepKind.CIRCLE_INVITE
        )
        steps += [(first, join["circle"]), (StepKind.CIRCLE_KICKOFF, join["circle"])]
    for pair in run.plan["pairs"]:
        partnership = Partnership(
            workspace_id=cohort.workspace_id,
            cohort_id=cohort.id,
            kind=PAIR_KINDS[cohort.pairing_mode],
            first_member_id=pair["first"],
            second_member_id=pair["second"],
            round=run.round,
            started_at=now,
        )
        session.add(partnership)
        session.flush()
        steps += [(StepKind.PAIR_CONVERSATION, partnership.id), (StepKind.PAIR_KICKOFF, partnership.id)]
    replan(session, [cohort.id])  # the new round's prompts and check-ins
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


def circle_name(slug: str, round_number: int, index: int) -> str:
    """A channel name Slack accepts: lowercase, at most 80 characters, unique within the cohort."""
    return f"circle-{slug}-r{round_number}-{index}"[:80]
