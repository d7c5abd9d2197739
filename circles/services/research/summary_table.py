"""The research export's summary: people and answers by week and role, with small cells suppressed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from circles.domain.research.bounds import exposed
from circles.domain.research.coarsen import iso_week
from circles.domain.research.columns import SUPPRESSED, Column, Table, Value
from circles.domain.research.suppression import Cell, K, SuppressedTable, suppress
from circles.domain.vocabulary import Role
from circles.queries.research import CheckInRow, MemberRow
from circles.services.research.consented import Cohort, Included

ALL = "all"
# The same check-ins are in checkins.csv, a row each: a count hidden here can be made from those rows.
OWN_FIGURES = (
    f"; {SUPPRESSED} hides this figure here only, not the count one can make from checkins.csv's rows"
)
COLUMNS = (
    Column(
        "week",
        "string",
        "the week check-ins were due",
        f"ISO week, e.g. 2027-W03; {ALL}: every week",
        dated=True,
    ),
    Column(
        "role", "string", "the members' role", f"a role; {ALL}: every role", (*(r.value for r in Role), ALL)
    ),
    Column(
        "members",
        "integer",
        "consented members with a check-in due that week (in rows for every week: person-weeks)",
        f"0 or more; {SUPPRESSED} when about fewer than {K} people (in rows for every week: distinct "
        f"people), when it would give a hidden cell away, or when less the answered figure it would count "
        f"1 to {K - 1} people who did not answer{OWN_FIGURES}",
    ),
    Column(
        "answered",
        "integer",
        "consented members who answered a check-in that week (in rows for every week: person-weeks)",
        f"0 or more; {SUPPRESSED} when about fewer than {K} people (in rows for every week: distinct "
        f"people) or when it would give a hidden cell away{OWN_FIGURES}",
    ),
    Column(
        "mean_rating",
        "number",
        "the mean rating of the answered check-ins",
        f"1 to 5; {SUPPRESSED} unless the answered figure is shown and at least {K} people gave the ratings",
    ),
)

People = dict[tuple[str, str], set[int]]
Place = tuple[int, int]  # (row, column) in a table with its margins


def summary_table(
    cohort: Cohort, members: list[MemberRow], checkins: list[CheckInRow], who: Included
) -> Table:
    """Counts of people by week and role, suppressed as `suppress` rules, with the mean rating where shown.

    The rows for every week add up person-weeks, so whether they say something about fewer than K people
    is judged on the distinct people behind them; a mean is shown only over K distinct people's ratings."""
    role_of = {m.member_id: m.role.value for m in members if m.member_id in who.people}
    due: People = defaultdict(set)
    answered: People = defaultdict(set)
    missed: People = defaultdict(set)
    raters: People = defaultdict(set)
    ratings: dict[tuple[str, str], list[int]] = defaultdict(list)
    for checkin in (row.answer for row in checkins):
        if checkin.member_id not in role_of:
            continue
        place = (iso_week(checkin.due_at, cohort.zone), role_of[checkin.member_id])
        due[place].add(checkin.member_id)
        if checkin.answered_at is None:
            missed[place].add(checkin.member_id)
        else:
            answered[place].add(checkin.member_id)
            if checkin.rating is not None:
                ratings[place].append(checkin.rating)
                raters[place].add(checkin.member_id)
    # The roles of every member and every week a check-in of the cohort fell due, consented or not: a
    # label is there whether or not a small group of consented people is, so the labels tell nothing.
    weeks = sorted({iso_week(row.answer.due_at, cohort.zone) for row in checkins})
    roles = sorted({m.role.value for m in members})
    table = Table("summary", "People by week and role", COLUMNS, [], missing_values=("", SUPPRESSED))
    if not weeks:
        return table
    shown_due, shown_answered = _suppressed(
        weeks,
        roles,
        [[len(due[(w, r)]) for r in roles] for w in weeks],
        [[len(answered[(w, r)]) for r in roles] for w in weeks],
        _every_week(roles, due, answered, missed),
    )
    for week, role, due_cell, answered_cell in _cells(shown_due, shown_answered):
        places = [(w, r) for w, r in raters if week in (w, ALL) and role in (r, ALL)]
        given = [v for place in places for v in ratings[place]]
        people = set().union(*(raters[place] for place in places))
        table.rows.append(
            (week, role, _shown(due_cell), _shown(answered_cell), _mean(answered_cell, given, len(people)))
        )
    return table


@dataclass(frozen=True)
class EveryWeek:
    """The distinct people behind the row for every week, by column: each role, then all of them."""

    due: list[int]
    answered: list[int]
    missed: list[int]  # people with a check-in due and not answered


def _every_week(roles: list[str], due: People, answered: People, missed: People) -> EveryWeek:
    """Distinct people per role across every week, and in all: the column totals and the grand total,
    which add up person-weeks and so may count fewer people than they read."""
    found: list[list[int]] = []
    for people in (due, answered, missed):
        by_role = [set().union(*(ids for (_, r), ids in people.items() if r == role)) for role in roles]
        found.append([*(len(ids) for ids in by_role), len(set().union(*by_role))])
    return EveryWeek(*found)


def _suppressed(
    weeks: list[str],
    roles: list[str],
    due: list[list[int]],
    answered: list[list[int]],
    every_week: EveryWeek,
) -> tuple[SuppressedTable, SuppressedTable]:
    """Both tables suppressed, one more members figure hidden wherever it and the answered figure beside
    it would show that some, but fewer than K, people did not answer (the one minus the other), and a
    place hidden in both wherever the two together would let a hidden figure be worked out (nobody
    answers without a check-in due, so each answered figure is at most its members figure). The row for
    every week counts person-weeks: its entries are judged on the distinct people behind them."""
    due_grid, answered_grid = _margins(due), _margins(answered)
    last = len(weeks)

    def placed(counts: list[int]) -> dict[Place, int]:
        return {(last, c): count for c, count in enumerate(counts)}

    unanswered = {
        (r, c): d - a
        for r, (due_line, answered_line) in enumerate(zip(due_grid, answered_grid, strict=True))
        for c, (d, a) in enumerate(zip(due_line, answered_line, strict=True))
    }
    unanswered.update(placed(every_week.missed))
    hidden_due = {place for place, count in placed(every_week.due).items() if count < K}
    hidden_answered = {place for place, count in placed(every_week.answered).items() if count < K}
    while True:
        shown_due = suppress(weeks, roles, due, also_hidden=hidden_due)
        shown_answered = suppress(weeks, roles, answered, also_hidden=hidden_answered)
        due_off = {place for place in unanswered if shown_due.at(*place).suppressed}
        answered_off = {place for place in unanswered if shown_answered.at(*place).suppressed}
        giving_away = {
            place
            for place, count in unanswered.items()
            if 0 < count < K and place not in due_off | answered_off
        }
        worked_out = _widened(
            exposed(due_grid, due_off, answered_grid, answered_off),
            due_off & answered_off,
            due_grid,
            set(unanswered),
        )
        if not giving_away and not worked_out:
            return shown_due, shown_answered
        hidden_due |= due_off | giving_away | worked_out
        hidden_answered |= answered_off | worked_out


def _widened(
    worked_out: set[Place], in_both: set[Place], due: list[list[int]], places: set[Place]
) -> set[Place]:
    """The places to hide in both tables so what was worked out no longer can be: those places, and
    where they are hidden in both already, the smallest place still shown in their rows and columns."""
    more = worked_out - in_both
    if more or not worked_out:
        return more
    lines = {(r, c) for row, column in worked_out for r, c in places if r == row or c == column}
    candidates = (lines - in_both) or (places - in_both)
    if not candidates:
        return set()
    return {min(candidates, key=lambda place: (due[place[0]][place[1]], place))}


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


def _mean(answered: Cell, ratings: list[int], raters: int) -> Value:
    """The mean rating only where the people who answered are shown and at least K distinct people gave
    the ratings it is made of (fewer, none included, would say how many rated)."""
    if answered.suppressed or raters < K:
        return SUPPRESSED
    return sum(ratings) / len(ratings)
