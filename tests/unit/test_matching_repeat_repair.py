"""Tight rounds: nobody shares a circle again while a plan without repeats exists, even when only a few do.

The earlier rounds come from affine planes (16 people in fours, 25 in fives: every class of circles is a
perfect grid against every other), so the classes not yet used prove that a round without repeats exists.
"""

from __future__ import annotations

from itertools import combinations

import pytest

from circles.domain.matching import CircleProblem, GroupPlan, Pairs, Person, form_circles, pair, pairs_within

Rounds = list[list[list[int]]]


def field(q: int) -> tuple[list[list[int]], list[list[int]]]:
    """Addition and multiplication tables of the field with q elements (q = 4 or a prime)."""
    if q == 4:  # GF(4) as polynomials over GF(2) modulo x² + x + 1
        times = [[0, 0, 0, 0], [0, 1, 2, 3], [0, 2, 3, 1], [0, 3, 1, 2]]
        return [[a ^ b for b in range(q)] for a in range(q)], times
    return [[(a + b) % q for b in range(q)] for a in range(q)], [
        [a * b % q for b in range(q)] for a in range(q)
    ]


def affine_plane(q: int) -> Rounds:
    """q + 1 rounds of q circles of q people (keys 1..q²) in which every two people meet exactly once."""
    plus, times = field(q)
    key = {(x, y): x * q + y + 1 for x in range(q) for y in range(q)}
    rounds = [[[key[(c, y)] for y in range(q)] for c in range(q)]]
    for slope in range(q):
        rounds.append([[key[(x, plus[times[slope][x]][c])] for x in range(q)] for c in range(q)])
    return rounds


def met(rounds: Rounds) -> Pairs:
    return frozenset(
        pair(a, b) for circles in rounds for circle in circles for a, b in combinations(circle, 2)
    )


def peers(count: int) -> list[Person]:
    return [Person(key=k, role="peer") for k in range(1, count + 1)]


def circles_of(plan: GroupPlan) -> list[list[int]]:
    return [list(c.members) for c in plan.groups]


def test_the_affine_planes_used_here_have_every_pair_meet_exactly_once() -> None:
    for q in (4, 5):
        rounds = affine_plane(q)
        assert all(sorted(k for c in circles for k in c) == list(range(1, q * q + 1)) for circles in rounds)
        assert sum(len(pairs_within(c)) for circles in rounds for c in circles) == len(met(rounds))
        assert len(met(rounds)) == q * q * (q * q - 1) // 2


@pytest.mark.parametrize("seed", range(1, 9))
def test_twenty_five_people_in_fives_repeat_nobody_in_a_third_round_after_two_perfect_ones(seed: int) -> None:
    history: Pairs = frozenset()
    rounds = []
    for number in (1, 2, 3):
        plan = form_circles(CircleProblem(peers(25), 5, 5, history=history, seed=seed * 1000 + number))
        rounds.append(circles_of(plan))
        history |= met([circles_of(plan)])
        if number < 3:
            assert plan.repeat_count == 0
    one, two, three = rounds
    row = {k: i for i, circle in enumerate(one) for k in circle}
    column = {k: j for j, circle in enumerate(two) for k in circle}
    diagonals = [[k for k in row if (row[k] + column[k]) % 5 == d] for d in range(5)]
    assert not met([diagonals]) & met([one, two])  # so a third round without repeats exists
    assert not met([three]) & met([one, two]), "the third round puts earlier partners together again"


@pytest.mark.parametrize(("q", "used"), [(4, 2), (4, 3), (5, 2), (5, 3), (5, 4)])
@pytest.mark.parametrize("seed", range(6))
def test_after_some_rounds_of_an_affine_plane_the_next_round_repeats_nobody(
    q: int, used: int, seed: int
) -> None:
    plane = affine_plane(q)
    history = met(plane[:used])
    assert not met(plane[used : used + 1]) & history  # an unused round of the plane repeats nobody
    plan = form_circles(CircleProblem(peers(q * q), q, q, history=history, seed=seed))
    assert sorted(len(c) for c in circles_of(plan)) == [q] * q
    assert plan.repeat_count == 0
    assert plan.repeats == ()


@pytest.mark.parametrize("seed", range(6))
def test_sixteen_people_in_fours_meet_everyone_else_exactly_once_over_five_rounds(seed: int) -> None:
    plane = affine_plane(4)
    history = met(plane[:3])
    for number in (4, 5):
        plan = form_circles(CircleProblem(peers(16), 4, 4, history=history, seed=seed * 10 + number))
        assert plan.repeat_count == 0, f"round {number} repeats"
        history |= met([circles_of(plan)])
    assert len(history) == 16 * 15 // 2


@pytest.mark.parametrize("seed", range(6))
def test_the_round_without_repeats_also_keeps_people_who_must_be_kept_apart_apart(seed: int) -> None:
    plane = affine_plane(5)
    history = met(plane[:2])
    free = sorted(
        (pair(a, b) for a, b in combinations(range(1, 26), 2) if pair(a, b) not in history), key=sorted
    )
    allowed = met(plane[2:3])  # the plane's third round stays possible: only pairs outside it are forbidden
    forbidden = frozenset(p for i, p in enumerate(free) if p not in allowed and i % 3 == 0)
    plan = form_circles(CircleProblem(peers(25), 5, 5, history=history, forbidden=forbidden, seed=seed))
    assert plan.conflicts == 0
    assert not met([circles_of(plan)]) & forbidden
    assert sorted(len(c) for c in circles_of(plan)) == [5] * 5
    assert plan.repeat_count == 0


def test_the_same_tight_round_and_seed_give_the_same_circles() -> None:
    history = met(affine_plane(5)[:3])
    first = form_circles(CircleProblem(peers(25), 5, 5, history=history, seed=7))
    again = form_circles(CircleProblem(peers(25), 5, 5, history=history, seed=7))
    assert circles_of(first) == circles_of(again)
