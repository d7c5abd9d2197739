"""Repair: when moving one person at a time leaves repeats, trade places until none is left.

A short tabu search over swaps of two people between groups, as used for the social golfer problem: each
step makes the swap that leaves the fewest repeated pairs, even one that only keeps their number, but
does not send anyone straight back to a group they just left; the best state seen is kept. So sizes
never change, and no swap ever seats anyone beside someone they must be kept apart from. The plan changes
only when the repair ends with strictly fewer repeats. The budget is counted in swaps weighed, never in
seconds, and ties are broken by the seeded generator: a seed always gives the same plan.
"""

from __future__ import annotations

import random
from collections import Counter

from circles.domain.matching.world import NOWHERE, World

BUDGET = 300_000  # swaps weighed in all: about half a second at most, however large the cohort
PATIENCE = (
    100_000  # swaps weighed since the last new best before giving up: what is left is likely unavoidable
)
WIDTH = 64  # groups a repeat may trade with in a large world: neighbours in time zone and a seeded few
TENURE = (3, 10)  # steps for which someone may not go back to the group they left


def repair(world: World, rng: random.Random) -> bool:
    """Swap people until no repeat is left or the budget runs out; whether the plan changed."""
    repeats = start = _repeated_pairs(world)
    if not repeats:
        return False
    walk = _Walk(world, rng)
    best, best_groups, best_budget = repeats, [list(g) for g in world.groups], BUDGET
    while repeats and walk.budget > 0 and best_budget - walk.budget < PATIENCE:
        walk.step += 1
        chosen = walk.choose(repeats, best)
        if chosen is None:
            break
        walk.swap(*chosen[1:])
        repeats += chosen[0]
        if repeats < best:
            best, best_groups, best_budget = repeats, [list(g) for g in world.groups], walk.budget
    if repeats != best or best == start:
        # Nothing gained: the walk's state goes back to where it began, which the moves before it chose by
        # the whole cost (how long ago pairs met among it), and which the caller's costs still describe.
        world.adopt(best_groups)
    return best < start


class _Walk:
    """The search's state: each person's earlier partners per group, who repeats, who may not go back."""

    def __init__(self, world: World, rng: random.Random) -> None:
        self.world, self.rng = world, rng
        self.hits = [
            Counter(world.where[other] for other in world.history[p]) for p in range(len(world.where))
        ]
        self.stuck = {p for p, group in enumerate(world.where) if group != NOWHERE and self.hits[p][group]}
        self.tabu: dict[tuple[int, int], int] = {}  # (person, group): the step they may go back from
        self.budget, self.step = BUDGET, 0

    def choose(self, repeats: int, best: int) -> tuple[int, int, int] | None:
        """The allowed swap leaving the fewest repeats (its change, the two people), ties drawn by seed."""
        world, hits = self.world, self.hits
        chosen: tuple[int, int, int] | None = None
        ties = 0
        for a in sorted(self.stuck):
            home = world.where[a]
            for group in _around(world, home, self.rng):
                for b in world.groups[group]:
                    self.budget -= 1
                    change = hits[a][group] + hits[b][home] - hits[a][home] - hits[b][group]
                    change -= 2 * (b in world.history[a])
                    if chosen is not None and change > chosen[0]:
                        continue
                    if self._barred(a, group, b, home) and repeats + change >= best:
                        continue  # a move just undone is made again only for a new best
                    if not (
                        world.allowed(a, world.groups[group], b) and world.allowed(b, world.groups[home], a)
                    ):
                        continue
                    ties = 1 if chosen is None or change < chosen[0] else ties + 1
                    if ties == 1 or self.rng.randrange(ties) == 0:  # each of equal swaps as likely
                        chosen = (change, a, b)
        return chosen

    def _barred(self, a: int, a_to: int, b: int, b_to: int) -> bool:
        return self.tabu.get((a, a_to), 0) > self.step or self.tabu.get((b, b_to), 0) > self.step

    def swap(self, a: int, b: int) -> None:
        """Swap two people, keeping the counts per group and who repeats up to date."""
        world, hits = self.world, self.hits
        self.tabu[(a, world.where[a])] = self.tabu[(b, world.where[b])] = self.step + self.rng.randint(
            *TENURE
        )
        for person, old, new in ((a, world.where[a], world.where[b]), (b, world.where[b], world.where[a])):
            for other in world.history[person]:
                hits[other][old] -= 1
                hits[other][new] += 1
        world.swap(a, b)
        for person in {a, b, *world.history[a], *world.history[b]}:
            if world.where[person] != NOWHERE and hits[person][world.where[person]]:
                self.stuck.add(person)
            else:
                self.stuck.discard(person)


def _around(world: World, home: int, rng: random.Random) -> list[int]:
    """Groups to trade with: all others in a small world, else neighbours in time zone and a seeded few."""
    count = len(world.groups)
    if count <= WIDTH:
        return [g for g in range(count) if g != home]
    near = range(max(home - WIDTH // 4, 0), min(home + WIDTH // 4 + 1, count))
    far = rng.sample(range(count), WIDTH // 2)
    return sorted({*near, *far} - {home})


def _repeated_pairs(world: World) -> int:
    return sum(world.repeats_of(p) for p in range(len(world.where))) // 2
