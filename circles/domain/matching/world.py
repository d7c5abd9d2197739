"""The state a partition is built in: who is where, what each pairing costs, which pairs are forbidden."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from circles.domain.matching.costs import Costs

NOWHERE = -1


class Left(StrEnum):
    """Why someone ended up in no group."""

    TOO_FEW = "too_few"  # fewer people in all than the smallest group
    NO_SPLIT = "no_split"  # no split of everyone fits the bounds; the fewest possible wait
    CONFLICT = "conflict"  # every group with room holds someone they must not be grouped with


@dataclass
class World:
    """People by index (sorted by key), their groups, and the O(1) checks the search leans on."""

    costs: Costs
    forbidden: Sequence[frozenset[int]]
    history: Sequence[Mapping[int, int]]  # per person, whom they met before and what meeting again costs
    min_size: int
    max_size: int
    groups: list[list[int]] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)  # the size each group was planned at
    where: list[int] = field(default_factory=list)

    def join(self, person: int, members: Sequence[int], skip: int = NOWHERE) -> int:
        """What `person` costs among `members`, leaving out themselves and `skip`."""
        return self.costs.join(person, members, skip)

    def allowed(self, person: int, members: Sequence[int], skip: int = NOWHERE) -> bool:
        """Whether `person` may sit with `members` (but `skip`) without a declared conflict or block."""
        barred = self.forbidden[person]
        return not barred or not any(other in barred and other != skip for other in members)

    def adopt(self, groups: list[list[int]]) -> None:
        """Take these groups as the current state (empty ones dropped) and renumber them."""
        self.groups = [members for members in groups if members]
        self.targets = [len(members) for members in self.groups]
        self.where = [NOWHERE] * len(self.forbidden)
        for group, members in enumerate(self.groups):
            for person in members:
                self.where[person] = group

    def place(self, person: int, group: int) -> None:
        self.groups[group].append(person)
        self.where[person] = group

    def remove(self, person: int) -> None:
        self.groups[self.where[person]].remove(person)
        self.where[person] = NOWHERE

    def swap(self, a: int, b: int) -> None:
        """Exchange the groups of two placed people."""
        ga, gb = self.where[a], self.where[b]
        self.groups[ga][self.groups[ga].index(a)] = b
        self.groups[gb][self.groups[gb].index(b)] = a
        self.where[a], self.where[b] = gb, ga

    def move(self, person: int, group: int) -> None:
        self.remove(person)
        self.place(person, group)

    def repeats_of(self, person: int) -> int:
        """How many earlier partners of `person` share their group now."""
        group = self.where[person]
        if group == NOWHERE or not self.history[person]:
            return 0
        return sum(other in self.history[person] for other in self.groups[group])
