"""Local search: swap or move people between groups while that lowers the cost, within every rule.

The budget is counted in steps, never in seconds, so a seed always gives the same plan.
"""

from __future__ import annotations

import random

from circles.domain.matching.repair import repair
from circles.domain.matching.world import NOWHERE, World

WINDOW = 8  # groups either side to try in the polish: neighbours in time zone
WIDE = 48  # random groups a repeat may also be sent to, besides its neighbours
REPEAT_ROUNDS = 12


def improve(world: World, rng: random.Random, steps: int) -> None:
    """Remove repeats first (they cost the most), then polish diversity and time zones.

    Single moves clear most repeats; those left are repaired by exchanges among two or three groups.
    """
    if len(world.groups) < 2:
        return
    current = [world.join(p, world.groups[g]) if g != NOWHERE else 0 for p, g in enumerate(world.where)]
    _clear_repeats(world, current, rng)
    if repair(world, rng):
        current = [world.join(p, world.groups[g]) if g != NOWHERE else 0 for p, g in enumerate(world.where)]
    for _ in range(steps):
        person = rng.randrange(len(world.where))
        group = world.where[person]
        if group == NOWHERE:
            continue
        other = min(max(group + rng.randint(-WINDOW, WINDOW), 0), len(world.groups) - 1)
        if other != group:
            _apply_if_better(world, current, person, [other])


def _clear_repeats(world: World, current: list[int], rng: random.Random) -> None:
    """Send each person who meets an earlier partner again to the best group that avoids it."""
    count = len(world.groups)
    for _ in range(REPEAT_ROUNDS):
        stuck = [p for p in range(len(world.where)) if world.repeats_of(p)]
        if not stuck:
            return
        rng.shuffle(stuck)
        changed = False
        for person in stuck:
            if not world.repeats_of(person):
                continue
            group = world.where[person]
            if count <= 2 * WIDE:
                candidates = [g for g in range(count) if g != group]
            else:
                near = range(max(group - 2 * WINDOW, 0), min(group + 2 * WINDOW + 1, count))
                far = rng.sample(range(count), WIDE)
                candidates = sorted({*near, *far} - {group})
            changed |= _apply_if_better(world, current, person, candidates)
        if not changed:
            return


def _apply_if_better(world: World, current: list[int], person: int, candidates: list[int]) -> bool:
    """Make the best allowed swap or move of `person` into one of `candidates` if it lowers the cost."""
    best: tuple[int, int, int] | None = None
    for group in candidates:
        delta, other = _best_exchange(world, current, person, group)
        if delta < 0 and (best is None or (delta, group, other) < best):
            best = (delta, group, other)
    if best is None:
        return False
    _, group, other = best
    before = world.where[person]
    if other == NOWHERE:
        world.move(person, group)
    else:
        world.swap(person, other)
    for changed in (before, group):
        for member in world.groups[changed]:
            current[member] = world.join(member, world.groups[changed])
    return True


def _best_exchange(world: World, current: list[int], person: int, group: int) -> tuple[int, int]:
    """The cheapest change of `person` into `group`: a swap with a member, or a move when sizes allow."""
    cost = world.costs.pair
    home = world.groups[world.where[person]]
    there = world.groups[group]
    joined = world.join(person, there)
    best = (0, NOWHERE)
    if len(home) > world.min_size and len(there) < world.max_size and world.allowed(person, there):
        best = min(best, (joined - current[person], NOWHERE))
    for other in there:
        if not world.allowed(person, there, skip=other) or not world.allowed(other, home, skip=person):
            continue
        delta = (
            joined
            - cost(person, other)
            - current[person]
            + world.join(other, home)
            - cost(other, person)
            - current[other]
        )
        if delta < best[0]:
            best = (delta, other)
    return best
