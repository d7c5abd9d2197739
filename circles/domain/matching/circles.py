"""Circles: a cohort's active members in groups within its size bounds, as varied as the rules allow."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from circles.domain.matching.costs import diversity_cost
from circles.domain.matching.explain import GroupPlan
from circles.domain.matching.partition import Options, grouped
from circles.domain.matching.people import Pairs, Person

CirclePlan = GroupPlan


@dataclass(frozen=True)
class CircleProblem:
    """Who to group, the size bounds, the pairs to avoid (history) and never to make (forbidden)."""

    people: Sequence[Person]
    min_size: int = 4
    max_size: int = 6
    history: Pairs = field(default_factory=frozenset)
    forbidden: Pairs = field(default_factory=frozenset)
    seed: int = 0
    steps: int | None = None  # local-search budget; None scales it with the cohort


def form_circles(problem: CircleProblem) -> CirclePlan:
    """Split everyone into circles: hard rules always, then no repeats, then diversity and time zones.

    Sizes stay within [min, max]; odd counts fold into neighbouring circles, and only when no split
    of everyone exists is anyone left out, each with the reason. Two people with a declared conflict
    or block never share a circle. Earlier pairs meet again only when no circle without them has
    room, and each such repeat is listed. The same people, pairs and seed always give the same plan.
    """
    options = Options((problem.min_size, problem.max_size), None, problem.steps, problem.seed)
    return grouped(problem, options, cost=diversity_cost, noun="circle")
