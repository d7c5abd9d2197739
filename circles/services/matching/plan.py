"""Turn matching inputs into a stored plan: circles, pairs, who is left out and why, in plain JSON."""

from __future__ import annotations

from typing import Any

from circles.domain.cohort_rules import CohortSettings, circle_sizes
from circles.domain.matching.assignment import AssignmentProblem, assign_guides
from circles.domain.matching.circles import CircleProblem, form_circles
from circles.domain.matching.endings import EndedPairs
from circles.domain.matching.peers import PeerProblem, pair_peers
from circles.domain.matching.people import (
    Guide,
    Learner,
    Person,
    guide_from_profile,
    learner_from_profile,
    pair,
    profile_terms,
)
from circles.domain.vocabulary import MeetingPlace, PairingMode, Role
from circles.services.matching.candidates import learner_candidates, peer_candidates, places_taken
from circles.services.matching.inputs import MatchInputs, MemberFacts

ODD_ONE_OUT = "An odd number of peers: waits for the next round or a re-match."


def plan_round(
    inputs: MatchInputs, settings: CohortSettings, seed: int, place: MeetingPlace | None = None
) -> dict[str, Any]:
    """Circles for everyone active, no larger than where they meet (`place`) holds, and partnerships per
    the cohort's pairing mode."""
    people = [person_of(m) for m in inputs.members]
    smallest, largest = circle_sizes(settings, place or settings.meeting_place)
    circles = form_circles(CircleProblem(people, smallest, largest, inputs.history, inputs.forbidden, seed))
    plan = empty_plan(inputs, inputs.active_ended)  # a round forms nothing with a paused member
    plan["circles"] = [{"members": list(g.members), "why": g.why} for g in circles.groups]
    plan["unplaced"] = [{"member": u.key, "reason": u.reason, "for": "circle"} for u in circles.unplaced]
    plan["conflicts"] = circles.conflicts
    for index, group in enumerate(circles.groups, start=1):
        for first, second in group.repeats:
            add_repeat(plan, inputs, first, second, f"circle {index}")
    if settings.pairing_mode is PairingMode.PEER:
        _peer_pairs(plan, inputs, people, seed)
    elif settings.pairing_mode.guided:
        _guide_pairs(plan, inputs, seed)
    return plan


def empty_plan(inputs: MatchInputs, ended: EndedPairs) -> dict[str, Any]:
    """A plan that forms nothing yet: every key a stored plan has, the pairs kept apart, who is who (a
    paused member too, when a pair kept apart names them)."""
    named = {key for ending in ended.apart for key in ending.pair}
    users = {str(key): user for key, user in inputs.paused.items() if key in named}
    return {
        "circles": [],
        "pairs": [],
        "unplaced": [],
        "repeats": 0,
        "repeated": [],
        "kept_apart": kept_apart(ended),
        "apart_endings": apart_endings(ended),
        "conflicts": 0,
        "users": users | {str(m.member_id): m.user_id for m in inputs.members},
    }


def kept_apart(ended: EndedPairs) -> list[dict[str, int]]:
    """The ended pairs no plan may form, to name in the preview with a way to allow each again."""
    return [{"first": e.first, "second": e.second, "round": e.round} for e in ended.apart]


def apart_endings(ended: EndedPairs) -> dict[str, int]:
    """The ending that keeps each pair apart, by "<first>:<second>": the pair's "Allow again" names it, so
    that pressed once the pair has ended again since, it lifts nothing (`overrides.allow_pair_again`)."""
    return {f"{e.first}:{e.second}": e.id for e in ended.apart}


def add_repeat(plan: dict[str, Any], inputs: MatchInputs, first: int, second: int, where: str) -> None:
    """Count and name one earlier pairing proposed again; say so when a facilitator allowed it."""
    allowed = pair(first, second) in inputs.ended.allowed_pairs
    plan["repeated"].append({"first": first, "second": second, "where": where, "allowed": allowed})
    plan["repeats"] += 1


def person_of(m: MemberFacts) -> Person:
    return Person(
        key=m.member_id,
        role=m.role.value,
        department=m.department,
        seniority=m.seniority,
        utc_offset_hours=m.utc_offset_hours,
        terms=profile_terms(m.interests, m.aspirations, m.skills),
    )


def guide_of(m: MemberFacts, capacity: int | None = None) -> Guide:
    """A coach or mentor as assignment weighs them, with room for `capacity` partners (unless given, their
    own)."""
    room = m.capacity if capacity is None else capacity
    return guide_from_profile(m.member_id, room, skills=m.skills, offers=m.offers, interests=m.interests)


def learner_of(m: MemberFacts) -> Learner:
    """A learner as assignment weighs them."""
    return learner_from_profile(m.member_id, aspirations=m.aspirations, interests=m.interests)


def _peer_pairs(plan: dict[str, Any], inputs: MatchInputs, people: list[Person], seed: int) -> None:
    candidates = {m.member_id for m in peer_candidates(inputs.members, inputs.fixed_pairs)}
    free = [p for p in people if p.key in candidates]
    if len(free) < 2:
        return
    result = pair_peers(PeerProblem(free, inputs.history, inputs.forbidden, seed))
    for group in result.groups:
        first, second, *rest = group.members
        plan["pairs"].append({"first": first, "second": second, "why": group.why})
        plan["unplaced"] += [{"member": key, "reason": ODD_ONE_OUT, "for": "pair"} for key in rest]
        if pair(first, second) in inputs.history:  # an odd one out waits, so only this pair counts
            add_repeat(plan, inputs, first, second, "partners")
    plan["unplaced"] += [{"member": u.key, "reason": u.reason, "for": "pair"} for u in result.unplaced]
    plan["conflicts"] += result.conflicts


def _guide_pairs(plan: dict[str, Any], inputs: MatchInputs, seed: int) -> None:
    guide_ids = {m.member_id for m in inputs.members if m.role.guides}
    learner_ids = {m.member_id for m in inputs.members if m.role is Role.LEARNER}
    # Running partnerships (e.g. agreed through the directory) stay as they are and use up capacity.
    kept = {
        (guide, learner)
        for guide, learner in inputs.fixed_pairs
        if guide in guide_ids and learner in learner_ids and pair(guide, learner) not in inputs.forbidden
    }
    fixed = frozenset((learner, guide) for guide, learner in kept)
    # Any other running pair goes on too (a round ends no partnership): one with a partner on a break, with a
    # block or conflict recorded since it began, or of two peers from before the cohort paired with guides.
    # Its guide's place stays taken, and neither of its two is proposed a partner.
    held = places_taken(couple for couple in inputs.fixed_pairs if couple not in kept)
    # The learners in no running partnership, and those kept with a guide (whatever else they are in).
    weighed = {m.member_id for m in learner_candidates(inputs.members, inputs.fixed_pairs)}
    weighed |= {learner for _, learner in kept}
    guides = [
        guide_of(m, max(m.capacity - held[m.member_id], 0))
        for m in inputs.members
        if m.member_id in guide_ids
    ]
    learners = [learner_of(m) for m in inputs.members if m.member_id in weighed]
    if not learners:
        return
    offering_none = frozenset(
        m.member_id for m in inputs.members if m.member_id in guide_ids and not m.offered
    )
    result = assign_guides(
        AssignmentProblem(
            learners, guides, fixed=fixed, forbidden=inputs.forbidden, seed=seed, offering_none=offering_none
        )
    )
    for match in result.pairs:
        if not match.fixed:
            plan["pairs"].append({"first": match.guide, "second": match.learner, "why": match.why})
            # Running pairs are kept and other ended ones are forbidden: an allowed one is the only repeat.
            if pair(match.guide, match.learner) in inputs.ended.allowed_pairs:
                add_repeat(plan, inputs, match.guide, match.learner, "partners")
    plan["unplaced"] += [{"member": u.key, "reason": u.reason, "for": "pair"} for u in result.unplaced]
    plan["conflicts"] += result.conflicts
