"""Read a stored proposal again, whole, for the facilitator who is deciding whether to confirm it."""

from __future__ import annotations

from circles.persistence.db import UnitOfWork
from circles.services.matching.rounds import RoundPlan, facilitated_run


def stored_round(uow: UnitOfWork, team_id: str, run_id: int, *, user_id: str, is_admin: bool) -> RoundPlan:
    """The proposal as it was stored, for the cohort's facilitators (and admins) only; it changes nothing."""
    with uow:
        run, cohort = facilitated_run(uow.session, team_id, run_id, user_id, is_admin)
        return RoundPlan(run.id, cohort.slug, cohort.name, run.round, run.status, run.plan)
