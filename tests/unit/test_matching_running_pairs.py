"""A round never proposes a pair that already runs, nor a second partner to anyone in a running pair it does
not keep, whatever the roles of its two and whichever of them the partnership stores first."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from circles.domain.cohort_rules import CohortSettings
from circles.domain.matching import pair
from circles.domain.vocabulary import PairingMode, Role
from circles.services.matching.candidates import peer_candidates
from circles.services.matching.inputs import MatchInputs, MemberFacts
from circles.services.matching.plan import plan_round

ROLES = (Role.LEARNER, Role.COACH, Role.MENTOR, Role.PEER)


def facts(key: int, role: Role) -> MemberFacts:
    return MemberFacts(key, f"U{key}", role, "", "", 0.0, "feedback", "", "feedback", "", 3, offered=3)


@st.composite
def cohorts(draw: st.DrawFn) -> tuple[list[MemberFacts], list[tuple[int, int]]]:
    """Members of any roles, and running pairs among them in either stored order, someone in several (a coach
    with learners, a learner with a coach agreed in the directory beside a peer partner from before)."""
    roles = draw(st.lists(st.sampled_from(ROLES), min_size=2, max_size=12))
    members = [facts(key, role) for key, role in enumerate(roles, start=1)]
    keys = [m.member_id for m in members]
    couples = draw(st.lists(st.tuples(st.sampled_from(keys), st.sampled_from(keys)), max_size=8))
    running: list[tuple[int, int]] = []
    for first, second in couples:
        if first != second and pair(first, second) not in {pair(*r) for r in running}:
            running.append((first, second))
    return members, sorted(running)


@settings(max_examples=150, deadline=None)
@given(cohorts(), st.sampled_from([PairingMode.COACH_LEARNER, PairingMode.MENTOR_LEARNER, PairingMode.PEER]))
def test_a_round_proposes_nobody_in_a_running_pair_a_partner_again(
    cohort: tuple[list[MemberFacts], list[tuple[int, int]]], mode: PairingMode
) -> None:
    members, running = cohort
    inputs = MatchInputs(members, frozenset(), frozenset(), running, 2)
    plan = plan_round(inputs, CohortSettings("c", 2, 6, mode), seed=1)
    proposed = [(p["first"], p["second"]) for p in plan["pairs"]]
    partnered = {k for couple in running for k in couple}
    assert not {pair(*p) for p in proposed} & {pair(*r) for r in running}
    roles = {m.member_id: m.role for m in members}
    for first, second in proposed:
        # A learner (or, pairing peers, anyone) in a running pair is not proposed another partner.
        in_pair = [k for k in (first, second) if mode is PairingMode.PEER or roles[k] is Role.LEARNER]
        assert not set(in_pair) & partnered
    if mode is PairingMode.PEER:  # every free member, whatever their role, and nobody else
        free = {m.member_id for m in peer_candidates(members, running)}
        assert {k for p in proposed for k in p} <= free
        assert len(proposed) == len(free) // 2
