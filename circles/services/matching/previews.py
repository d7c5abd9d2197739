"""Read a stored proposal again, whole, for the facilitator who is deciding whether to confirm it."""

from __future__ import annotations

from datetime import datetime

from circles.persistence.db import UnitOfWork
from circles.services.matching.rounds import RoundPlan, facilitated_run, refuse_stale


def stored_round(
    uow: UnitOfWork, team_id: str, run_id: int, *, user_id: str, is_admin: bool, now: datetime
) -> RoundPlan:
    """The proposal as it was stored, for the cohort's facilitators (and admins) only; it changes nothing.

    A preview gone stale is refused as Confirm refuses it: it may name someone who left since."""
    with uow:
        run, cohort = facilitated_run(uow.session, team_id, run_id, user_id, is_admin)
        refuse_stale(uow.session, cohort, run, now)
        return RoundPlan(run.id, cohort.slug, cohort.name, run.round, run.status, run.plan)
