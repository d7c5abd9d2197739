"""Peer pairs: partners who share interests, never again with an earlier partner while avoidable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from circles.domain.matching.costs import fit_cost
from circles.domain.matching.explain import GroupPlan
from circles.domain.matching.partition import Options, grouped
from circles.domain.matching.people import Pairs, Person

PeerPlan = GroupPlan
PAIR, TRIO = 2, 3


@dataclass(frozen=True)
class PeerProblem:
    people: Sequence[Person]
    history: Pairs = field(default_factory=frozenset)
    forbidden: Pairs = field(default_factory=frozenset)
    seed: int = 0
    steps: int | None = None


def pair_peers(problem: PeerProblem) -> PeerPlan:
    """Pairs with the most interests in common; an odd one out makes one pair a trio.

    When the trio would break a declared conflict or block (and no swap avoids it), that person is
    left out with the reason instead. Repeats and conflicts are counted like circles'.
    """
    options = Options((PAIR, TRIO), PAIR, problem.steps, problem.seed)
    return grouped(problem, options, cost=fit_cost, noun="pair")
