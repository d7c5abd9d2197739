"""Small-cell suppression: cells under 5 people hidden, never one alone in a row or column with its total."""

from __future__ import annotations

import random

import pytest

from circles.domain.research.suppression import Cell, MalformedTable, Reason, SuppressedTable, suppress

ROWS = ("Cohort A", "Cohort B", "Cohort C")
COLUMNS = ("On track", "Watch", "Needs help")


def values(table: SuppressedTable) -> list[list[int | None]]:
    """The table as printed: cells, each row's total last, then the column totals and the grand total."""
    rows = zip(table.cells, table.row_totals, strict=True)
    body = [[cell.value for cell in line] + [total.value] for line, total in rows]
    return [*body, [cell.value for cell in table.column_totals] + [table.grand_total.value]]


def lines_of(grid: list[list[int | None]]) -> list[list[int | None]]:
    return grid + [list(column) for column in zip(*grid, strict=True)]


def test_a_table_of_large_cells_is_published_whole_with_its_totals() -> None:
    table = suppress(ROWS, COLUMNS, [[10, 20, 30], [5, 6, 7], [8, 9, 11]])
    assert values(table) == [[10, 20, 30, 60], [5, 6, 7, 18], [8, 9, 11, 28], [23, 35, 48, 106]]
    assert not any(cell.suppressed for line in table.cells for cell in line)


def test_a_small_cell_and_the_next_smallest_in_its_row_and_column_are_hidden() -> None:
    table = suppress(ROWS, COLUMNS, [[10, 20, 3], [12, 6, 9], [8, 15, 11]])
    assert table.cells[0][2] == Cell(None, suppressed=True, reason=Reason.SMALL)
    # Row A: 10 is the next smallest; column "On track": 8 is; row C then column "Needs help" share 11.
    assert table.cells[0][0].reason is Reason.COMPLEMENTARY
    assert table.cells[2][0].reason is Reason.COMPLEMENTARY
    assert table.cells[2][2].reason is Reason.COMPLEMENTARY
    assert values(table) == [
        [None, 20, None, 33],
        [12, 6, 9, 27],
        [None, 15, None, 34],
        [30, 41, 23, 94],
    ]


def test_no_hidden_cell_can_be_worked_out_from_its_row_or_column_total() -> None:
    table = suppress(ROWS, COLUMNS, [[1, 40, 7], [30, 2, 25], [9, 12, 50]])
    for line in lines_of(values(table)):
        assert sum(value is None for value in line) != 1


def test_totals_stay_published_when_cells_of_their_row_are_hidden() -> None:
    table = suppress(ROWS, COLUMNS, [[10, 20, 3], [12, 6, 9], [8, 15, 11]])
    assert [total.value for total in table.row_totals] == [33, 27, 34]
    assert table.grand_total.value == 94


def test_a_total_under_five_is_hidden_like_any_other_cell() -> None:
    table = suppress(("Small cohort", "Large cohort"), ("Yes", "No"), [[1, 2], [20, 30]])
    assert table.row_totals[0].suppressed
    assert values(table)[0] == [None, None, None]
    for line in lines_of(values(table)):
        assert sum(value is None for value in line) != 1


def test_a_zero_is_hidden_too() -> None:
    table = suppress(("A", "B"), ("Yes", "No"), [[0, 12], [14, 16]])
    assert table.cells[0][0].reason is Reason.SMALL


def test_a_single_column_table_hides_a_second_row_whole() -> None:
    # With one column each row is its own total: hiding the next smallest row keeps both rows unknown.
    table = suppress(("A", "B", "C"), ("People",), [[3], [10], [12]])
    assert values(table) == [[None, None], [None, None], [12, 12], [25, 25]]


def test_the_threshold_can_be_set_higher() -> None:
    table = suppress(("A", "B"), ("Yes", "No"), [[8, 12], [14, 16]], k=10)
    assert table.cells[0][0].reason is Reason.SMALL
    for line in lines_of(values(table)):
        assert sum(value is None for value in line) != 1


@pytest.mark.parametrize(
    "counts", [[[1, 2]], [[1, 2], [3]], [[1, 2], [3, -4]]], ids=["rows missing", "ragged", "negative"]
)
def test_a_table_that_does_not_fit_its_labels_is_refused(counts: list[list[int]]) -> None:
    with pytest.raises(MalformedTable):
        suppress(("A", "B"), ("Yes", "No"), counts)


def test_no_line_of_any_table_is_left_with_one_hidden_entry() -> None:
    draw = random.Random(18)
    for _ in range(300):
        height, width = draw.randint(1, 5), draw.randint(1, 5)
        counts = [[draw.choice([0, 1, 2, 4, 5, 7, 12, 30]) for _ in range(width)] for _ in range(height)]
        table = suppress([f"r{r}" for r in range(height)], [f"c{c}" for c in range(width)], counts)
        printed = values(table)
        for printed_line in lines_of(printed):
            assert sum(value is None for value in printed_line) != 1, counts
        for r, row in enumerate(counts):
            for c, count in enumerate(row):
                assert printed[r][c] == (None if table.cells[r][c].suppressed else count)
                if count < 5:
                    assert table.cells[r][c].suppressed


def hidden_together(line: list[int | None]) -> int | None:
    """What a printed line's total less its shown entries tells of its hidden ones (None: nothing)."""
    *entries, total = line
    if total is None or None not in entries:
        return None
    return total - sum(value for value in entries if value is not None)


def test_two_small_groups_hidden_in_one_row_are_not_given_away_together_by_the_total() -> None:
    """One mentor and two peers both hidden: the week's total less coaches and learners would still say
    three people were mentors or peers, a group under five, so one more entry is hidden."""
    table = suppress(("W1", "W2"), ("coach", "learner", "mentor", "peer"), [[20, 30, 1, 2], [25, 35, 0, 0]])
    for line in lines_of(values(table)):
        assert hidden_together(line) in (None, *range(5, 1000)), line


def test_no_line_lets_its_hidden_entries_be_counted_together_under_five() -> None:
    draw = random.Random(7)
    for _ in range(300):
        height, width = draw.randint(1, 5), draw.randint(1, 5)
        counts = [[draw.choice([0, 1, 2, 4, 5, 7, 12, 30]) for _ in range(width)] for _ in range(height)]
        table = suppress([f"r{r}" for r in range(height)], [f"c{c}" for c in range(width)], counts)
        for line in lines_of(values(table)):
            together = hidden_together(line)
            assert together is None or together >= 5, counts
