"""A first partition: greedy, time zone by time zone, never breaking a conflict or block."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from circles.domain.matching.world import NOWHERE, Left, World

# Groups filled together from neighbouring time zones: enough choice to spread departments, few
# enough that each placement stays cheap.
SEGMENT_GROUPS = 16


def construct(
    world: World, ranked: Sequence[int], waiting: Sequence[int], sizes: Sequence[int], zone: Sequence[float]
) -> dict[int, Left]:
    """Place everyone the plan has room for, in the cheapest open group near their time zone.

    `ranked` is who the sizes were planned for, in seeded order: those beyond the planned places
    are left over when no split of them all fits. `waiting` conflicted in an earlier attempt and
    only take room that is left at the end. Returns who is in no group and why.
    """
    world.where = [NOWHERE] * len(world.forbidden)
    world.groups = [[] for _ in sizes]
    world.targets = list(sizes)
    if not sizes:
        return dict.fromkeys([*ranked, *waiting], Left.TOO_FEW)
    rank = {person: r for r, person in enumerate([*ranked, *waiting])}
    placed = sum(sizes)
    left = dict.fromkeys(ranked[placed:], Left.NO_SPLIT) | dict.fromkeys(waiting, Left.CONFLICT)
    # Sorting by offset keeps each segment's time zones close; the seeded rank mixes equal offsets.
    by_zone = sorted(ranked[:placed], key=lambda i: (zone[i], rank[i]))
    deferred: list[int] = []
    start = 0
    for first in range(0, len(sizes), SEGMENT_GROUPS):
        segment = range(first, min(first + SEGMENT_GROUPS, len(sizes)))
        end = start + sum(sizes[g] for g in segment)
        # The most constrained go first, while they still have a choice of groups.
        crowd = sorted(by_zone[start:end], key=lambda i: (-_constraints(world, i), rank[i]))
        start = end
        for person in crowd:
            group = best_group(world, person, segment, world.targets)
            if group == NOWHERE:
                deferred.append(person)
            else:
                world.place(person, group)
    for person in deferred:
        group = best_group(world, person, range(len(sizes)), world.targets)
        if group != NOWHERE:
            world.place(person, group)
        elif not _eject(world, person):
            left[person] = Left.CONFLICT
    _settle(world, left, rank)
    return left


def best_group(world: World, person: int, groups: Iterable[int], limits: Sequence[int]) -> int:
    """The cheapest allowed group below its limit; among equals the emptiest, then the first."""
    best: tuple[int, int, int] | None = None
    for group in groups:
        members = world.groups[group]
        if len(members) >= limits[group] or not world.allowed(person, members):
            continue
        option = (world.join(person, members), len(members), group)
        if best is None or option < best:
            best = option
    return NOWHERE if best is None else best[2]


def _eject(world: World, person: int) -> bool:
    """Take someone's place whose move to an open group breaks no conflict either."""
    open_groups = [g for g, members in enumerate(world.groups) if len(members) < world.targets[g]]
    best: tuple[int, int, int] | None = None
    for group, members in enumerate(world.groups):
        barred = [other for other in members if other in world.forbidden[person]]
        if len(barred) > 1:
            continue
        for other in barred or members:
            for target in open_groups:
                if target == group or not world.allowed(other, world.groups[target]):
                    continue
                change = (
                    world.join(person, members, skip=other)
                    - world.join(other, members)
                    + world.join(other, world.groups[target])
                )
                if best is None or (change, other, target) < best:
                    best = (change, other, target)
    if best is None:
        return False
    _, other, target = best
    group = world.where[other]
    world.move(other, target)
    world.place(person, group)
    return True


def _settle(world: World, left: dict[int, Left], rank: dict[int, int]) -> None:
    """Bring groups conflicts left short up to the minimum, or dissolve them; then seat whoever fits."""
    ceiling = [world.max_size] * len(world.groups)
    for group, members in enumerate(world.groups):
        while len(members) < world.min_size and _top_up(world, group, left, rank):
            pass
        if len(members) < world.min_size:
            for person in list(members):
                world.remove(person)
                left[person] = Left.CONFLICT
    for person in sorted(left, key=rank.__getitem__):
        if left[person] is Left.TOO_FEW:
            continue
        group = best_group(world, person, (g for g, m in enumerate(world.groups) if m), ceiling)
        if group != NOWHERE:
            world.place(person, group)
            del left[person]
    world.adopt(world.groups)


def _top_up(world: World, group: int, left: dict[int, Left], rank: dict[int, int]) -> bool:
    """Add one person to a short group: someone waiting, else someone a group above the minimum can spare."""
    members = world.groups[group]
    waiting = [p for p in sorted(left, key=rank.__getitem__) if world.allowed(p, members)]
    if waiting:
        person = min(waiting, key=lambda p: world.join(p, members))
        world.place(person, group)
        del left[person]
        return True
    spare = [
        p
        for g, others in enumerate(world.groups)
        if g != group and len(others) > world.min_size
        for p in others
        if world.allowed(p, members)
    ]
    if not spare:
        return False
    person = min(spare, key=lambda p: (world.join(p, members) - _own_cost(world, p), p))
    world.move(person, group)
    return True


def _constraints(world: World, person: int) -> int:
    return len(world.forbidden[person]) + len(world.history[person])


def _own_cost(world: World, person: int) -> int:
    return world.join(person, world.groups[world.where[person]])
