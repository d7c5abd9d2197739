"""Preview a round of circles and partnerships, confirm exactly what was previewed, resume its creation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from circles.domain.match_vocabulary import RunStatus
from circles.domain.requests import cohort_over
from circles.errors import CohortOver, NotAFacilitator, NothingToMatch, StalePreview
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, MatchRun
from circles.queries.cohorts import hold_cohort, is_facilitator
from circles.queries.rounds import (
    confirmed_run,
    hold_guides,
    locked_run,
    supersede_previews,
)
from circles.queries.workspaces import meeting_place_of
from circles.services.cohorts.lookup import facilitated_cohort
from circles.services.cohorts.settings_row import settings_of
from circles.services.intake.workspaces import find_workspace
from circles.services.matching.creation import create_rows
from circles.services.matching.inputs import MatchInputs, gather
from circles.services.matching.plan import plan_round
from circles.services.rounds.queue import schedule_round


@dataclass(frozen=True)
class RoundPlan:
    """A stored proposal, as the facilitator sees it."""

    run_id: int
    slug: str
    cohort_name: str
    round: int
    status: RunStatus
    plan: dict[str, Any]


# Proposes a round, or a re-match, for the cohort; it stores the proposal in the session.
Proposer = Callable[[Session, Cohort], RoundPlan]


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
    proposing = partial(propose_round, user_id=user_id, now=now, seed=seed)
    return keep_proposal(uow, team_id, slug, user_id, is_admin, proposing)


def keep_proposal(
    uow: UnitOfWork, team_id: str, slug: str, user_id: str, is_admin: bool, propose: Proposer
) -> RoundPlan:
    """Propose for the cohort a facilitator names, and keep the proposal for confirming."""
    with uow:
        cohort = facilitated_cohort(uow.session, team_id, slug.lower(), user_id, is_admin)
        proposal = propose(uow.session, cohort)
        uow.commit()
        return proposal


def propose_round(
    session: Session, cohort: Cohort, *, user_id: str, now: datetime, seed: int | None = None
) -> RoundPlan:
    """The cohort's next round, computed from what the database holds now and stored for confirming."""
    refuse_after_end(cohort, now)
    inputs = gather(session, cohort, now, cohort.match_look_back_rounds or None)
    if len(inputs.members) < 2:
        raise NothingToMatch(cohort.slug, len(inputs.members))
    chosen_seed = seed if seed is not None else cohort.id * 1000 + inputs.next_round
    plan = plan_round(inputs, settings_of(cohort), chosen_seed, meeting_place_of(session, cohort))
    run = store_preview(session, cohort, inputs, plan, inputs.next_round, chosen_seed, user_id, now)
    return RoundPlan(run.id, cohort.slug, cohort.name, run.round, run.status, plan)


def refuse_after_end(cohort: Cohort, now: datetime) -> None:
    """No round or re-match once the cohort's last day is over: the next tick would end its pairs at once
    (keeping them apart for good) while their channels and invites still went out."""
    if cohort_over(cohort.ends_on, cohort.timezone, now):
        raise CohortOver(cohort.slug, matching=True)


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
    supersede_previews(session, cohort.id)
    run = MatchRun(
        workspace_id=cohort.workspace_id,
        cohort_id=cohort.id,
        round=round_number,
        rematch=bool(plan.get("rematch")),  # joins the round it follows, takes no number of its own
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
        # Read again under row locks: of two presses at once (two replicas), the second waits and finds the
        # run confirmed; of two previews confirmed at once, the second finds the first's round and is stale.
        run = locked_run(uow.session, run.id)
        # A coach's places are for all their cohorts: a round elsewhere giving them learners at the same
        # moment waits here, then this one finds its preview stale. Profiles first, as a request's answer.
        hold_guides(uow.session, cohort.workspace_id, _guides(cohort, run.plan))
        hold_cohort(uow.session, cohort.id)
        if run.status is RunStatus.PREVIEWED:
            refuse_after_end(cohort, now)  # previewed on the last day, confirmed after it
            refuse_stale(uow.session, cohort, run, now)
            create_rows(uow.session, cohort, run, now)
            run.status, run.confirmed_at = RunStatus.CONFIRMED, now
            schedule_round(uow.session, run, user_id, now)  # Slack's side is done by the dispatcher
        elif run.status is RunStatus.SUPERSEDED:
            refuse_stale(uow.session, cohort, run, now)
        uow.commit()
        return RoundPlan(run.id, cohort.slug, cohort.name, run.round, run.status, run.plan)


def refuse_stale(session: Session, cohort: Cohort, run: MatchRun, now: datetime) -> None:
    """Neither confirm nor show a preview replaced since, or whose members or settings changed since: it may
    name someone who left (and was erased) and their interests. A confirmed round stays as it was made."""
    if run.status is RunStatus.SUPERSEDED:
        raise StalePreview(cohort.slug, _rematched_user(run.plan))
    if run.status is RunStatus.PREVIEWED:
        inputs = gather(session, cohort, now, cohort.match_look_back_rounds or None)  # a few set-based reads
        if inputs.fingerprint(settings_fingerprint(cohort, run.plan)) != run.fingerprint:
            raise StalePreview(cohort.slug, _rematched_user(run.plan))


def unfinished_round(
    uow: UnitOfWork, team_id: str, slug: str, *, user_id: str, is_admin: bool
) -> RoundPlan | None:
    """A confirmed round whose creation in Slack has not finished (it is resumed before anything new)."""
    with uow:
        cohort = facilitated_cohort(uow.session, team_id, slug.lower(), user_id, is_admin)
        run = confirmed_run(uow.session, cohort.id)
        return RoundPlan(run.id, cohort.slug, cohort.name, run.round, run.status, run.plan) if run else None


def facilitated_run(
    session: Session, team_id: str, run_id: int, user_id: str, is_admin: bool
) -> tuple[MatchRun, Cohort]:
    """A stored proposal and its cohort, for the cohort's facilitators (and admins) only."""
    workspace = find_workspace(session, team_id)
    run = session.get(MatchRun, run_id)
    cohort = session.get(Cohort, run.cohort_id) if run is not None else None
    # Another workspace's run, a missing one, and one of a cohort the person does not facilitate get the
    # same words, naming no cohort: trying ids one by one tells nobody which cohorts exist.
    if run is None or cohort is None or workspace is None or run.workspace_id != workspace.id:
        raise NotAFacilitator("this cohort")
    if not (is_admin or is_facilitator(session, cohort.id, user_id)):
        raise NotAFacilitator("this cohort")
    facilitated_cohort(session, team_id, cohort.slug.lower(), user_id, is_admin)  # archived: not found
    return run, cohort


def settings_fingerprint(cohort: Cohort, plan: dict[str, Any]) -> str:
    """The settings a plan depends on (and, for a re-match, whom it re-matches), for the stale check."""
    s = settings_of(cohort)
    key = (
        f"{s.circle_min_size}-{s.circle_max_size}-{s.pairing_mode.value}-{s.meeting_place.value}"
        f"-{s.match_look_back_rounds}"
    )
    return key + (f"-rematch-{plan['rematch']['member']}" if plan.get("rematch") else "")


def _guides(cohort: Cohort, plan: dict[str, Any]) -> set[str]:
    """The coaches or mentors a plan gives new learners to (the first of each pair), by Slack user."""
    if not cohort.pairing_mode.guided:
        return set()
    # An erasure empties the plans of the previews naming the person: such a run has no pairs left.
    return {str(plan["users"][str(pair["first"])]) for pair in plan.get("pairs", [])}


def _rematched_user(plan: dict[str, Any]) -> str | None:
    return str(plan["rematch"]["user"]) if plan.get("rematch") else None
