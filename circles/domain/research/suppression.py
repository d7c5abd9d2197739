"""Small-cell suppression of aggregate tables, and complementary suppression so totals give no cell away.

A table is its counts plus the margins an export prints: a total per row, per column and a grand total.
Every entry counting fewer than k people is suppressed, zero included ("nobody in this group" says as much
about people as "one"). Each row, with its total, is one equation, and so is each column: when exactly one
entry of such a line is hidden, the others give it back, so the smallest entry still shown in that line is
hidden too. Several hidden entries beside a shown total give back their sum (one mentor and two peers: the
total less the shown roles says three), so while that sum is under k one more is hidden. That can leave
another line giving something away, so it repeats until no line does.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

K = 5


class Reason(StrEnum):
    SMALL = "small"
    COMPLEMENTARY = "complementary"


@dataclass(frozen=True)
class Cell:
    value: int | None
    suppressed: bool = False
    reason: Reason | None = None


@dataclass(frozen=True)
class SuppressedTable:
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    column_totals: tuple[Cell, ...]
    grand_total: Cell

    def at(self, row: int, column: int) -> Cell:
        """An entry by (row, column), the margins last: the row of column totals, the column of row totals."""
        last_row, last_column = len(self.row_labels), len(self.column_labels)
        if row == last_row:
            return self.grand_total if column == last_column else self.column_totals[column]
        return self.row_totals[row] if column == last_column else self.cells[row][column]


class MalformedTable(ValueError):
    """The counts do not fit the labels, or a count is negative."""


def suppress(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    counts: Sequence[Sequence[int]],
    k: int = K,
    *,
    also_hidden: Collection[tuple[int, int]] = (),
) -> SuppressedTable:
    """The table as it may be published: small cells hidden, and enough others that none can be worked out.

    `also_hidden` names more entries to hide, by (row, column) with the margins last (the row of column
    totals, the column of row totals): those another table's figures would give a small count away with.
    """
    _check_shape(row_labels, column_labels, counts)
    grid = _with_margins(counts)
    hidden: dict[tuple[int, int], Reason] = {
        (r, c): Reason.SMALL for r, line in enumerate(grid) for c, value in enumerate(line) if value < k
    }
    for position in also_hidden:
        hidden.setdefault(position, Reason.COMPLEMENTARY)
    while (complement := _next_complement(grid, hidden, k)) is not None:
        hidden[complement] = Reason.COMPLEMENTARY
    published = [
        [_cell(value, hidden.get((r, c))) for c, value in enumerate(line)] for r, line in enumerate(grid)
    ]
    last_row, last_column = len(grid) - 1, len(grid[0]) - 1
    return SuppressedTable(
        row_labels=tuple(row_labels),
        column_labels=tuple(column_labels),
        cells=tuple(tuple(line[:last_column]) for line in published[:last_row]),
        row_totals=tuple(line[last_column] for line in published[:last_row]),
        column_totals=tuple(published[last_row][:last_column]),
        grand_total=published[last_row][last_column],
    )


def _check_shape(
    row_labels: Sequence[str], column_labels: Sequence[str], counts: Sequence[Sequence[int]]
) -> None:
    if not row_labels or not column_labels:
        raise MalformedTable("a table needs at least one row and one column")
    if len(counts) != len(row_labels) or any(len(line) != len(column_labels) for line in counts):
        raise MalformedTable("the counts do not match the row and column labels")
    if any(value < 0 for line in counts for value in line):
        raise MalformedTable("a count cannot be negative")


def _with_margins(counts: Sequence[Sequence[int]]) -> list[list[int]]:
    """The counts with a total at the end of each row and a row of column totals (grand total last)."""
    rows = [[*line, sum(line)] for line in counts]
    return [*rows, [sum(column) for column in zip(*rows, strict=True)]]


def _lines(grid: list[list[int]]) -> list[list[tuple[int, int]]]:
    """Every row and every column as positions, its total last: each one adds up to that total."""
    height, width = len(grid), len(grid[0])
    rows = [[(r, c) for c in range(width)] for r in range(height)]
    columns = [[(r, c) for r in range(height)] for c in range(width)]
    return rows + columns


def _gives_away(
    grid: list[list[int]], hidden: dict[tuple[int, int], Reason], line: list[tuple[int, int]], k: int
) -> bool:
    """Whether a line's shown entries give its hidden ones away: one alone, or several whose sum (the
    total less the entries shown) counts fewer than k people together."""
    entries = [position for position in line[:-1] if position in hidden]
    if sum(position in hidden for position in line) == 1:
        return True
    return bool(entries) and line[-1] not in hidden and sum(grid[r][c] for r, c in entries) < k


def _next_complement(
    grid: list[list[int]], hidden: dict[tuple[int, int], Reason], k: int
) -> tuple[int, int] | None:
    """The entry to hide next so no line has exactly one hidden entry; None when none is needed."""
    lines = _lines(grid)
    height = len(grid)
    for index, line in enumerate(lines):
        if not _gives_away(grid, hidden, line, k):
            continue
        shown = [position for position in line if position not in hidden]
        along_rows = index < height
        crossings = {p: lines[height + p[1]] if along_rows else lines[p[0]] for p in shown}
        return min(shown, key=lambda p: _preference(grid, hidden, p, p == line[-1], crossings[p]))
    return None


def _preference(
    grid: list[list[int]],
    hidden: dict[tuple[int, int], Reason],
    position: tuple[int, int],
    is_total: bool,
    crossing: list[tuple[int, int]],
) -> tuple[bool, int, int, tuple[int, int]]:
    """Which entry to hide first: the lowest of these keys."""
    # The entry also sits in a crossing line: hiding it there fixes that line too when it has one hidden
    # entry already, harms nothing when it has two or more, and opens a new gap when it has none. A cell
    # goes before a total, as readers use the totals most; then the smallest.
    hidden_there = sum(other in hidden for other in crossing)
    gap = 0 if hidden_there == 1 else 1 if hidden_there > 1 else 2
    return (is_total, gap, grid[position[0]][position[1]], position)


def _cell(value: int, reason: Reason | None) -> Cell:
    if reason is None:
        return Cell(value)
    return Cell(None, suppressed=True, reason=reason)
