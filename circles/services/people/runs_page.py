"""One page of the cohorts someone facilitates, with each one's board: what Home shows of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from circles.persistence.db import UnitOfWork
from circles.queries.cohorts import count_facilitated, facilitated_cohorts
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


def runs_page(
    uow: UnitOfWork, team_id: str, user_id: str, now: datetime, *, page: int, per_page: int
) -> RunsPage:
    """The `per_page` cohorts of this page (the last when past it), their head counts and boards.

    The same few queries, each bound to as many values, for four cohorts as for four hundred: only the
    page's cohorts are counted and have their health worked out; the rest are only counted.
    """
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return RunsPage()
        total = count_facilitated(uow.session, workspace.id, user_id)
        if not total:
            return RunsPage()
        page = min(max(page, 0), (total - 1) // per_page)
        cohorts = facilitated_cohorts(
            uow.session, workspace.id, user_id, first=page * per_page, limit=per_page
        )
        runs = run_cohorts(uow.session, cohorts, now)
        return RunsPage(runs, boards_of(uow.session, cohorts, user_id, now), page, total)
