"""What a reader can work out of the hidden entries of two suppressed tables printed side by side, when
each entry of the second is never above the same entry of the first (people who answered, of people due).

Each table's rows and columns add up to their totals; together with "answered ≤ due", place by place,
those equations bound every hidden entry. Hiding each table's small entries and complements on its own
is not enough: 137 coaches due and 143 learners answering, shown beside a week's totals, can pin the
three mentors hidden in both. `exposed` finds such entries, so the caller hides them in both tables and
asks again: first by narrowing every hidden entry's range one line at a time until nothing changes (cheap,
and what it finds is sure), then exactly, by linear programs over every line at once (`feasible`): a week
where everyone due answered says so of every role in it, which no single line does.
"""

from __future__ import annotations

from collections.abc import Sequence

from circles.domain.research.feasible import worked_out
from circles.domain.research.suppression import K

Grid = Sequence[Sequence[int]]  # the counts with their margins: each row's total last, the column totals last
Place = tuple[int, int]
_NO_BOUND = float("inf")
_PASSES = 200  # each pass narrows ranges; a table of a cohort's weeks settles in a handful


def exposed(
    upper: Grid, upper_hidden: set[Place], lower: Grid, lower_hidden: set[Place], k: int = K
) -> set[Place]:
    """The places where a hidden entry of either table can be worked out exactly, or known to count some
    but fewer than k people, from what both tables show; and those where either is hidden and the due
    less the answered figure is known to count some but fewer than k people."""
    ranges = [_ranges(upper, upper_hidden), _ranges(lower, lower_hidden)]
    lines = _lines(len(upper), len(upper[0]))
    for _ in range(_PASSES):
        changed = False
        for table in ranges:
            for line in lines:
                changed |= _narrow_line(table, line)
        for place, (low, high) in ranges[1].items():  # answered ≤ due, place by place
            up_low, up_high = ranges[0][place]
            if up_low < low or high > up_high:
                ranges[0][place] = (max(up_low, low), up_high)
                ranges[1][place] = (low, min(high, up_high))
                changed = True
        if not changed:
            break
    narrowed = {
        place
        for table, hidden in zip(ranges, (upper_hidden, lower_hidden), strict=True)
        for place in hidden
        if _revealing(*table[place], k)
    }
    return narrowed | worked_out(upper, upper_hidden, lower, lower_hidden, k)


def _revealing(low: float, high: float, k: int) -> bool:
    return low == high or (low > 0 and high < k)


def _ranges(grid: Grid, hidden: set[Place]) -> dict[Place, tuple[float, float]]:
    """Every entry's range: its value where shown, anything from zero where hidden."""
    return {
        (r, c): (0, _NO_BOUND) if (r, c) in hidden else (value, value)
        for r, line in enumerate(grid)
        for c, value in enumerate(line)
    }


def _lines(height: int, width: int) -> list[list[Place]]:
    """Every row and column as places, its total last."""
    rows = [[(r, c) for c in range(width)] for r in range(height)]
    return rows + [[(r, c) for r in range(height)] for c in range(width)]


def _narrow_line(ranges: dict[Place, tuple[float, float]], line: list[Place]) -> bool:
    """Narrow each entry of one line by the others: the total is the entries' sum."""
    *entries, total = line
    changed = False
    low_sum = sum(ranges[p][0] for p in entries)
    unbounded = sum(ranges[p][1] == _NO_BOUND for p in entries)
    bounded_sum = sum(ranges[p][1] for p in entries if ranges[p][1] != _NO_BOUND)
    high_sum = _NO_BOUND if unbounded else bounded_sum
    t_low, t_high = ranges[total]
    narrowed = (max(t_low, low_sum), min(t_high, high_sum))
    if narrowed != ranges[total]:
        ranges[total], changed = narrowed, True
    t_low, t_high = ranges[total]
    for place in entries:
        low, high = ranges[place]
        others_low = low_sum - low
        # the others' highest sum, without subtracting one unbounded range from another
        others_unbounded = unbounded - (high == _NO_BOUND)
        others_high = _NO_BOUND if others_unbounded else bounded_sum - (0 if high == _NO_BOUND else high)
        narrowed = (max(low, t_low - others_high), min(high, t_high - others_low))
        if narrowed != (low, high):
            ranges[place], changed = narrowed, True
    return changed
