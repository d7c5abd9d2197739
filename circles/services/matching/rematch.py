"""Re-match one member between rounds: a circle with room and, per the cohort's pairing mode, a partner."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from circles.domain.cohort_rules import circle_sizes
from circles.domain.match_vocabulary import RunStatus
from circles.domain.matching import (
    Pairing,
    PeerChoice,
    Person,
    Placement,
    pair,
    rematch_guide,
    rematch_into_circle,
    rematch_learner,
    rematch_peer,
)
from circles.domain.requests import remaining_capacity
from circles.domain.vocabulary import PairingMode, Role
from circles.errors import NoRoundYet, PersonNotInCohort
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort
from circles.queries.circles import round_seats
from circles.queries.workspaces import meeting_place_of
from circles.services.cohorts.settings_row import settings_of
from circles.services.matching.candidates import learner_candidates, peer_candidates, places_taken
from circles.services.matching.inputs import MatchInputs, MemberFacts, gather
from circles.services.matching.plan import add_repeat, empty_plan, guide_of, learner_of, person_of
from circles.services.matching.rounds import RoundPlan, keep_proposal, refuse_after_end, store_preview

# A circle with room passed over: someone there, paused or not, must not be grouped with them.
PASSED_OVER = (
    "someone there must not be grouped with them (a declared conflict, a block or an ended partnership)."
)


def preview_rematch(
    uow: UnitOfWork,
    team_id: str,
    slug: str,
    member_user_id: str,
    *,
    user_id: str,
    is_admin: bool,
    now: datetime,
) -> RoundPlan:
    """Propose a circle and a partner for one member who lacks them, by the rules of a whole round."""
    proposing = partial(propose_rematch, member_user_id=member_user_id, user_id=user_id, now=now)
    return keep_proposal(uow, team_id, slug, user_id, is_admin, proposing)


def propose_rematch(
    session: Session, cohort: Cohort, member_user_id: str, *, user_id: str, now: datetime
) -> RoundPlan:
    """The re-match of one member, stored for confirming when it creates anything."""
    refuse_after_end(cohort, now)
    inputs = gather(session, cohort, now, cohort.match_look_back_rounds or None)
    facts = next((m for m in inputs.members if m.user_id == member_user_id), None)
    if facts is None:
        raise PersonNotInCohort(cohort.slug, member_user_id)
    current_round = inputs.next_round - 1
    if inputs.circle_round < 1 and cohort.pairing_mode is PairingMode.NONE:
        raise NoRoundYet(cohort.slug)
    seed = cohort.id * 1000 + current_round * 100 + facts.member_id % 100
    plan = _plan(session, cohort, inputs, facts, seed)
    run_id = 0
    if plan["joins"] or plan["pairs"]:
        # Pairs agreed before any round (through the directory) count as round 1.
        round_number = max(current_round, 1)
        run_id = store_preview(session, cohort, inputs, plan, round_number, seed, user_id, now).id
    return RoundPlan(run_id, cohort.slug, cohort.name, max(current_round, 1), RunStatus.PREVIEWED, plan)


def _plan(
    session: Session, cohort: Cohort, inputs: MatchInputs, facts: MemberFacts, seed: int
) -> dict[str, Any]:
    plan = empty_plan(inputs, inputs.ended.involving(facts.member_id))
    plan |= {"rematch": {"member": facts.member_id, "user": facts.user_id}, "joins": [], "notes": []}
    if inputs.circle_round >= 1:  # the circles of the latest round that formed any
        _circle(session, cohort, inputs, facts, seed, plan)
    else:
        plan["notes"].append({"text": "No circles formed yet: the first round places them."})
    if cohort.pairing_mode is not PairingMode.NONE:
        _partner(cohort, inputs, facts, seed, plan)
    return plan


def _circle(
    session: Session,
    cohort: Cohort,
    inputs: MatchInputs,
    facts: MemberFacts,
    seed: int,
    plan: dict[str, Any],
) -> None:
    rows = round_seats(session, cohort.id, inputs.circle_round)
    names = {circle_id: name for circle_id, name, _ in rows}
    if any(member_id == facts.member_id for _, _, member_id in rows):
        circle = next(c for c, _, m in rows if m == facts.member_id)
        plan["notes"].append({"text": f"Already in {names[circle]} this round."})
        return
    people = {m.member_id: person_of(m) for m in inputs.members}
    circles: dict[int, list[Person]] = {circle_id: [] for circle_id in names}
    away: dict[int, list[int]] = {circle_id: [] for circle_id in names}
    for circle_id, _, member_id in rows:
        if member_id in people:  # members who left or paused leave a place free
            circles[circle_id].append(people[member_id])
        elif member_id in inputs.paused:  # yet one paused is still there, for conflicts and endings
            away[circle_id].append(member_id)
    placed = rematch_into_circle(
        people[facts.member_id],
        circles,
        max_size=circle_sizes(settings_of(cohort), meeting_place_of(session, cohort))[1],
        history=inputs.history,
        forbidden=inputs.forbidden,
        seed=seed,
        away=away,
    )
    if isinstance(placed, Placement):
        plan["joins"].append(
            {"member": facts.member_id, "circle": placed.circle, "name": names[placed.circle]}
        )
        plan["joins"][-1]["why"] = placed.why
        for first, second in placed.repeats:
            add_repeat(plan, inputs, first, second, names[placed.circle])
        if placed.repeats:
            plan["repeat_reason"] = "every circle with room holds someone they met before"
        # Which of them, or why, is not said: a block is private to the person who set it.
        plan["notes"] += [
            {"text": f"Passed over {names[circle]}: {PASSED_OVER}"} for circle in placed.passed_over
        ]
    else:
        plan["unplaced"].append({"member": facts.member_id, "reason": placed.reason, "for": "circle"})


def _partner(
    cohort: Cohort, inputs: MatchInputs, facts: MemberFacts, seed: int, plan: dict[str, Any]
) -> None:
    running = [(first, second) for first, second in inputs.fixed_pairs if facts.member_id in (first, second)]
    taken = places_taken(inputs.fixed_pairs)
    me = facts.member_id
    peers = cohort.pairing_mode is PairingMode.PEER
    # A coach or mentor takes several learners; a peer, or anyone else, one partner at a time.
    if running and (peers or not facts.role.guides):
        other = running[0][0] if running[0][1] == me else running[0][1]
        plan["notes"].append(
            {"text": "Already has a partner; end that partnership first to re-match.", "with": other}
        )
        return
    if peers:
        free = [person_of(m) for m in peer_candidates(inputs.members, inputs.fixed_pairs)]
        choice = rematch_peer(
            person_of(facts), free, history=inputs.history, forbidden=inputs.forbidden, seed=seed
        )
        if isinstance(choice, PeerChoice):
            plan["pairs"].append({"first": me, "second": choice.partner, "why": choice.why})
            if choice.repeat:
                add_repeat(plan, inputs, me, choice.partner, "partners")
        else:
            plan["unplaced"].append({"member": me, "reason": choice.reason, "for": "pair"})
        return
    if facts.role is Role.LEARNER:
        guides = [guide_of(m) for m in inputs.members if m.role.guides]
        found = rematch_learner(learner_of(facts), guides, taken=taken, forbidden=inputs.forbidden, seed=seed)
    elif facts.role.guides:
        if not remaining_capacity(facts.capacity, taken.get(me, 0)):
            plan["notes"].append({"text": "Has no room for another partner (capacity reached)."})
            return
        learners = [learner_of(m) for m in learner_candidates(inputs.members, inputs.fixed_pairs)]
        found = rematch_guide(guide_of(facts), learners, forbidden=inputs.forbidden, seed=seed)
    else:
        return
    if isinstance(found, Pairing):
        plan["pairs"].append({"first": found.guide, "second": found.learner, "why": found.why})
        if pair(found.guide, found.learner) in inputs.ended.allowed_pairs:
            add_repeat(plan, inputs, found.guide, found.learner, "partners")
    else:
        plan["unplaced"].append({"member": me, "reason": found.reason, "for": "pair"})
