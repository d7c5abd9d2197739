"""A person's own working hours and quiet hours: read for Home, and kept on their profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from circles.domain.availability import QuietHours, WorkPattern, away_until
from circles.domain.availability.absence import BLOCKS
from circles.domain.availability.cover import covers
from circles.domain.availability.own_hours import HoursChoice, chosen_pattern, hours_problem, rota_problem
from circles.domain.availability.unreached import Unreached, unreached_for_a_week
from circles.errors import InvalidWorkingHours, WorkspaceUnknown
from circles.persistence.db import Session, UnitOfWork
from circles.queries.availability import stored_reach
from circles.queries.profiles import hold_profile
from circles.services.availability.reach import as_reach
from circles.services.intake.workspaces import find_workspace
from circles.services.outbox.held import reconsider_held
from circles.services.planning.replan import replan_person


@dataclass(frozen=True)
class Availability:
    """What Home shows: when they are back (if away), their hours, and the quiet hours in force."""

    timezone: str
    today: date  # their local date
    away_until: datetime | None
    back_on: date | None  # the local date of away_until
    pattern: WorkPattern | None
    quiet: QuietHours
    own_quiet: bool  # False: their cohorts' quiet hours hold
    gives_way: bool = False  # their cohorts' quiet hours cover all of their usual hours, so not in them
    unreached: Unreached | None = None  # why nothing can reach them for the whole coming week


def availability_of(uow: UnitOfWork, team_id: str, user_id: str, now: datetime) -> Availability:
    """The person's availability as of `now`, from what is stored (any hour, cohorts' quiet hours)."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        return _availability(uow.session, workspace.id if workspace else 0, user_id, now)


def choose_hours(
    uow: UnitOfWork, team_id: str, user_id: str, choice: HoursChoice, now: datetime
) -> Availability:
    """Keep the person's own choice on their profile (made for them if they have none yet); their
    cohorts and digest are planned again for it, and what is held for them looked at again."""
    if choice.rota is not None and choice.shift is None:
        raise InvalidWorkingHours("Give your usual hours too: a rota entry changes them for some dates.")
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            raise WorkspaceUnknown()
        today = _availability(uow.session, workspace.id, user_id, now).today
        if choice.rota is not None and (problem := rota_problem(choice.rota, today)):
            raise InvalidWorkingHours(problem)
        profile = hold_profile(uow.session, workspace.id, user_id, now)
        pattern = chosen_pattern(WorkPattern.from_json(profile.work_pattern), choice, today)
        # Over the entries kept from before too: a week of nights under quiet nights is a week unreached.
        if problem := hours_problem(choice, pattern.rota if pattern else ()):
            raise InvalidWorkingHours(problem)
        profile.work_pattern = pattern.to_json() if pattern else None
        profile.quiet_hours = choice.quiet.stored() if choice.quiet is not None else None
        profile.updated_at = now
        replan_person(uow.session, workspace.id, user_id)
        reconsider_held(uow.session, workspace.id, [user_id], now)  # held for the old hours: looked at again
        uow.session.flush()
        chosen = _availability(uow.session, workspace.id, user_id, now)
        uow.commit()
        return chosen


def _availability(session: Session, workspace_id: int, user_id: str, now: datetime) -> Availability:
    person = (workspace_id, user_id)
    stored = stored_reach(session, [person], now)[person]
    reach = as_reach(stored)
    until = away_until([a for a in reach.absences if a.kind in BLOCKS], now)
    return Availability(
        reach.timezone,
        reach.local(now).date(),
        until,
        reach.local(until).date() if until is not None else None,
        reach.pattern,
        reach.quiet,
        own_quiet=not reach.cohorts_quiet,
        gives_way=reach.cohorts_quiet
        and reach.pattern is not None
        and covers(reach.quiet, reach.pattern.shift),
        unreached=unreached_for_a_week(reach, now),
    )
