"""When repeats cannot be avoided, those who met longest ago and least often meet again first.

The earlier rounds come from the affine plane of 9 people in threes: four rounds in which every two
people meet exactly once, so that from the fifth round on every plan repeats someone.
"""

from __future__ import annotations

import pytest

from circles.domain.matching import (
    CircleProblem,
    PeerChoice,
    PeerProblem,
    Person,
    Placement,
    form_circles,
    pair,
    pair_peers,
    rematch_into_circle,
    rematch_peer,
)
from circles.domain.matching.costs import MET_MOST, REPEAT, repeat_cost
from circles.domain.matching.met import RECENT, Met, meeting_weight, weigh_meetings, weight_of
from tests.unit.test_matching_repeat_repair import affine_plane, peers

SEEDS = range(1, 9)


def as_sets(circles: list[list[int]]) -> set[frozenset[int]]:
    return {frozenset(c) for c in circles}


def test_a_meeting_in_the_round_just_before_weighs_most_and_older_ones_less_but_never_nothing() -> None:
    weights = [meeting_weight(r, 11) for r in range(10, 0, -1)]
    assert weights[0] == RECENT
    assert weights == sorted(weights, reverse=True)
    assert weights[1] < weights[0]
    assert weights[-1] >= 1
    assert meeting_weight(1, 1_000) == 1


def test_every_meeting_of_a_pair_adds_to_what_it_weighs() -> None:
    met = weigh_meetings([(1, [1, 2, 3]), (2, [1, 2]), (2, [3, 4])], 3)
    assert met[pair(1, 2)] == meeting_weight(1, 3) + meeting_weight(2, 3)
    assert met[pair(1, 3)] == meeting_weight(1, 3)
    assert met[pair(3, 4)] == RECENT
    assert pair(1, 4) not in met


def test_weighed_pairs_are_a_set_of_pairs_like_any_other_and_a_plain_set_weighs_each_pair_one() -> None:
    met = Met({pair(1, 2): 150, pair(2, 3): 33})
    assert met == frozenset({pair(1, 2), pair(2, 3)})
    assert weight_of(met, pair(1, 2)) == 150
    assert weight_of(met, pair(1, 3)) == 0
    assert weight_of(frozenset({pair(1, 2)}), pair(1, 2)) == 1


def test_a_repeat_costs_more_the_more_its_pair_met_yet_never_less_than_a_repeat() -> None:
    assert repeat_cost(0) == 0
    assert REPEAT < repeat_cost(1) < repeat_cost(RECENT // 2) < repeat_cost(RECENT) < repeat_cost(2 * RECENT)
    assert repeat_cost(10**9) == REPEAT + MET_MOST
    # A swap touches at most 4 × 11 pairs, each worth at most 30 points of diversity and time zones:
    # what it could gain from weights and diversity together stays below one repeat.
    assert 4 * 11 * (30 + MET_MOST) < REPEAT


@pytest.mark.parametrize("seed", SEEDS)
def test_once_every_pair_has_met_a_round_forms_the_circles_met_longest_ago_not_those_just_formed(
    seed: int,
) -> None:
    first_four = affine_plane(3)[:4]
    rounds = [*first_four, first_four[0]]  # round 5 had to repeat: it re-formed round 1's circles
    met = Met(weigh_meetings(((r, c) for r, circles in enumerate(rounds, 1) for c in circles), 6))
    plan = form_circles(CircleProblem(peers(9), 3, 3, history=met, seed=seed))
    formed = as_sets([list(g.members) for g in plan.groups])
    assert not formed & as_sets(rounds[-1])
    # Rounds 2 and 3 met once, four and three rounds back: the least weight (the search, local, may stop at
    # either); never round 4's circles, met the round before round 5.
    assert formed in (as_sets(rounds[1]), as_sets(rounds[2]))
    assert plan.repeat_count == 9


@pytest.mark.parametrize("seed", SEEDS)
def test_a_round_that_can_avoid_every_repeat_still_does_whatever_the_pairs_weigh(seed: int) -> None:
    rounds = affine_plane(4)[:3]  # two classes of circles left unused: a plan without repeats exists
    met = Met(weigh_meetings(((r, c) for r, circles in enumerate(rounds, 1) for c in circles), 4))
    plan = form_circles(CircleProblem(peers(16), 4, 4, history=met, seed=seed))
    assert plan.repeat_count == 0


@pytest.mark.parametrize("seed", SEEDS)
def test_peer_pairs_that_must_repeat_pair_those_who_were_partners_longest_ago(seed: int) -> None:
    rounds = [[[1, 2], [3, 4]], [[1, 3], [2, 4]], [[1, 4], [2, 3]]]
    met = Met(weigh_meetings(((r, c) for r, pairs in enumerate(rounds, 1) for c in pairs), 4))
    plan = pair_peers(PeerProblem(peers(4), history=met, seed=seed))
    assert as_sets([list(g.members) for g in plan.groups]) == as_sets(rounds[0])


def test_a_re_matched_peer_whom_every_free_peer_met_gets_the_one_met_longest_ago() -> None:
    met = Met(weigh_meetings([(1, [1, 2]), (2, [1, 3]), (3, [1, 4])], 4))
    person = Person(key=1, role="peer", terms=frozenset({"research"}))
    free = [Person(key=2), Person(key=3, terms=frozenset({"research"})), Person(key=4)]
    choice = rematch_peer(person, free, history=met)
    assert isinstance(choice, PeerChoice)
    assert choice.partner == 2
    assert choice.repeat


def test_a_re_match_into_circles_that_all_hold_someone_met_before_joins_the_one_met_longest_ago() -> None:
    met = Met(weigh_meetings([(1, [1, 2]), (3, [1, 4])], 4))
    circles = {10: [Person(key=4), Person(key=5)], 20: [Person(key=2), Person(key=3)]}
    placed = rematch_into_circle(Person(key=1), circles, max_size=4, history=met)
    assert isinstance(placed, Placement)
    assert placed.circle == 20
    assert placed.repeats == ((1, 2),)
