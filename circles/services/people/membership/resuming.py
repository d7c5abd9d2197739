"""Resuming after a pause: every paused membership of a cohort still running takes part again. Time away
is a hold of its own (`/circles back` ends it), so resuming says the day it still holds them until."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from circles.domain.health.paused import ended
from circles.domain.requests import cohort_over
from circles.domain.vocabulary import MemberStatus
from circles.errors import CohortEnded, NotAMember, NothingToResume
from circles.persistence.db import UnitOfWork
from circles.services.availability.reach import away_day
from circles.services.health.due import look_at_person
from circles.services.people.membership.leaving import held_memberships
from circles.services.planning.replan import replan_person


@dataclass(frozen=True)
class Resumed:
    """The cohorts resumed, and the local date the person is back when time away still holds them."""

    slugs: list[str] = field(default_factory=list)
    away_until: date | None = None


def resume(uow: UnitOfWork, team_id: str, user_id: str, now: datetime) -> list[str]:
    """`resume_pause`, for callers that need only the cohorts resumed."""
    return resume_pause(uow, team_id, user_id, now).slugs


def resume_pause(uow: UnitOfWork, team_id: str, user_id: str, now: datetime) -> Resumed:
    """End a pause in every cohort whose last day is not over in its own time zone (the cutoff `pause`
    keeps); returns the cohorts resumed, and the day they are back if still away. `now` closes the pause's
    span (a dated pause that ran out closes at its date). With nothing paused in such a cohort but in
    cohorts over (or every cohort of theirs over), CohortEnded, as for a pause: nothing is resumed, nobody
    hears of it. With nothing paused at all, NothingToResume, with the day they are back if away."""
    with uow:
        mine = held_memberships(uow.session, team_id, user_id)
        if not mine:
            raise NotAMember(None)
        workspace_id = mine[0][0].workspace_id
        running = [(m, c) for m, c in mine if not cohort_over(c.ends_on, c.timezone, now)]
        held = [(m, c) for m, c in running if m.status is MemberStatus.PAUSED]
        if not held:
            # Any pause left is in a cohort over: saying "not paused anywhere" would be untrue.
            paused_in_over = sorted(c.slug for m, c in mine if m.status is MemberStatus.PAUSED)
            if paused_in_over or not running:
                raise CohortEnded(paused_in_over or sorted(c.slug for _, c in mine))
            raise NothingToResume(away_day(uow.session, workspace_id, user_id, now))
        paused = [member for member, _ in held]
        for member in paused:
            ran_out = member.paused_until is not None and member.paused_until < now
            back = member.paused_until if ran_out and member.paused_until is not None else now
            member.pauses = ended(member.pauses, back)
            member.status, member.paused_until = MemberStatus.ACTIVE, None
        slugs = sorted(cohort.slug for _, cohort in held)
        replan_person(uow.session, workspace_id, user_id)
        look_at_person(uow.session, workspace_id, user_id, now)
        away_until = away_day(uow.session, workspace_id, user_id, now)
        uow.commit()
        return Resumed(slugs, away_until)
