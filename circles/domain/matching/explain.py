"""Why each group was formed, why anyone was left out, and the counts a facilitator checks."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from circles.domain.matching.people import Pairs, Person, Unplaced, pair
from circles.domain.matching.world import Left

SHOWN_TERMS = 5


@dataclass(frozen=True)
class Group:
    """One circle or peer pair, with what it brings together."""

    members: tuple[int, ...]  # keys, ascending
    departments: int  # distinct known departments
    roles: int
    seniority_levels: int
    shared_terms: tuple[str, ...]  # words at least two members share, most shared first (up to 5)
    fit: int  # how many words at least two members share
    time_zone_spread_hours: float | None  # around the clock; None when no member's zone is known
    repeats: tuple[tuple[int, int], ...]  # earlier pairs meeting again (only when unavoidable)
    why: str


@dataclass(frozen=True)
class GroupPlan:
    """A round of circles or peer pairs: the groups, who is left out and why, and the rule counts."""

    groups: tuple[Group, ...]
    unplaced: tuple[Unplaced, ...]
    repeats: tuple[tuple[int, int], ...]  # every earlier pair grouped again, (smaller key, larger key)
    conflicts: int  # declared conflicts or blocks inside a group: always 0, counted, not assumed

    @property
    def repeat_count(self) -> int:
        return len(self.repeats)


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else words or word + 's'}"


def spread(offsets: Sequence[float]) -> float | None:
    """The shortest stretch of the clock that holds every offset (the largest gap is the way round)."""
    if not offsets:
        return None
    points = sorted(offset % 24 for offset in offsets)
    gaps = [b - a for a, b in itertools.pairwise(points)] + [points[0] + 24 - points[-1]]
    return round(24 - max(gaps), 2) if len(points) > 1 else 0.0


def describe(members: Sequence[Person], history: Pairs, forbidden: Pairs, noun: str) -> tuple[Group, int]:
    """The group's explanation, and how many forbidden pairs it holds (for the plan's count)."""
    keys = tuple(sorted(p.key for p in members))
    couples = list(itertools.combinations(keys, 2))
    repeats = tuple(c for c in couples if pair(*c) in history)
    conflicts = sum(pair(*c) in forbidden for c in couples)
    count = Counter(word for person in members for word in person.terms)
    shared = sorted((word for word, n in count.items() if n > 1), key=lambda w: (-count[w], w))
    departments, roles, levels = (
        len({value.strip().casefold() for value in values} - {""})
        for values in zip(*((p.department, p.role, p.seniority) for p in members), strict=True)
    )
    zones = spread([p.utc_offset_hours for p in members if p.utc_offset_hours is not None])
    reasons = []
    variety = [
        plural(n, word)
        for n, word in ((departments, "department"), (roles, "role"), (levels, "seniority level"))
        if n
    ]
    if variety:
        reasons.append(", ".join(variety))
    if shared:
        reasons.append("in common: " + ", ".join(shared[:SHOWN_TERMS]))
    if noun == "pair":  # partners are matched on what they share: say that first
        reasons.insert(0, f"fit {len(shared)}")
    if zones is not None:
        reasons.append(f"time zones within {zones:g} h")
    if repeats:
        reasons.append(f"{plural(len(repeats), 'earlier pairing')} again: no {noun} without one had room")
    why = "; ".join(reasons) or f"the {noun} the round had room for"
    shown = tuple(shared[:SHOWN_TERMS])
    return Group(keys, departments, roles, levels, shown, len(shared), zones, repeats, why), conflicts


def reason(left: Left, total: int, min_size: int, max_size: int, noun: str) -> str:
    """Why someone is in no group, in words a facilitator can act on."""
    if left is Left.TOO_FEW:
        return f"Only {plural(total, 'person', 'people')} to group; a {noun} needs at least {min_size}."
    if left is Left.NO_SPLIT:
        return (
            f"{plural(total, 'person', 'people')} cannot all fit {noun}s of {min_size}–{max_size}; "
            "waits for the next round or a re-match."
        )
    return (
        f"Every {noun} with room has someone they must not be grouped with "
        "(a declared conflict, a block or an ended partnership)."
    )


def plan(
    groups: Sequence[Sequence[Person]],
    left: dict[int, Left],
    *,
    total: int,
    bounds: tuple[int, int],
    history: Pairs,
    forbidden: Pairs,
    noun: str,
) -> GroupPlan:
    """Assemble the plan, groups ordered by their smallest key, the unplaced by key."""
    described = [describe(members, history, forbidden, noun) for members in groups]
    formed = tuple(sorted((group for group, _ in described), key=lambda g: g.members))
    unplaced = tuple(Unplaced(key, reason(why, total, *bounds, noun)) for key, why in sorted(left.items()))
    repeats = tuple(sorted(r for group in formed for r in group.repeats))
    return GroupPlan(formed, unplaced, repeats, sum(n for _, n in described))
