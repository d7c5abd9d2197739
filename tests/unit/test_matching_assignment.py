"""Coach–learner assignment: the exact optimum of (learners matched, then total fit), within every rule."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from circles.domain.matching import AssignmentProblem, Guide, Learner, assign_guides, fit, pair

VOCABULARY = ("research", "teaching", "leadership", "wellbeing", "surgery")


def guide(key: int, capacity: int, strong: str = "", light: str = "") -> Guide:
    return Guide(key, capacity, frozenset(strong.split()), frozenset(light.split()))


def learner(key: int, wanted: str) -> Learner:
    return Learner(key, tuple(wanted.split()))


def pairs_of(problem: AssignmentProblem) -> set[tuple[int, int]]:
    return {(p.learner, p.guide) for p in assign_guides(problem).pairs}


def test_each_learner_gets_the_coach_whose_skills_fit_best() -> None:
    problem = AssignmentProblem(
        [learner(1, "research teaching"), learner(2, "leadership")],
        [guide(10, 1, strong="leadership"), guide(11, 1, strong="research", light="teaching")],
    )
    plan = assign_guides(problem)
    assert {(p.learner, p.guide, p.fit) for p in plan.pairs} == {(1, 11, 3), (2, 10, 2)}
    assert plan.total_fit == 5
    assert plan.pairs[0].why == "fit 3: research, teaching"


def test_matching_one_more_learner_beats_a_better_fit_for_another() -> None:
    problem = AssignmentProblem(
        [learner(1, "research teaching"), learner(2, "research")],
        [guide(10, 1, strong="research teaching"), guide(11, 1, light="teaching")],
        forbidden=frozenset({pair(2, 11)}),
    )
    plan = assign_guides(problem)
    assert pairs_of(problem) == {(1, 11), (2, 10)}
    assert (plan.matched, plan.total_fit, plan.conflicts) == (2, 3, 0)


def test_the_total_fit_is_optimal_where_picking_the_best_pair_first_is_not() -> None:
    problem = AssignmentProblem(
        [learner(1, "research teaching"), learner(2, "research surgery")],
        [guide(10, 1, strong="research teaching surgery"), guide(11, 1, strong="teaching")],
    )
    plan = assign_guides(problem)
    assert pairs_of(problem) == {(1, 11), (2, 10)}
    assert plan.total_fit == 6


def test_accepted_requests_are_kept_and_use_up_the_coachs_capacity() -> None:
    problem = AssignmentProblem(
        [learner(1, "research"), learner(9, "teaching")],
        [guide(10, 1, strong="research"), guide(11, 1)],
        fixed=frozenset({(9, 10)}),
    )
    plan = assign_guides(problem)
    assert {(p.learner, p.guide, p.fixed) for p in plan.pairs} == {(9, 10, True), (1, 11, False)}
    assert "accepted request" in next(p.why for p in plan.pairs if p.fixed)


def test_an_accepted_pair_with_a_conflict_declared_since_is_released_not_kept() -> None:
    problem = AssignmentProblem(
        [learner(1, "research")],
        [guide(10, 1, strong="research"), guide(11, 1)],
        fixed=frozenset({(1, 10)}),
        forbidden=frozenset({pair(1, 10)}),
    )
    plan = assign_guides(problem)
    assert plan.released == ((1, 10),)
    assert pairs_of(problem) == {(1, 11)}


def test_learners_without_a_partner_are_told_why() -> None:
    nobody = assign_guides(AssignmentProblem([learner(1, "research")], []))
    assert "no coach or mentor" in nobody.unplaced[0].reason
    blocked = assign_guides(
        AssignmentProblem([learner(1, "research")], [guide(10, 2)], forbidden=frozenset({pair(1, 10)}))
    )
    assert "conflict" in blocked.unplaced[0].reason
    full = assign_guides(
        AssignmentProblem([learner(1, "x"), learner(2, "x")], [guide(10, 1)], fixed=frozenset({(2, 10)}))
    )
    assert "full" in full.unplaced[0].reason
    crowded = assign_guides(AssignmentProblem([learner(1, "x"), learner(2, "x")], [guide(10, 1)]))
    assert len(crowded.unplaced) == 1
    assert "went to other learners" in crowded.unplaced[0].reason


def test_coaches_who_offered_no_places_are_not_called_full_and_the_facilitator_learns_what_helps() -> None:
    none_offered = assign_guides(
        AssignmentProblem(
            [learner(1, "x"), learner(2, "x")],
            [guide(10, 0), guide(11, 0)],
            offering_none=frozenset({10, 11}),
        )
    )
    assert [u.key for u in none_offered.unplaced] == [1, 2]
    for unplaced in none_offered.unplaced:
        assert "full" not in unplaced.reason
        assert "has said they can take a partner yet" in unplaced.reason
        assert "how many partners they can take" in unplaced.reason
        assert "`/circles profile`" in unplaced.reason


def test_coaches_with_places_all_taken_by_kept_pairs_are_still_called_full() -> None:
    problem = AssignmentProblem(
        [learner(1, "x"), learner(2, "x"), learner(3, "x")],
        [guide(10, 1), guide(11, 1)],
        fixed=frozenset({(2, 10), (3, 11)}),
    )
    [unplaced] = assign_guides(problem).unplaced
    assert unplaced.reason == "Every coach or mentor they may be paired with is full."


def test_a_coach_kept_apart_does_not_count_when_the_others_offered_no_places() -> None:
    problem = AssignmentProblem(
        [learner(1, "x")],
        [guide(10, 3), guide(11, 0)],
        forbidden=frozenset({pair(1, 10)}),
        offering_none=frozenset({11}),
    )
    [unplaced] = assign_guides(problem).unplaced
    assert "has said they can take a partner yet" in unplaced.reason


def test_ties_are_broken_by_the_seed_and_the_same_seed_always_breaks_them_the_same_way() -> None:
    learners = [learner(1, "research"), learner(2, "research")]
    guides = [guide(10, 1, strong="research"), guide(11, 1, strong="research")]
    outcomes = {frozenset(pairs_of(AssignmentProblem(learners, guides, seed=seed))) for seed in range(40)}
    assert len(outcomes) == 2
    again = AssignmentProblem(list(reversed(learners)), list(reversed(guides)), seed=5)
    assert pairs_of(AssignmentProblem(learners, guides, seed=5)) == pairs_of(again)


# Built once: a strategy made anew inside every draw is validated anew, which costs more than drawing.
INTERESTS = st.lists(st.sampled_from(VOCABULARY), unique=True, max_size=4)
OFFERS = st.lists(st.sampled_from(VOCABULARY), max_size=3)
CAPACITY = st.integers(0, 3)


@st.composite
def small_problems(draw: st.DrawFn) -> AssignmentProblem:
    learners = [Learner(k, tuple(draw(INTERESTS))) for k in range(1, draw(st.integers(0, 6)) + 1)]
    guides = [
        Guide(100 + k, draw(CAPACITY), frozenset(draw(OFFERS)), frozenset(draw(OFFERS)))
        for k in range(draw(st.integers(0, 3)))
    ]
    edges = [(lr.key, g.key) for lr in learners for g in guides]
    forbidden = frozenset(pair(*e) for e in edges if draw(st.booleans()) and draw(st.booleans()))
    fixed: set[tuple[int, int]] = set()
    for lk, gk in edges:
        taken = sum(g == gk for _, g in fixed)
        free = all(lk != other for other, _ in fixed)
        capacity = next(g.capacity for g in guides if g.key == gk)
        if free and taken < capacity and pair(lk, gk) not in forbidden and draw(st.integers(0, 5)) == 0:
            fixed.add((lk, gk))
    return AssignmentProblem(learners, guides, frozenset(fixed), forbidden, draw(st.integers(0, 2**32)))


def brute_force(problem: AssignmentProblem) -> tuple[int, int]:
    """The best (learners matched, total fit) by trying every assignment."""
    guides = {g.key: g for g in problem.guides}
    learners = {lr.key: lr for lr in problem.learners}
    fixed_fit = sum(fit(learners[lk], guides[gk])[0] for lk, gk in problem.fixed)
    room = {g.key: g.capacity - sum(gk == g.key for _, gk in problem.fixed) for g in problem.guides}
    pool = [lr for lr in problem.learners if all(lr.key != lk for lk, _ in problem.fixed)]
    best = (0, 0)
    for choice in itertools.product([None, *guides], repeat=len(pool)):
        used = [gk for gk in choice if gk is not None]
        if any(used.count(gk) > room[gk] for gk in set(used)):
            continue
        if any(
            gk is not None and pair(lr.key, gk) in problem.forbidden
            for lr, gk in zip(pool, choice, strict=True)
        ):
            continue
        total = sum(fit(lr, guides[gk])[0] for lr, gk in zip(pool, choice, strict=True) if gk is not None)
        best = max(best, (len(used), total))
    return len(problem.fixed) + best[0], fixed_fit + best[1]


@settings(max_examples=300, deadline=None)
@given(small_problems())
def test_the_assignment_is_the_exact_optimum_found_by_trying_every_assignment(
    problem: AssignmentProblem,
) -> None:
    plan = assign_guides(problem)
    assert (plan.matched, plan.total_fit) == brute_force(problem)


@settings(max_examples=300, deadline=None)
@given(small_problems())
def test_accepted_pairs_stay_capacity_holds_and_conflicts_are_never_paired(
    problem: AssignmentProblem,
) -> None:
    plan = assign_guides(problem)
    made = {(p.learner, p.guide) for p in plan.pairs}
    assert set(problem.fixed) <= made
    for g in problem.guides:
        assert sum(gk == g.key for _, gk in made) <= g.capacity
    assert not any(pair(*m) in problem.forbidden for m in made)
    assert plan.conflicts == 0
    assert len({lk for lk, _ in made}) == len(made)
    assert sorted([*(lk for lk, _ in made), *(u.key for u in plan.unplaced)]) == sorted(
        lr.key for lr in problem.learners
    )


@settings(max_examples=100, deadline=None)
@given(small_problems(), st.randoms())
def test_the_assignment_depends_on_the_seed_not_on_the_order_people_come_in(
    problem: AssignmentProblem, shuffler: random.Random
) -> None:
    learners, guides = list(problem.learners), list(problem.guides)
    shuffler.shuffle(learners)
    shuffler.shuffle(guides)
    shuffled = AssignmentProblem(learners, guides, problem.fixed, problem.forbidden, problem.seed)
    assert assign_guides(shuffled) == assign_guides(problem)
