"""The order a row-level research table is written in: one that tells nothing its columns do not.

Rows come from the database in the order things happened (members by when they joined, survey requests
and check-ins by when they were made). Written so, they would undo what suppression hides: whoever knows
who joined last reads the last survey row as theirs, whatever its week reads. So every row-level table is
written by its pseudonym (a keyed hash: random to anyone without the key), then by its other columns as
written (week, instrument, item…), after rare values and words are hidden, so a hidden value's place among
the others gives it away no more than its cell does.
"""

from __future__ import annotations

from dataclasses import replace

from circles.domain.research.anonymity import UNITS
from circles.domain.research.columns import Table, Value


def in_plain_order(table: Table) -> Table:
    """The table with its rows in the order of their cells, first column first, when it is row-level (its
    rows are people's or pairs'); another (the summary, the codebook) keeps the order it was made in."""
    if not table.columns or table.columns[0].name not in UNITS:
        return table
    return replace(table, rows=sorted(table.rows, key=lambda row: tuple(_key(value) for value in row)))


def _key(value: Value) -> tuple[int, float, str]:
    """A cell as something any other cell compares with: none first, then true/false, numbers, text."""
    if value is None:
        return (0, 0.0, "")
    if isinstance(value, bool):
        return (1, float(value), "")
    if isinstance(value, int | float):
        return (2, float(value), "")
    return (3, 0.0, value)
