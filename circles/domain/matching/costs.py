"""What putting two people in one group costs: the soft rules as integers, lower is better."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass

from circles.domain.matching.met import weight_of
from circles.domain.matching.people import Pairs, Person

PairCost = Callable[[int, int], int]  # by index into the people, sorted by key
JoinCost = Callable[[int, Sequence[int], int], int]  # one person among members, leaving out one


@dataclass(frozen=True)
class Costs:
    """The cost of a pair, and of one person among a group's members (the hot loop, written out)."""

    pair: PairCost
    join: JoinCost


# A repeat outweighs everything a swap could gain elsewhere (at most 4 × 11 pairs × (30 + MET_MOST)
# points), so the search removes every repeat it can before it weighs when pairs met, diversity or zones.
REPEAT = 100_000
# Beyond REPEAT, a repeat costs what the pair's meetings weigh (met.py), up to this: when repeats cannot be
# avoided, those who met longest ago and least often meet again first.
MET_MOST = 1_000
SAME_DEPARTMENT = 6  # departments first: circles exist to cross silos
SAME_ROLE = 3
SAME_SENIORITY = 3
SHARED_TERM = 2  # peers: each interest two partners share
TZ_EASY_HOURS = 3  # up to 3 hours apart still leaves most of a working day in common
TZ_PER_HALF_HOUR = 1  # beyond that, each further half hour apart counts


def hours_apart(a: float, b: float) -> float:
    """Distance between two UTC offsets around the clock (UTC+13 and UTC-11 are the same time)."""
    gap = abs(a - b) % 24
    return min(gap, 24 - gap)


def time_zone_cost(a: float | None, b: float | None) -> int:
    """Nothing while working days overlap well; unknown zones cost nothing."""
    if a is None or b is None:
        return 0
    half_hours = round(hours_apart(a, b) * 2)
    return max(0, half_hours - 2 * TZ_EASY_HOURS) * TZ_PER_HALF_HOUR


def repeat_cost(weight: int) -> int:
    """What putting a pair together again costs, by what their earlier meetings weigh (0: never met)."""
    return REPEAT + min(weight, MET_MOST) if weight > 0 else 0


def met_neighbours(count: int, keys: Sequence[int], history: Pairs) -> list[dict[int, int]]:
    """Per person (by index), the indexes they met before, each with what meeting again costs."""
    index = {key: i for i, key in enumerate(keys)}
    found: list[dict[int, int]] = [{} for _ in range(count)]
    for couple in history:
        if len(couple) != 2:
            continue
        a, b = couple
        if a in index and b in index:
            found[index[a]][index[b]] = found[index[b]][index[a]] = repeat_cost(weight_of(history, couple))
    return found


def neighbours(count: int, keys: Sequence[int], pairs: Pairs) -> list[frozenset[int]]:
    """Per person (by index), the indexes they share a pair with, for O(1) checks."""
    index = {key: i for i, key in enumerate(keys)}
    found: list[set[int]] = [set() for _ in range(count)]
    for couple in pairs:
        if len(couple) != 2:
            continue
        a, b = couple
        if a in index and b in index:
            found[index[a]].add(index[b])
            found[index[b]].add(index[a])
    return [frozenset(each) for each in found]


def _codes(values: Sequence[str]) -> list[int]:
    """Equal non-empty values share a code; an empty value gets a code of its own, so it matches nobody."""
    seen: dict[Hashable, int] = {}
    codes = []
    for i, value in enumerate(values):
        key: Hashable = value.strip().casefold() or ("unknown", i)
        codes.append(seen.setdefault(key, len(seen)))
    return codes


def _zones(people: Sequence[Person]) -> tuple[list[int], list[list[int]]]:
    """A zone code per person and the cost between codes, computed once per pair of distinct offsets."""
    offsets = sorted({p.utc_offset_hours for p in people if p.utc_offset_hours is not None})
    code = {offset: i for i, offset in enumerate(offsets)}
    unknown = len(offsets)
    table = [[time_zone_cost(a, b) for b in offsets] + [0] for a in offsets]
    table.append([0] * (unknown + 1))
    zones = [unknown if p.utc_offset_hours is None else code[p.utc_offset_hours] for p in people]
    return zones, table


def diversity_cost(people: Sequence[Person], history: Sequence[Mapping[int, int]]) -> Costs:
    """Circles: sameness of department, role and seniority, distant time zones, and repeats cost."""
    department = _codes([p.department for p in people])
    role = _codes([p.role for p in people])
    seniority = _codes([p.seniority for p in people])
    zone, table = _zones(people)

    def cost(i: int, j: int) -> int:
        return (
            (department[i] == department[j]) * SAME_DEPARTMENT
            + (role[i] == role[j]) * SAME_ROLE
            + (seniority[i] == seniority[j]) * SAME_SENIORITY
            + table[zone[i]][zone[j]]
            + history[i].get(j, 0)
        )

    def join(i: int, members: Sequence[int], skip: int) -> int:
        own_department, own_role, own_seniority = department[i], role[i], seniority[i]
        own_zone, earlier, total = table[zone[i]], history[i], 0
        for j in members:
            if j != i and j != skip:
                total += (
                    (department[j] == own_department) * SAME_DEPARTMENT
                    + (role[j] == own_role) * SAME_ROLE
                    + (seniority[j] == own_seniority) * SAME_SENIORITY
                    + own_zone[zone[j]]
                    + earlier.get(j, 0)
                )
        return total

    return Costs(cost, join)


def fit_cost(people: Sequence[Person], history: Sequence[Mapping[int, int]]) -> Costs:
    """Peers: shared interests count in favour; distant time zones and repeats against."""
    words = [p.terms for p in people]
    zone, table = _zones(people)

    def cost(i: int, j: int) -> int:
        return table[zone[i]][zone[j]] + history[i].get(j, 0) - len(words[i] & words[j]) * SHARED_TERM

    def join(i: int, members: Sequence[int], skip: int) -> int:
        return sum(cost(i, j) for j in members if j != i and j != skip)

    return Costs(cost, join)
