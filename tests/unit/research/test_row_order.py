"""A row-level research table is written in the order of its cells, its ID first: whatever order its rows
were made in, the file is the same."""

from __future__ import annotations

import random

from circles.domain.research.columns import Column, Table, Value
from circles.domain.research.order import in_plain_order

COLUMNS = (
    Column("person_id", "string", "who"),
    Column("week", "string", "when"),
    Column("rating", "integer", "how it felt"),
    Column("answered", "boolean", "whether they answered"),
)
ROWS: list[tuple[Value, ...]] = [
    ("P-AAAAAAAAAAAA", "2027-W01", None, False),
    ("P-AAAAAAAAAAAA", "2027-W01", 2, True),
    ("P-AAAAAAAAAAAA", "2027-W02", 5, True),
    ("P-AAAAAAAAAAAA", "suppressed", 1, True),
    ("P-BBBBBBBBBBBB", None, None, False),
    ("P-BBBBBBBBBBBB", "2027-W01", 10, True),
    ("P-ZZZZZZZZZZZZ", "2027-W01", 3, True),
]


def test_rows_made_in_any_order_are_written_by_id_then_by_their_other_cells() -> None:
    for seed in range(20):
        made = ROWS.copy()
        random.Random(seed).shuffle(made)
        assert in_plain_order(Table("checkins", "Check-ins", COLUMNS, made)).rows == ROWS


def test_a_table_of_pairs_is_written_by_its_pair_id() -> None:
    columns = (Column("partnership_id", "string", "which pair"), Column("week", "string", "when"))
    rows: list[tuple[Value, ...]] = [("P-ZZZZZZZZZZZZ", "2027-W01"), ("P-AAAAAAAAAAAA", "2027-W09")]
    assert in_plain_order(Table("health_transitions", "Health", columns, rows)).rows == rows[::-1]


def test_a_table_of_figures_keeps_the_order_it_was_made_in() -> None:
    columns = (Column("week", "string", "when"), Column("role", "string", "whose"))
    rows: list[tuple[Value, ...]] = [("all", "all"), ("2027-W01", "coach"), ("2027-W01", "all")]
    assert in_plain_order(Table("summary", "Summary", columns, rows)).rows == rows
