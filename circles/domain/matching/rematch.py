"""Re-match one member between rounds, by the rules of a whole round."""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from circles.domain.matching.assignment import Pairing, pairing
from circles.domain.matching.costs import SHARED_TERM, diversity_cost, met_neighbours, repeat_cost
from circles.domain.matching.explain import describe
from circles.domain.matching.met import Met, weight_of
from circles.domain.matching.people import Guide, Learner, Pairs, Person, Unplaced, pair
from circles.domain.matching.world import NOWHERE
from circles.domain.requests import remaining_capacity


@dataclass(frozen=True)
class Placement:
    """The existing circle someone joins, and what the circle then brings together."""

    key: int
    circle: int  # the id the caller gave the circle
    repeats: tuple[tuple[int, int], ...]  # earlier pairs met again: only when every circle with room has one
    why: str
    passed_over: tuple[int, ...] = ()  # circles with room holding someone they must not be grouped with


def _seeded(ids: Sequence[int], seed: int) -> dict[int, int]:
    """A tie-break rank per id that depends on the seed and the ids only, not on their order."""
    shuffled = sorted(ids)
    random.Random(seed).shuffle(shuffled)  # noqa: S311 - reproducible tie-breaks, not secrets
    return {value: rank for rank, value in enumerate(shuffled)}


def _nobody_free(key: int, nobody: str, each: str) -> Unplaced:
    """Left unplaced: nobody is free, or each free one has a conflict or an ended partnership with them."""
    return Unplaced(
        key,
        f"No {nobody} is free, or each free {each} has a declared conflict or an ended partnership "
        "with them.",
    )


def rematch_into_circle(
    person: Person,
    circles: Mapping[int, Sequence[Person]],
    *,
    max_size: int,
    history: Pairs = frozenset(),
    forbidden: Pairs = frozenset(),
    seed: int = 0,
    away: Mapping[int, Collection[int]] | None = None,
) -> Placement | Unplaced:
    """Put one person into the best circle with room: never with a conflict, repeats last (those met longest
    ago and least often first), then variety; never into a circle everyone left, where nobody would be there
    to meet.

    `away` holds, per circle, the keys of members on a break who still sit in it: their seat is taken (they
    come back to it, and a group DM holds only so many), and nobody they must not be grouped with joins
    them there; a circle where only they are left has nobody to meet."""
    rank = _seeded(list(circles), seed)
    mine = Met({couple: weight_of(history, couple) for couple in history if person.key in couple})
    best: tuple[int, int, int] | None = None
    passed: list[int] = []
    for circle, members in circles.items():
        others = [m for m in members if m.key != person.key]
        there = [*(m.key for m in others), *(away or {}).get(circle, ())]
        if not others or len(there) >= max_size:
            continue
        if any(pair(person.key, key) in forbidden for key in there):
            passed.append(circle)
            continue
        keys = [person.key, *(m.key for m in others)]
        costs = diversity_cost([person, *others], met_neighbours(len(keys), keys, mine))
        cost = costs.join(0, range(1, len(keys)), NOWHERE)
        if best is None or (cost, rank[circle], circle) < best:
            best = (cost, rank[circle], circle)
    if best is None and not any(m.key != person.key for members in circles.values() for m in members):
        return Unplaced(person.key, "Nobody is left in this round's circles: the next round places them.")
    if best is None:
        return Unplaced(
            person.key,
            "Every circle is full or holds someone they must not be grouped with (a declared conflict, a "
            "block or an ended partnership).",
        )
    circle = best[2]
    members = [person, *(m for m in circles[circle] if m.key != person.key)]
    # Only the pairs they belong to: the circle's own earlier pairings are not theirs to meet again.
    group, _ = describe(members, mine, forbidden, "circle")
    return Placement(person.key, circle, group.repeats, group.why, tuple(sorted(passed)))


def rematch_learner(
    learner: Learner,
    guides: Sequence[Guide],
    *,
    taken: Mapping[int, int],
    forbidden: Pairs = frozenset(),
    seed: int = 0,
) -> Pairing | Unplaced:
    """Pair one learner with the best-fitting coach or mentor who still has room; the seed breaks ties."""
    rank = _seeded([g.key for g in guides], seed)
    open_guides = [
        g
        for g in guides
        if remaining_capacity(g.capacity, taken.get(g.key, 0)) and pair(learner.key, g.key) not in forbidden
    ]
    if not open_guides:
        return Unplaced(
            learner.key,
            "Every coach or mentor is full, or has a declared conflict or an ended partnership with them; "
            "one who has not said how many partners they take (`/circles profile`) has no place yet.",
        )
    best = min(open_guides, key=lambda g: (-pairing(learner, g, fixed=False).fit, rank[g.key], g.key))
    return pairing(learner, best, fixed=False)


@dataclass(frozen=True)
class PeerChoice:
    """The partner found for one peer, and why."""

    key: int
    partner: int
    repeat: bool  # they were partners or circle-mates before: only when nobody new is free
    why: str


def rematch_peer(
    person: Person,
    candidates: Sequence[Person],
    *,
    history: Pairs = frozenset(),
    forbidden: Pairs = frozenset(),
    seed: int = 0,
) -> PeerChoice | Unplaced:
    """Pair one peer with a free peer: never a conflict, someone new while anyone new is free, then fit; when
    every free peer met them before, the one they met longest ago and least often (weighed as pairs are)."""
    others = [c for c in candidates if c.key != person.key and pair(person.key, c.key) not in forbidden]
    if not others:
        return _nobody_free(person.key, "other peer", "peer")
    rank = _seeded([c.key for c in others], seed)

    def order(c: Person) -> tuple[int, int, int]:
        met = repeat_cost(weight_of(history, pair(person.key, c.key)))
        return (met - len(person.terms & c.terms) * SHARED_TERM, rank[c.key], c.key)

    best = min(others, key=order)
    shared = sorted(person.terms & best.terms)
    why = "shares: " + ", ".join(shared[:5]) if shared else "no interests in common, but a partner beats none"
    repeat = pair(person.key, best.key) in history
    if repeat:
        why += "; they met before — every free peer has"
    return PeerChoice(person.key, best.key, repeat, why)


def rematch_guide(
    guide: Guide, learners: Sequence[Learner], *, forbidden: Pairs = frozenset(), seed: int = 0
) -> Pairing | Unplaced:
    """Give a coach or mentor with room the free learner who fits them best; the seed breaks ties."""
    open_learners = [x for x in learners if pair(x.key, guide.key) not in forbidden]
    if not open_learners:
        return _nobody_free(guide.key, "learner", "learner")
    rank = _seeded([x.key for x in open_learners], seed)
    best = min(open_learners, key=lambda x: (-pairing(x, guide, fixed=False).fit, rank[x.key], x.key))
    return pairing(best, guide, fixed=False)
