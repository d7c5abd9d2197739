"""The research export's summary: people and answers by week and role, with small cells suppressed."""

from __future__ import annotations

from collections import defaultdict

from circles.domain.research.coarsen import iso_week
from circles.domain.research.columns import SUPPRESSED, Column, Table, Value
from circles.domain.research.suppression import Cell, K, SuppressedTable, suppress
from circles.domain.vocabulary import Role
from circles.queries.research import CheckInRow, MemberRow
from circles.services.research.consented import Cohort, Included

ALL = "all"
COLUMNS = (
    Column("week", "string", "the week check-ins were due", f"ISO week, e.g. 2027-W03; {ALL}: every week"),
    Column(
        "role", "string", "the members' role", f"a role; {ALL}: every role", (*(r.value for r in Role), ALL)
    ),
    Column(
        "members",
        "integer",
        "consented members with a check-in due that week (in rows for every week: person-weeks)",
        f"0 or more; {SUPPRESSED} when under {K}, when it would give a hidden cell away, or when less the "
        f"answered figure it would count 1 to {K - 1} people who did not answer",
    ),
    Column(
        "answered",
        "integer",
        "consented members who answered a check-in that week (in rows for every week: person-weeks)",
        f"0 or more; {SUPPRESSED} when under {K} or when it would give a hidden cell away",
    ),
    Column(
        "mean_rating",
        "number",
        "the mean rating of the answered check-ins",
        f"1 to 5; {SUPPRESSED} unless the answered figure is shown; empty without ratings",
    ),
)

People = dict[tuple[str, str], set[int]]


def summary_table(
    cohort: Cohort, members: list[MemberRow], checkins: list[CheckInRow], who: Included
) -> Table:
    """Counts of people by week and role, suppressed as `suppress` rules, with the mean rating where shown."""
    role_of = {m.member_id: m.role.value for m in members if m.member_id in who.people}
    due: People = defaultdict(set)
    answered: People = defaultdict(set)
    ratings: dict[tuple[str, str], list[int]] = defaultdict(list)
    for checkin in (row.answer for row in checkins):
        if checkin.member_id not in role_of:
            continue
        place = (iso_week(checkin.due_at, cohort.zone), role_of[checkin.member_id])
        due[place].add(checkin.member_id)
        if checkin.answered_at is not None:
            answered[place].add(checkin.member_id)
            if checkin.rating is not None:
                ratings[place].append(checkin.rating)
    weeks = sorted({week for week, _ in due})
    roles = sorted(set(role_of.values()))
    table = Table("summary", "People by week and role", COLUMNS, [], missing_values=("", SUPPRESSED))
    if not weeks:
        return table
    shown_due, shown_answered = _suppressed(
        weeks,
        roles,
        [[len(due[(w, r)]) for r in roles] for w in weeks],
        [[len(answered[(w, r)]) for r in roles] for w in weeks],
    )
    for week, role, due_cell, answered_cell in _cells(shown_due, shown_answered):
        given = [
            v for (w, r), values in ratings.items() if week in (w, ALL) and role in (r, ALL) for v in values
        ]
        table.rows.append((week, role, _shown(due_cell), _shown(answered_cell), _mean(answered_cell, given)))
    return table


def _suppressed(
    weeks: list[str], roles: list[str], due: list[list[int]], answered: list[list[int]]
) -> tuple[SuppressedTable, SuppressedTable]:
    """Both tables suppressed, and one more members figure hidden wherever it and the answered figure
    beside it would show that some, but fewer than K, people did not answer (the one minus the other)."""
    unanswered = {
        (r, c): d - a
        for r, (due_line, answered_line) in enumerate(zip(_margins(due), _margins(answered), strict=True))
        for c, (d, a) in enumerate(zip(due_line, answered_line, strict=True))
    }
    shown_answered = suppress(weeks, roles, answered)
    hidden: set[tuple[int, int]] = set()
    while True:
        shown_due = suppress(weeks, roles, due, also_hidden=hidden)
        giving_away = {
            place
            for place, count in unanswered.items()
            if 0 < count < K
            and not shown_due.at(*place).suppressed
            and not shown_answered.at(*place).suppressed
        }
        if not giving_away:
            return shown_due, shown_answered
        hidden |= giving_away


def _margins(counts: list[list[int]]) -> list[list[int]]:
    """The counts with each row's total last, then the column totals and the grand total."""
    rows = [[*line, sum(line)] for line in counts]
    return [*rows, [sum(column) for column in zip(*rows, strict=True)]]


def _cells(due: SuppressedTable, answered: SuppressedTable) -> list[tuple[str, str, Cell, Cell]]:
    """Every cell and margin of the two tables, side by side, labelled by week and role."""
    found = []
    for r, week in enumerate(due.row_labels):
        for c, role in enumerate(due.column_labels):
            found.append((week, role, due.cells[r][c], answered.cells[r][c]))
        found.append((week, ALL, due.row_totals[r], answered.row_totals[r]))
    for c, role in enumerate(due.column_labels):
        found.append((ALL, role, due.column_totals[c], answered.column_totals[c]))
    found.append((ALL, ALL, due.grand_total, answered.grand_total))
    return found


def _shown(cell: Cell) -> Value:
    return SUPPRESSED if cell.suppressed else cell.value


def _mean(answered: Cell, ratings: list[int]) -> Value:
    """The mean rating only where the people who gave it are shown and at least K of them."""
    if answered.suppressed or answered.value is None or answered.value < K:
        return SUPPRESSED
    return sum(ratings) / len(ratings) if ratings else None
