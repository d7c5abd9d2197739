"""Split people into groups within size bounds: construct, then search; shared by circles and peer pairs."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from circles.domain.matching.construct import construct
from circles.domain.matching.costs import Costs, met_neighbours, neighbours
from circles.domain.matching.explain import GroupPlan, plan
from circles.domain.matching.people import Pairs, Person
from circles.domain.matching.search import improve
from circles.domain.matching.sizes import plan_sizes
from circles.domain.matching.world import NOWHERE, Left, World

STEPS_PER_PERSON = 2  # polish budget: keeps 10,000 people well inside the 2-second target
ATTEMPTS = 6  # constructions, each setting aside the most conflicted of those it could not place

CostMaker = Callable[[Sequence[Person], Sequence[Mapping[int, int]]], Costs]


@dataclass(frozen=True)
class Options:
    """How to split: size bounds, the preferred size, the search budget and the seed."""

    bounds: tuple[int, int]
    preferred: float | None
    steps: int | None
    seed: int


class Grouping(Protocol):
    """Who to group, the pairs to avoid (history) and the pairs never to make (forbidden)."""

    @property
    def people(self) -> Sequence[Person]: ...
    @property
    def history(self) -> Pairs: ...
    @property
    def forbidden(self) -> Pairs: ...


@dataclass(frozen=True)
class Outcome:
    placed: int
    repeats: int
    groups: list[list[int]]
    left: dict[int, Left]


def by_key(people: Sequence[Person]) -> list[Person]:
    """People sorted by key, so the plan never depends on the order they were given in."""
    ordered = sorted(people, key=lambda p: p.key)
    if any(a.key == b.key for a, b in itertools.pairwise(ordered)):
        raise ValueError("each person may appear only once")
    return ordered


def partition(
    people: Sequence[Person], options: Options, *, history: Pairs, forbidden: Pairs, cost: CostMaker
) -> tuple[list[list[Person]], dict[int, Left]]:
    """Groups of people, and who is left out (by key) with why; conflicts never share a group.

    When the preferred sizes leave repeats, the split into as many groups as fit is tried too,
    and the better plan kept: more people placed, then fewer repeats, then the preferred sizes.
    """
    ordered = by_key(people)
    keys = [p.key for p in ordered]
    count = len(ordered)
    plan_sizes(count, *options.bounds)  # refuses nonsense bounds before any work
    earlier = met_neighbours(count, keys, history)
    world = World(cost(ordered, earlier), neighbours(count, keys, forbidden), earlier, *options.bounds)
    zone = [math.inf if p.utc_offset_hours is None else p.utc_offset_hours for p in ordered]
    best = _attempt(world, zone, options, most_groups=False)
    if best.repeats and len(plan_sizes(count, *options.bounds, most_groups=True).sizes) != len(best.groups):
        other = _attempt(world, zone, options, most_groups=True)
        if (other.placed, -other.repeats) > (best.placed, -best.repeats):
            best = other
    formed = [[ordered[i] for i in sorted(members)] for members in best.groups]
    return formed, {keys[i]: why for i, why in best.left.items()}


def grouped(problem: Grouping, options: Options, *, cost: CostMaker, noun: str) -> GroupPlan:
    """Partition the people and explain the plan: its groups, its repeats, who is left out and why."""
    people, history, forbidden = problem.people, problem.history, problem.forbidden
    groups, left = partition(people, options, history=history, forbidden=forbidden, cost=cost)
    return plan(
        groups,
        left,
        total=len(people),
        bounds=options.bounds,
        history=history,
        forbidden=forbidden,
        noun=noun,
    )


def _attempt(world: World, zone: Sequence[float], options: Options, *, most_groups: bool) -> Outcome:
    """Construct (setting aside people whose conflicts block a whole group), then search."""
    rng = random.Random(options.seed)  # noqa: S311 - a seed for reproducible plans, not for secrets
    count = len(zone)
    ranked = list(range(count))
    rng.shuffle(ranked)
    best: Outcome | None = None
    waiting: list[int] = []
    for _ in range(ATTEMPTS):
        # Someone who conflicts with many people can block a whole group; planning the sizes
        # without them, and seating them only where room is left, places everyone else.
        aside = set(waiting)
        pool = [i for i in ranked if i not in aside]
        sizes = plan_sizes(len(pool), *options.bounds, options.preferred, most_groups=most_groups).sizes
        left = construct(world, pool, waiting, sizes, zone)
        if best is None or count - len(left) > best.placed:
            best = Outcome(count - len(left), 0, [list(g) for g in world.groups], dict(left))
        stuck = [i for i in pool if left.get(i) is Left.CONFLICT]
        if not stuck:
            break
        most = max(len(world.forbidden[i]) for i in stuck)
        waiting += [i for i in stuck if len(world.forbidden[i]) == most]
    assert best is not None
    world.adopt(best.groups)
    improve(world, rng, STEPS_PER_PERSON * count if options.steps is None else options.steps)
    left = _trade_places(world, dict(best.left))
    repeats = sum(world.repeats_of(person) for person in range(count)) // 2
    return Outcome(count - len(left), repeats, [list(g) for g in world.groups], left)


def _trade_places(world: World, left: dict[int, Left]) -> dict[int, Left]:
    """Seat someone left out for a conflict in the place of someone who repeats an earlier pairing, where
    the newcomer may sit and repeats nothing; the one who gave up the seat takes another with room, or is
    left out for a conflict in turn. The search only moves people already placed: this is how the one
    left out can be the one whose absence costs no repeat."""
    repeating = [person for person in range(len(world.where)) if world.repeats_of(person)]
    for out in [person for person, why in left.items() if why is Left.CONFLICT]:
        for person in repeating:
            group = world.where[person]
            if group == NOWHERE or not world.repeats_of(person):
                continue
            members = world.groups[group]
            fresh = not any(other in world.history[out] for other in members if other != person)
            if not (fresh and world.allowed(out, members, skip=person)):
                continue
            world.remove(person)
            world.place(out, group)
            del left[out]
            seats = [g for g, others in enumerate(world.groups) if len(others) < world.max_size]
            room = [g for g in seats if world.allowed(person, world.groups[g])]
            if room:
                world.place(person, min(room, key=lambda g: world.join(person, world.groups[g])))
            else:
                left[person] = Left.CONFLICT
            break
    return left
