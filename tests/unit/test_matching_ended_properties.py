"""Over random histories: no ended pair without an override is ever proposed again, and coach–learner
assignment stays the exact optimum among the pairs still allowed."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from circles.domain.cohort_rules import CohortSettings
from circles.domain.matching import (
    AssignmentProblem,
    EndedPairs,
    Ending,
    Guide,
    Override,
    Pairing,
    PeerChoice,
    Placement,
    Unplaced,
    assign_guides,
    pair,
    rematch_guide,
    rematch_into_circle,
    rematch_learner,
    rematch_peer,
    sort_endings,
)
from circles.domain.vocabulary import EndReason, PairingMode, Role
from circles.services.matching.inputs import MatchInputs, MemberFacts
from circles.services.matching.plan import guide_of, learner_of, person_of, plan_round
from tests.unit.test_matching_assignment import brute_force

T0 = datetime(2027, 1, 4, 9, tzinfo=UTC)
WORDS = ("research", "teaching", "feedback", "wellbeing", "surgery")
MODES = (PairingMode.COACH_LEARNER, PairingMode.MENTOR_LEARNER, PairingMode.PEER)


@dataclass(frozen=True)
class Partnership:
    first: int  # the guide or first peer
    second: int
    round: int
    ended_at: datetime | None  # None: still running
    reason: EndReason | None


@dataclass(frozen=True)
class History:
    mode: PairingMode
    members: list[MemberFacts]
    partnerships: list[Partnership]
    overrides: list[Override]

    def apart(self) -> set[frozenset[int]]:
        """What must stay apart, worked out the long way: the pair's last ending outlived every override."""
        running = {pair(p.first, p.second) for p in self.partnerships if p.ended_at is None}
        kept = set()
        for couple in {pair(p.first, p.second) for p in self.partnerships if p.ended_at is not None}:
            last_end = max(
                p.ended_at for p in self.partnerships if pair(p.first, p.second) == couple and p.ended_at
            )
            allowed = [o.allowed_at for o in self.overrides if pair(o.first, o.second) == couple]
            if couple not in running and not any(when >= last_end for when in allowed):
                kept.add(couple)
        return kept


# Built once: a strategy made anew inside every draw is validated anew, which costs more than drawing.
# A member's role, department and capacity come in one draw from every combination of them rather than in
# three; their aspirations (up to two words) in one rather than two, each count of words as likely as
# drawing the count first made it: a text of n words stands 5 ** (2 - n) times in SHORT_TEXTS. Texts of up
# to three words stay two draws (how many, which): Hypothesis draws an index uniformly only up to about 256,
# and the same weighting would take 500.
FACETS = {
    peer: st.sampled_from(
        list(
            itertools.product(
                [Role.PEER] if peer else [Role.LEARNER, Role.LEARNER, Role.COACH],
                ("", "surgery", "medicine"),
                range(4),  # capacity
            )
        )
    )
    for peer in (True, False)
}
LONG_TEXTS = [st.sampled_from([" ".join(w) for w in itertools.product(WORDS, repeat=n)]) for n in range(4)]
LONG_LENGTH = st.integers(0, 3)
SHORT_TEXTS = st.sampled_from(
    [" ".join(w) for n in range(3) for w in itertools.product(WORDS, repeat=n) for _ in range(5 ** (2 - n))]
)
REASONS = st.sampled_from(list(EndReason))
ANY_MODE = st.sampled_from(MODES)
GUIDED_MODE = st.sampled_from([m for m in MODES if m is not PairingMode.PEER])


@st.composite
def histories(draw: st.DrawFn, modes: st.SearchStrategy[PairingMode] = ANY_MODE) -> History:
    mode = draw(modes)
    peer = mode is PairingMode.PEER
    members = []
    for key in range(1, draw(st.integers(3, 9)) + 1):
        role, department, capacity = draw(FACETS[peer])
        interests, aspirations, skills = _long(draw), draw(SHORT_TEXTS), _long(draw)
        members.append(
            MemberFacts(
                key, f"U{key}", role, department, "", 0.0, interests, aspirations, skills, "", capacity
            )
        )
    guides = [m.member_id for m in members if m.role.guides]
    seconds = [m.member_id for m in members if not m.role.guides]
    partnerships: list[Partnership] = []
    running: set[frozenset[int]] = set()
    firsts = guides if mode is not PairingMode.PEER else seconds
    couples = list(itertools.product(firsts, seconds)) or [(0, 0)]  # one draw a couple, not two
    rounds = st.lists(st.sampled_from(couples))  # the same every round: made and validated once
    for round_number in range(1, draw(st.integers(1, 4)) + 1):
        for first, second in draw(rounds)[:6]:
            if first == second or 0 in (first, second) or pair(first, second) in running:
                continue
            if draw(st.booleans()):
                when = T0 + timedelta(days=14 * round_number + draw(st.integers(0, 13)))
                reason = draw(REASONS)
                partnerships.append(Partnership(first, second, round_number, when, reason))
            else:
                running.add(pair(first, second))
                partnerships.append(Partnership(first, second, round_number, None, None))
    ended = [p for p in partnerships if p.ended_at is not None]
    overrides = [
        Override(p.second, p.first, T0 + timedelta(days=draw(st.integers(0, 70))))
        for p in ended
        if draw(st.integers(0, 2)) == 0
    ]
    return History(mode, members, partnerships, overrides)


def _long(draw: st.DrawFn) -> str:
    return draw(LONG_TEXTS[draw(LONG_LENGTH)])


def sorted_endings(history: History) -> EndedPairs:
    endings = [Ending(p.first, p.second, p.round, p.ended_at) for p in history.partnerships if p.ended_at]
    running = [pair(p.first, p.second) for p in history.partnerships if p.ended_at is None]
    return sort_endings(endings, history.overrides, running)


def inputs_of(history: History) -> MatchInputs:
    ended = sorted_endings(history)
    running = sorted({(p.first, p.second) for p in history.partnerships if p.ended_at is None})
    partners = frozenset(pair(p.first, p.second) for p in history.partnerships)
    return MatchInputs(history.members, partners, ended.forbidden, running, 5, ended)


def proposed_together(plan: dict[str, Any]) -> set[frozenset[int]]:
    circles = [c["members"] for c in plan["circles"]]
    together = {pair(a, b) for members in circles for a, b in itertools.combinations(members, 2)}
    return together | {pair(p["first"], p["second"]) for p in plan["pairs"]}


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(0, 2**16))
def test_no_round_proposes_an_ended_pair_in_a_partnership_or_a_circle(history: History, seed: int) -> None:
    inputs = inputs_of(history)
    assert inputs.forbidden == history.apart()
    plan = plan_round(inputs, CohortSettings("c", 2, 4, history.mode), seed)
    assert not proposed_together(plan) & history.apart()
    allowed_again = inputs.ended.allowed_pairs
    for again in proposed_together(plan) & allowed_again:
        assert again in {pair(r["first"], r["second"]) for r in plan["repeated"]}
    assert plan["repeats"] == len(plan["repeated"])


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(0, 2**16))
def test_no_rematch_offers_an_ended_pair_a_partner_or_a_circle_again(history: History, seed: int) -> None:
    inputs, apart = inputs_of(history), history.apart()
    plan = plan_round(inputs, CohortSettings("c", 2, 4, history.mode), seed)
    people = {m.member_id: m for m in history.members}
    circles = {i: [person_of(people[k]) for k in c["members"]] for i, c in enumerate(plan["circles"])}
    guides = [guide_of(g) for g in history.members if g.role.guides]
    learners = [learner_of(x) for x in history.members if x.role is Role.LEARNER]
    peers = [person_of(p) for p in history.members if p.role is Role.PEER]
    for m in history.members:
        placed = rematch_into_circle(
            person_of(m), circles, max_size=5, history=inputs.history, forbidden=inputs.forbidden, seed=seed
        )
        if isinstance(placed, Placement):
            assert not any(
                pair(m.member_id, o.key) in apart for o in circles[placed.circle] if o.key != m.member_id
            )
        if m.role is Role.PEER:
            found: PeerChoice | Pairing | Unplaced = rematch_peer(
                person_of(m), peers, history=inputs.history, forbidden=inputs.forbidden
            )
            if isinstance(found, PeerChoice):
                assert pair(m.member_id, found.partner) not in apart
            continue
        if m.role is Role.LEARNER:
            found = rematch_learner(learner_of(m), guides, taken={}, forbidden=inputs.forbidden, seed=seed)
        else:
            found = rematch_guide(guide_of(m), learners, forbidden=inputs.forbidden, seed=seed)
        if isinstance(found, Pairing):
            assert pair(found.learner, found.guide) not in apart


@settings(max_examples=200, deadline=None)
@given(histories(GUIDED_MODE), st.integers(0, 2**16))
def test_coach_assignment_is_the_exact_optimum_among_the_pairs_still_allowed(
    history: History, seed: int
) -> None:
    inputs = inputs_of(history)
    learners = [learner_of(m) for m in history.members if m.role is Role.LEARNER]
    guides = [guide_of(m) for m in history.members if m.role.guides]
    fixed = frozenset((second, first) for first, second in inputs.fixed_pairs)
    problem = AssignmentProblem(
        learners, guides, fixed=_within_capacity(fixed, guides), forbidden=inputs.forbidden, seed=seed
    )
    plan = assign_guides(problem)
    assert (plan.matched, plan.total_fit) == brute_force(problem)
    assert not {pair(p.learner, p.guide) for p in plan.pairs} & history.apart()


def _within_capacity(fixed: frozenset[tuple[int, int]], guides: list[Guide]) -> frozenset[tuple[int, int]]:
    """Running pairs one learner each, within each guide's capacity, as a cohort's would be."""
    kept: list[tuple[int, int]] = []
    for learner, guide in sorted(fixed):
        capacity = next(g.capacity for g in guides if g.key == guide)
        if all(lk != learner for lk, _ in kept) and sum(g == guide for _, g in kept) < capacity:
            kept.append((learner, guide))
    return frozenset(kept)
