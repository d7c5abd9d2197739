"""Invariants of circles and peer pairs over generated cohorts, conflicts and histories."""

from __future__ import annotations

import random
from itertools import combinations, product

from hypothesis import given, settings
from hypothesis import strategies as st

from circles.domain.matching import (
    CircleProblem,
    GroupPlan,
    Pairs,
    PeerProblem,
    Person,
    form_circles,
    pair,
    pair_peers,
    pairs_within,
    plan_sizes,
)

OFFSETS = (None, -8.0, -5.0, 0.0, 1.0, 5.5, 9.0)
WORDS = ("care", "teaching", "research", "rest")


# Built once: a strategy made anew inside every draw is validated anew, which costs more than drawing.
# A person's role, department, seniority and zone come in one draw from every combination of them rather
# than in four, their terms in one more. Each count of words (0 to 3) is as likely as drawing the count first
# made it: a combination of n words stands 4 ** (3 - n) times in TERMS. Hypothesis draws an index uniformly
# only up to about 256: a list of every combination of traits and terms would draw mostly its first ones.
ROLES = ("learner", "coach", "mentor", "peer", "")
DEPARTMENTS = ("cardiology", "nursing", "pharmacy", "surgery", "")
SENIORITY = ("junior", "senior", "")
TRAITS = st.sampled_from(list(product(ROLES, DEPARTMENTS, SENIORITY, OFFSETS)))
TERMS = st.sampled_from(
    [frozenset(words) for n in range(4) for words in product(WORDS, repeat=n) for _ in range(4 ** (3 - n))]
)


@st.composite
def people(draw: st.DrawFn, low: int = 0, high: int = 40) -> list[Person]:
    count = draw(st.integers(low, high))
    keys = draw(st.lists(st.integers(1, 10_000), min_size=count, max_size=count, unique=True))
    crowd = []
    for key in keys:
        role, department, seniority, offset = draw(TRAITS)
        crowd.append(Person(key, role, department, seniority, utc_offset_hours=offset, terms=draw(TERMS)))
    return crowd


def random_pairs(keys: list[int], share: float, rng: random.Random) -> frozenset[frozenset[int]]:
    return frozenset(pair(a, b) for a, b in combinations(keys, 2) if rng.random() < share)


def together(plan: GroupPlan) -> set[frozenset[int]]:
    return {pair(a, b) for group in plan.groups for a, b in combinations(group.members, 2)}


def check_invariants(plan: GroupPlan, crowd: list[Person], low: int, high: int, forbidden: Pairs) -> None:
    placed = [k for group in plan.groups for k in group.members]
    assert sorted(placed + [u.key for u in plan.unplaced]) == sorted(p.key for p in crowd)
    assert all(low <= len(group.members) <= high for group in plan.groups)
    assert not together(plan) & forbidden
    assert plan.conflicts == 0
    assert all(u.reason for u in plan.unplaced)


bounds = st.integers(2, 6).flatmap(lambda low: st.tuples(st.just(low), st.integers(low, low + 4)))


@settings(max_examples=150, deadline=None)
@given(people(), bounds, st.floats(0, 0.3), st.floats(0, 0.3), st.integers(0, 2**32))
def test_circles_stay_in_bounds_place_everyone_once_and_never_hold_a_conflict(
    crowd: list[Person], sizes: tuple[int, int], conflicts: float, earlier: float, seed: int
) -> None:
    rng = random.Random(seed)
    keys = [p.key for p in crowd]
    forbidden = random_pairs(keys, conflicts, rng)
    history = random_pairs(keys, earlier, rng)
    plan = form_circles(CircleProblem(crowd, *sizes, history=history, forbidden=forbidden, seed=seed))
    check_invariants(plan, crowd, *sizes, forbidden)
    assert set(plan.repeats) == {tuple(sorted(c)) for c in together(plan) & history}


@settings(max_examples=150, deadline=None)
@given(people(), bounds, st.integers(0, 2**32))
def test_without_conflicts_everyone_any_split_can_hold_is_placed(
    crowd: list[Person], sizes: tuple[int, int], seed: int
) -> None:
    plan = form_circles(CircleProblem(crowd, *sizes, seed=seed))
    assert len(crowd) - len(plan.unplaced) == plan_sizes(len(crowd), *sizes).placed


@settings(max_examples=150, deadline=None)
@given(people(low=8), st.integers(0, 2**32))
def test_one_conflict_each_never_costs_anyone_their_place_when_there_are_two_circles_or_more(
    crowd: list[Person], seed: int
) -> None:
    rng = random.Random(seed)
    keys = [p.key for p in crowd]
    rng.shuffle(keys)
    couples = zip(keys[::2], keys[1::2], strict=False)
    forbidden = frozenset(pair(a, b) for a, b in couples if rng.random() < 0.7)
    plan = form_circles(CircleProblem(crowd, 4, 6, forbidden=forbidden, seed=seed))
    check_invariants(plan, crowd, 4, 6, forbidden)
    assert len(crowd) - len(plan.unplaced) == plan_sizes(len(crowd), 4, 6).placed


@settings(max_examples=60, deadline=None)
@given(st.integers(4, 6), st.integers(2, 5), st.integers(0, 2**32))
def test_no_repeats_when_a_repeat_free_split_is_known_to_exist(size: int, more: int, seed: int) -> None:
    # A grid of (size + more) rows and `size` columns: the history holds half-columns, so any
    # row-wise split (circles of exactly `size`) meets nobody again, and many other splits do too.
    rows = size + more
    rng = random.Random(seed)
    keys = rng.sample(range(1, 10_000), rows * size)
    grid = [keys[r * size : (r + 1) * size] for r in range(rows)]
    columns = [[grid[r][c] for r in range(rows)] for c in range(size)]
    halves = [column[: rows // 2] for column in columns] + [column[rows // 2 :] for column in columns]
    history = frozenset().union(*(pairs_within(half) for half in halves))
    crowd = [Person(key, department=rng.choice("abc")) for key in keys]
    plan = form_circles(CircleProblem(crowd, size, size, history=history, seed=seed))
    assert plan.unplaced == ()
    assert plan.repeats == ()


# From 24 people on, the first round has at least four circles and a repeat-free second round
# exists (below that it may not: 21 people in four first-round circles cannot avoid one repeat).
@settings(max_examples=40, deadline=None)
@given(people(low=24, high=60), st.integers(0, 2**32))
def test_a_second_round_meets_nobody_from_the_first(crowd: list[Person], seed: int) -> None:
    first = form_circles(CircleProblem(crowd, 4, 6, seed=seed))
    history = frozenset().union(*(pairs_within(group.members) for group in first.groups))
    second = form_circles(CircleProblem(crowd, 4, 6, history=history, seed=seed + 1))
    assert second.repeats == ()


@settings(max_examples=80, deadline=None)
@given(people(), bounds, st.integers(0, 2**32), st.randoms())
def test_the_plan_depends_on_the_seed_not_on_the_order_people_come_in(
    crowd: list[Person], sizes: tuple[int, int], seed: int, shuffler: random.Random
) -> None:
    keys = [p.key for p in crowd]
    forbidden = random_pairs(keys, 0.1, random.Random(seed))
    shuffled = list(crowd)
    shuffler.shuffle(shuffled)
    plan = form_circles(CircleProblem(crowd, *sizes, forbidden=forbidden, seed=seed))
    assert form_circles(CircleProblem(shuffled, *sizes, forbidden=forbidden, seed=seed)) == plan


@settings(max_examples=150, deadline=None)
@given(people(), st.floats(0, 0.3), st.integers(0, 2**32))
def test_peers_come_in_pairs_with_at_most_one_trio_and_never_with_a_conflict(
    crowd: list[Person], conflicts: float, seed: int
) -> None:
    forbidden = random_pairs([p.key for p in crowd], conflicts, random.Random(seed))
    plan = pair_peers(PeerProblem(crowd, forbidden=forbidden, seed=seed))
    check_invariants(plan, crowd, 2, 3, forbidden)
    if not forbidden:
        assert sum(len(g.members) == 3 for g in plan.groups) == len(crowd) % 2 * (len(crowd) > 1)
        assert len(plan.unplaced) == (len(crowd) == 1)
