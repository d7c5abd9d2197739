"""The research summary read as a careful reader would: with a linear program over every figure it prints,
no hidden figure comes out as one exact number or as a small group, and neither do the people who did not
answer. Also: it stays quick for a cohort running a whole year."""

from __future__ import annotations

import math
import random
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from circles.domain.health.signals import Answer
from circles.domain.research.columns import SUPPRESSED, Table
from circles.domain.research.suppression import K
from circles.domain.vocabulary import MemberStatus, Role
from circles.queries.research import CheckInRow, MemberRow
from circles.services.research.consented import Cohort, Included
from circles.services.research.summary_table import ALL, summary_table

START = datetime(2027, 1, 4, 9, tzinfo=UTC)
COHORT = Cohort(1, ZoneInfo("UTC"), b"k" * 32)
Week = dict[str, tuple[int, int]]  # by role: (members due, members who answered)


def summary(weeks: list[Week]) -> Table:
    """The summary of a cohort where, each week, the first people of each role are due and the first of
    those answer; everyone consented."""
    members: list[MemberRow] = []
    checkins: list[CheckInRow] = []
    pool: dict[str, list[int]] = {}
    for week, cells in enumerate(weeks):
        at = START + timedelta(weeks=week)
        for role, (due, answered) in cells.items():
            people = pool.setdefault(role, [])
            while len(people) < due:
                n = len(members)
                members.append(MemberRow(n, f"U{n:08d}", Role(role), MemberStatus.ACTIVE, START, None))
                people.append(n)
            for n, member_id in enumerate(people[:due]):
                done = n < answered
                answer = Answer(member_id, at, at + timedelta(hours=1) if done else None, 4, None, False)
                checkins.append(
                    CheckInRow(1, answer if done else Answer(member_id, at, None, None, None, False))
                )
    who = Included({m.member_id: f"P-{m.member_id}" for m in members}, {m.member_id: "1" for m in members}, 0)
    return summary_table(COHORT, members, checkins, who)


def worked_out(table: Table) -> list[tuple[str, str, str, int, int]]:
    """Every hidden figure a linear program over the printed figures pins to one value or to 1..K-1
    people, and every place where it pins the people who did not answer to 1..K-1: (what, week, role,
    least, greatest)."""
    shown = {(str(row[0]), str(row[1])): (row[2], row[3]) for row in table.rows}
    weeks = sorted({week for week, _ in shown if week != ALL})
    roles = sorted({role for _, role in shown if role != ALL})
    size = len(weeks) * len(roles)

    def cells(week: str, role: str) -> list[int]:
        places = [(w, r) for w, wk in enumerate(weeks) for r, ro in enumerate(roles) if week in (wk, ALL)]
        return [w * len(roles) + r for w, r in places if role in (roles[r], ALL)]

    equations, values = [], []
    for (week, role), figures in shown.items():
        for table_number, figure in enumerate(figures):
            if figure != SUPPRESSED:
                row = np.zeros(2 * size)
                row[[table_number * size + i for i in cells(week, role)]] = 1
                equations.append(row)
                values.append(float(figure))  # type: ignore[arg-type]
    at_most = np.hstack([-np.eye(size), np.eye(size)])  # answered ≤ due, cell by cell

    def reach(objective: np.ndarray) -> tuple[int, int]:
        ends = []
        for sign in (1, -1):
            found = linprog(
                sign * objective,
                A_ub=at_most,
                b_ub=np.zeros(size),
                A_eq=np.array(equations) if equations else None,
                b_eq=values or None,
                bounds=(0, 10_000),
                method="highs",
            )
            assert found.status == 0
            ends.append(sign * found.fun)
        return math.ceil(ends[0] - 1e-6), math.floor(ends[1] + 1e-6)

    found = []
    for (week, role), (due, answered) in shown.items():
        ids = cells(week, role)
        for what, figure, offset in (("members", due, 0), ("answered", answered, size)):
            if figure == SUPPRESSED:
                objective = np.zeros(2 * size)
                objective[[offset + i for i in ids]] = 1
                low, high = reach(objective)
                if low == high or 0 < low <= high < K:
                    found.append((what, week, role, low, high))
        if SUPPRESSED in (due, answered):
            objective = np.zeros(2 * size)
            objective[ids] = 1
            objective[[size + i for i in ids]] = -1
            low, high = reach(objective)
            if 0 < low <= high < K:
                found.append(("did not answer", week, role, low, high))
    return found


def test_the_mentors_who_answered_in_week_two_cannot_be_worked_out_from_a_week_where_everyone_answered() -> (
    None
):
    """Week 1: everyone due answered, so every hidden week-1 entry answered as many as were due; with the
    week-1 mentors and all weeks' mentors who answered shown, the 3 mentors answering in week 2 were
    given away."""
    table = summary(
        [
            {"coach": (2, 2), "learner": (3, 3), "mentor": (5, 5)},
            {"coach": (4, 4), "learner": (6, 4), "mentor": (3, 3)},
        ]
    )
    shown = {(row[0], row[1]): (row[2], row[3]) for row in table.rows}
    assert shown[("2027-W02", "mentor")] == (SUPPRESSED, SUPPRESSED)
    assert worked_out(table) == []


def cohort(draw: random.Random) -> list[Week]:
    """Two or three weeks of two to four roles, each with up to 7 people due and a few not answering."""
    roles = [role.value for role in Role][: draw.randint(2, 4)]
    weeks = []
    for _ in range(draw.randint(2, 3)):
        due = {role: draw.randint(0, 7) for role in roles}
        weeks.append(
            {role: (d, d - draw.choice([0, 0, 0, 1, 2]) if d >= 2 else d) for role, d in due.items()}
        )
    return weeks


def test_no_summary_of_a_dozen_drawn_cohorts_lets_a_linear_program_work_out_a_hidden_figure() -> None:
    for seed in range(12):  # the summary before the linear programs gave one away at the sixth
        assert worked_out(summary(cohort(random.Random(seed)))) == [], f"cohort {seed}"


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_no_printed_summary_lets_a_linear_program_work_out_a_hidden_figure(draw: random.Random) -> None:
    assert worked_out(summary(cohort(draw))) == []


def test_a_cohort_of_a_whole_year_is_summarised_in_well_under_two_seconds() -> None:
    g = random.Random(7)
    weeks = [
        {role.value: (due := g.randint(0, 4), max(0, due - g.choice([0, 0, 1, 2]))) for role in Role}
        for _ in range(53)
    ]
    summary(weeks[:2])  # SciPy's start-up, once per process, is not the summary's
    started = time.perf_counter()
    table = summary(weeks)
    assert time.perf_counter() - started < 2
    assert len(table.rows) == 54 * 5
