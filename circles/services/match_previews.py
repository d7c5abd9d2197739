"""Read a stored proposal again, whole, for the facilitator who is deciding whether to confirm it."""

from __future__ import annotations

from circles.errors import NotAFacilitator
from circles.persistence.db import UnitOfWork
from circles.persistence.models import Cohort, MatchRun
from circles.services.matching import RoundPlan, facilitated_cohort
from circles.services.workspaces import find_workspace


def stored_round(uow: UnitOfWork, team_id: str, run_id: int, *, user_id: str, is_admin: bool) -> RoundPlan:
    """The proposal as it was stored, for the cohort's facilitators (and admins) only; it changes nothing."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        run = uow.session.get(MatchRun, run_id)
        if run is None or workspace is None or run.workspace_id != workspace.id:
            raise NotAFacilitator("this cohort")  # another workspace's run: say nothing about it
        cohort = uow.session.get_one(Cohort, run.cohort_id)
        facilitated_cohort(uow.session, team_id, cohort.slug, user_id, is_admin)
        return RoundPlan(run.id, cohort.slug, cohort.name, run.round, run.status, run.plan)
