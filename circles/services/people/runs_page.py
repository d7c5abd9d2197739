"""One page of the cohorts someone facilitates, with each one's board: what Home shows of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from circles.domain.paging import Turn, window_at
from circles.persistence.db import UnitOfWork
from circles.queries.cohorts import count_facilitated, facilitated_cohorts, places_among_facilitated
from circles.services.health.boards import Board, boards_of
from circles.services.intake.workspaces import find_workspace
from circles.services.people.status import RunCohort, run_cohorts


@dataclass(frozen=True)
class RunsPage:
    """The cohorts of one page, by name, with their boards; which page that is, and how many there are."""

    runs: list[RunCohort] = field(default_factory=list)
    boards: list[Board] = field(default_factory=list)
    page: int = 0  # the page asked for, kept within those there are
    total: int = 0  # every cohort the person facilitates, on any page
    start: int = 0  # how many come before this page's first: a page turned to starts where the last ended


def runs_page(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    now: datetime,
    *,
    page: int,
    per_page: int,
    turn: Turn | None = None,
) -> RunsPage:
    """The `per_page` cohorts of this page (the last when past it), their head counts and boards.

    A page turned to (`turn`) starts right after the last cohort of the page before, wherever that is now:
    none is passed over when one before it was archived meanwhile. The same few queries, each bound to as
    many values, for four cohorts as for four hundred: only the page's cohorts are counted and have their
    health worked out; the rest are only counted.
    """
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return RunsPage()
        total = count_facilitated(uow.session, workspace.id, user_id)
        if not total:
            return RunsPage()
        turn = turn or Turn(page)
        named = [slug for slug in (turn.first, turn.last) if slug]
        at = places_among_facilitated(uow.session, workspace.id, user_id, named) if named else {}
        shown = window_at(total, per_page, turn.page, turn.way, at.get(turn.first), at.get(turn.last))
        cohorts = facilitated_cohorts(uow.session, workspace.id, user_id, first=shown.start, limit=per_page)
        runs = run_cohorts(uow.session, cohorts, now)
        boards = boards_of(uow.session, cohorts, user_id, now)
        return RunsPage(runs, boards, shown.number, total, shown.start)
