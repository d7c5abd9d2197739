"""Rotation and leave blocks from a facilitator's file (pure): CSV or iCalendar rows, checked one by one.

`read_rotations` turns a file into rows, each a person (by email) away from one instant until the
instant they are back, in the cohort's time zone, and the problems of the rows it could not
understand; a file too large or of no known shape is refused whole. `assign_people` then pairs each
row with the person its email names, as the caller found them, and finds the rows that repeat one.
`replaced` says which stored blocks a file that replaces the rota takes away.
"""

from circles.domain.rotations.checks import (
    MAX_BYTES,
    MAX_ROWS,
    RotationFileRefused,
    RotationRow,
    RowProblem,
)
from circles.domain.rotations.people import Lookup, Members, People, find_people, sort_people
from circles.domain.rotations.replace import Held, Removal, holding_back, replaced, rota_span
from circles.domain.rotations.rows import Block, RotationFile, assign_people, read_rotations

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "Block",
    "Held",
    "Lookup",
    "Members",
    "People",
    "Removal",
    "RotationFile",
    "RotationFileRefused",
    "RotationRow",
    "RowProblem",
    "assign_people",
    "find_people",
    "holding_back",
    "read_rotations",
    "replaced",
    "rota_span",
    "sort_people",
]
