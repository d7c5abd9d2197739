"""How many groups of which sizes: everyone in a group within [min, max], nobody alone."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class SizePlan:
    """Group sizes, largest first; their sum is how many people can be placed at all."""

    sizes: tuple[int, ...]
    min_size: int
    max_size: int

    @property
    def placed(self) -> int:
        return sum(self.sizes)


def check_bounds(min_size: int, max_size: int) -> None:
    """Refuse bounds that would leave someone alone or make no sense."""
    if min_size < 2:
        raise ValueError("a group needs at least two people, so nobody is ever alone")
    if max_size < min_size:
        raise ValueError("the largest group cannot be smaller than the smallest")


def group_counts(people: int, min_size: int, max_size: int) -> range:
    """Every number of groups that splits exactly `people` within the bounds (empty when none does)."""
    fewest = -(-people // max_size)
    most = people // min_size
    return range(max(fewest, 1), most + 1)


def plan_sizes(
    people: int, min_size: int, max_size: int, preferred: float | None = None, *, most_groups: bool = False
) -> SizePlan:
    """Place as many people as any split allows, in groups as near the preferred size as possible.

    Odd counts fold into neighbouring groups (11 into 4–6 gives 6 and 5, not 5, 5 and 1). Only
    when no split of everyone exists (7 into 4–6, or fewer people than the minimum) are the fewest
    possible people left over. Among group counts that fit, the one whose even split is nearest
    the preferred size wins (by default the middle of the bounds); ties go to fewer, larger groups,
    which survive someone leaving better. `most_groups` asks for as many groups as fit instead:
    small groups are the easiest to keep free of earlier partners.
    """
    check_bounds(min_size, max_size)
    target = Fraction(preferred) if preferred is not None else Fraction(min_size + max_size, 2)
    for placed in range(people, 0, -1):
        counts = group_counts(placed, min_size, max_size)
        if not counts:
            continue
        groups = (
            counts[-1] if most_groups else min(counts, key=lambda g: (abs(Fraction(placed, g) - target), g))
        )
        base, extra = divmod(placed, groups)
        return SizePlan(tuple(base + 1 if i < extra else base for i in range(groups)), min_size, max_size)
    return SizePlan((), min_size, max_size)
