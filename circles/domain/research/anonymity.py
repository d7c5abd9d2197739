"""k-anonymity of the row-level research tables by suppression: no rare value singles anyone out.

Someone who knows the cohort (a facilitator who makes the export) knows its only mentor, the one member
who joined late and the pair that ended in week 9. In a row-level table such a value picks out one
pseudonym, and the pseudonym then unlocks that person's ratings and answers in every other table. So in
every quasi-identifying column (`Column.quasi`: an ISO week or a value from a fixed list, what anyone
running the cohort sees of a person or a pair), a value shared by fewer than K of the table's units reads
"suppressed". Ratings, yes/no answers, days and survey items and scores are the research data itself
and stay. A table's unit is what its first column names: a person (person_id) or a pair
(partnership_id); someone with many rows counts once. An empty week is a value like any other ("still a
member" can be as rare as a week). It is set-based: each column is judged over the whole table at once.

Three more rules keep a suppressed value from being worked out:

1. "suppressed" is a value too. When only 1 to K-1 units read it in a column (the only mentor would be
   the only row reading it), the rarest value still shown is suppressed as well, and so on until at
   least K units read it or nothing is shown.
2. A pair's kind names its partners' roles (mentor_learner: person_a is the mentor) and their roles name
   its kind. Suppressing kinds by the k rule over pairs alone is not sound: five pairs of one mentor
   share their kind, and person_a's role is then plain. So a pair's kind is suppressed whenever either
   consented partner's role is, and both consented partners' roles whenever the kind is (rare among
   pairs, or suppressed to hide one that is); then both tables are judged again, until neither changes.

3. Values common one by one can be rare together (the one mentor among five who left in week 9 with four
   others): a row's combination of values, with what people.csv or partnerships.csv shows of its person
   or pair, is shared by K units or more values are suppressed (see `combinations`).

What it does not promise: the shape of the data (who has many pairs, a person's first and last check-in
weeks, the set of weeks of their rows) can hint at a role or at when someone joined.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from circles.domain.research.columns import SUPPRESSED, Table, Value
from circles.domain.research.combinations import combinations_hidden
from circles.domain.research.suppression import K

UNITS = ("person_id", "partnership_id")
PEOPLE, PAIRS = "people", "partnerships"
Hidden = dict[str, set[int]]  # a column's name: the indices of the rows whose value in it is suppressed
Context = dict[Value, tuple[Value, ...]]  # what another table shows of a unit, by its ID


def k_anonymous(tables: Sequence[Table], k: int = K) -> list[Table]:
    """The tables as they may be written: rare quasi-identifying values and combinations read "suppressed"."""
    forced: dict[str, Hidden] = defaultdict(dict)
    described = [table for table in tables if table.name in (PEOPLE, PAIRS)]
    while True:
        hidden = {table.name: hidden_cells(table, forced[table.name], k) for table in described}
        needed = _roles_and_kinds({table.name: table for table in described}, hidden)
        if all(rows <= hidden[name].get(column, set()) for (name, column), rows in needed.items()):
            break
        for (name, column), rows in needed.items():
            forced[name][column] = forced[name].get(column, set()) | rows
    written = {table.name: _written(table, hidden[table.name]) for table in described}
    # What people.csv and partnerships.csv show of a person or a pair goes with their rows elsewhere.
    shown = {UNITS[0]: _profiles(written.get(PEOPLE)), UNITS[1]: _profiles(written.get(PAIRS))}
    return [
        written.get(table.name)
        or _written(
            table, hidden_cells(table, k=k, context=shown.get(table.header[0] if table.columns else ""))
        )
        for table in tables
    ]


def hidden_cells(
    table: Table, forced: Hidden | None = None, k: int = K, context: Context | None = None
) -> Hidden:
    """Which cells of a row-level table to suppress, column by column and then combined with `context`,
    what other tables show of each row's unit; `forced` are suppressed anyway."""
    if not table.columns or table.columns[0].name not in UNITS:
        return {}  # not about people or pairs row by row (the summary, the codebook)
    units = [row[0] for row in table.rows]
    quasi = [(index, column.name) for index, column in enumerate(table.columns) if column.quasi]
    cells: set[tuple[int, int]] = set()
    for position, (index, name) in enumerate(quasi):
        values = [row[index] for row in table.rows]
        rows = _hidden_in_column(values, units, (forced or {}).get(name, set()), k)
        cells |= {(row, position) for row in rows}
    lines = [[row[index] for index, _ in quasi] for row in table.rows]
    cells = combinations_hidden(lines, units, cells, k, context)
    hidden: Hidden = defaultdict(set)
    for row, position in cells:
        hidden[quasi[position][1]].add(row)
    return dict(hidden)


def _profiles(table: Table | None) -> Context:
    """Each unit's quasi-identifying values as a table shows them, by the unit's ID."""
    if table is None:
        return {}
    quasi = [index for index, column in enumerate(table.columns) if column.quasi]
    return {row[0]: tuple(row[index] for index in quasi) for row in table.rows}


def _hidden_in_column(values: list[Value], units: list[Value], forced: set[int], k: int) -> set[int]:
    """The rows to suppress so every value shown, and "suppressed" itself, is shared by 0 or k+ units."""
    hidden = set(forced)
    while True:
        shown: dict[Value, set[Value]] = defaultdict(set)
        for row, (value, unit) in enumerate(zip(values, units, strict=True)):
            if row not in hidden:
                shown[value].add(unit)
        rare = {value for value, holders in shown.items() if len(holders) < k}
        if not rare and 0 < len({units[row] for row in hidden}) < k and shown:
            rare = {min(shown, key=lambda value: (len(shown[value]), str(value)))}
        if not rare:
            return hidden
        hidden |= {row for row, value in enumerate(values) if value in rare}


def _roles_and_kinds(tables: dict[str, Table], hidden: dict[str, Hidden]) -> dict[tuple[str, str], set[int]]:
    """The cells rule 2 needs suppressed: kinds of pairs with a hidden role, roles in pairs of hidden kind."""
    people, pairs = tables.get(PEOPLE), tables.get(PAIRS)
    if people is None or pairs is None:
        return {}
    a, b = pairs.header.index("person_a"), pairs.header.index("person_b")
    role_hidden = {people.rows[row][0] for row in hidden[PEOPLE].get("role", set())}
    kind_hidden = hidden[PAIRS].get("kind", set())
    partners = {pairs.rows[row][side] for row in kind_hidden for side in (a, b)}
    return {
        (PAIRS, "kind"): {row for row, line in enumerate(pairs.rows) if role_hidden & {line[a], line[b]}},
        (PEOPLE, "role"): {row for row, line in enumerate(people.rows) if line[0] in partners},
    }


def _written(table: Table, hidden: Hidden) -> Table:
    if not hidden:
        return table
    suppressed = [table.header.index(column) for column in hidden]
    rows = [
        tuple(
            SUPPRESSED if index in suppressed and row in hidden[table.columns[index].name] else value
            for index, value in enumerate(line)
        )
        for row, line in enumerate(table.rows)
    ]
    return replace(table, rows=rows)
