"""k-anonymity of combinations: the quasi-identifying values a row shows, together, describe k+ units.

Values common one by one can be rare together: five mentors and five who joined in week 3 can hold one
mentor who joined in week 3, and whoever runs the cohort knows who that is. So a row's combination (its
quasi-identifying values, "suppressed" included, with what the other tables show of its unit: a person's
role and weeks from people.csv, a pair's kind and weeks from partnerships.csv) must be shared by at least
K units of the table, or more of the row's values are suppressed until it is.

Greedy and set-based: every rare combination loses one value per pass, the one whose suppression joins a
combination common enough already, else its rarest. A combination with nothing left to suppress takes in
the smallest other one of the same unit's context. When a unit's context alone is rare in a table (three
of the five mentors answered a survey), that stays: the context itself is k-anonymous where it is shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from circles.domain.research.columns import SUPPRESSED, Value

Cells = set[tuple[int, int]]  # (row, quasi column) of each suppressed value
Key = tuple[tuple[Value, ...], tuple[Value, ...]]  # (the unit's context, the row's values as shown)


def combinations_hidden(
    values: Sequence[Sequence[Value]],
    units: Sequence[Value],
    hidden: Cells,
    k: int,
    context: Mapping[Value, tuple[Value, ...]] | None = None,
) -> Cells:
    """The cells to suppress, beyond `hidden`, so every combination shown is shared by k+ units.

    `values` are the rows' quasi-identifying values, `units` who each row is about, and `context` what
    other tables show of each unit (the same for all its rows).
    """
    cells = set(hidden)
    contexts = [(context or {}).get(unit, ()) for unit in units]
    while True:
        keys = [(contexts[r], _shown(line, r, cells)) for r, line in enumerate(values)]
        holders: dict[Key, set[Value]] = defaultdict(set)
        for key, unit in zip(keys, units, strict=True):
            holders[key].add(unit)
        rare = {key for key, found in holders.items() if len(found) < k}
        if not rare:
            return cells
        more = _one_more_value_each(rare, holders, k) or _merged(rare, holders)
        if not more:
            return cells  # only the context is rare here, and it is k-anonymous where it is shown
        cells |= {(r, column) for r, key in enumerate(keys) if key in more for column in more[key]}


def _shown(line: Sequence[Value], row: int, cells: Cells) -> tuple[Value, ...]:
    return tuple(SUPPRESSED if (row, column) in cells else value for column, value in enumerate(line))


def _one_more_value_each(rare: set[Key], holders: Mapping[Key, set[Value]], k: int) -> dict[Key, set[int]]:
    """For each rare combination with a value still shown, the one column to suppress next."""
    counts: dict[tuple[int, Value], set[Value]] = defaultdict(set)
    for (_, shown), found in holders.items():
        for column, value in enumerate(shown):
            if value != SUPPRESSED:
                counts[(column, value)] |= found

    def preference(key: Key, column: int) -> tuple[bool, int, int]:
        context, shown = key
        joined = (context, (*shown[:column], SUPPRESSED, *shown[column + 1 :]))
        common_enough = len(holders.get(joined, set()) | holders[key]) >= k
        # Join a common combination if one is a value away; else hide the rarest value, the later
        # column on a tie (a week before a role).
        return (not common_enough, len(counts[(column, shown[column])]), -column)

    chosen: dict[Key, set[int]] = {}
    for key in rare:
        open_columns = [column for column, value in enumerate(key[1]) if value != SUPPRESSED]
        if open_columns:
            chosen[key] = {min(open_columns, key=lambda column: preference(key, column))}
    return chosen


def _merged(rare: set[Key], holders: Mapping[Key, set[Value]]) -> dict[Key, set[int]]:
    """For each context whose rare combination has nothing left to hide, its smallest other combination
    with values still shown: suppressed whole, it joins the rare one."""
    open_by_context: dict[tuple[Value, ...], list[Key]] = defaultdict(list)
    for key in holders:
        if any(value != SUPPRESSED for value in key[1]):
            open_by_context[key[0]].append(key)
    chosen: dict[Key, set[int]] = {}
    for context, shown in rare:
        others = open_by_context.get(context)
        if others:
            smallest = min(others, key=lambda key: (len(holders[key]), str(key[1])))
            chosen[smallest] = set(range(len(shown)))
            others.remove(smallest)
    return chosen
